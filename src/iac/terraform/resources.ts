/**
 * Resources and their resource policies. A policy may be an argument of the resource (legacy
 * `aws_s3_bucket.policy`, `aws_sqs_queue.policy`) or a separate resource naming it by name, ARN or
 * URL (`aws_s3_bucket_policy`, `aws_lambda_permission`, `aws_kms_grant`): all are merged into one
 * Policy per resource, each statement keeping its own location.
 */
import type { OrganizationPolicy, Policy, PublicAccessBlock, Resource } from '../../model/types.js'
import { makePolicy } from '../policies.js'
import { addPublicAccessBlock, applyPublicAccessBlock } from '../publicAccessBlock.js'
import { arnOf, computedAttribute, type Env, nameOf, TYPES } from './attributes.js'
import type { IdentityContext } from './identity.js'
import { stringMap, strings } from './identity.js'
import type { Instance } from './instances.js'
import { buildPolicy } from './policySource.js'
import { asString } from './values.js'

/** Policy arguments of resources themselves. */
const OWN_POLICY: Record<string, string> = {
  aws_s3_bucket: 'policy',
  aws_sqs_queue: 'policy',
  aws_sns_topic: 'policy',
  aws_kms_key: 'policy',
  aws_secretsmanager_secret: 'policy',
  aws_glacier_vault: 'access_policy',
  aws_elasticsearch_domain: 'access_policies',
  aws_opensearch_domain: 'access_policies',
  aws_api_gateway_rest_api: 'policy',
}

/** Separate policy resources: the argument naming the target, its type, and the policy argument. */
const SEPARATE: Record<string, [target: string, type: string, policy: string]> = {
  aws_s3_bucket_policy: ['bucket', 'aws_s3_bucket', 'policy'],
  aws_sqs_queue_policy: ['queue_url', 'aws_sqs_queue', 'policy'],
  aws_sns_topic_policy: ['arn', 'aws_sns_topic', 'policy'],
  aws_kms_key_policy: ['key_id', 'aws_kms_key', 'policy'],
  aws_secretsmanager_secret_policy: ['secret_arn', 'aws_secretsmanager_secret', 'policy'],
  aws_ecr_repository_policy: ['repository', 'aws_ecr_repository', 'policy'],
  aws_dynamodb_resource_policy: ['resource_arn', 'aws_dynamodb_table', 'policy'],
  aws_cloudwatch_event_bus_policy: ['event_bus_name', 'aws_cloudwatch_event_bus', 'policy'],
  aws_opensearch_domain_policy: ['domain_name', 'aws_opensearch_domain', 'access_policies'],
  aws_elasticsearch_domain_policy: ['domain_name', 'aws_elasticsearch_domain', 'access_policies'],
  aws_api_gateway_rest_api_policy: ['rest_api_id', 'aws_api_gateway_rest_api', 'policy'],
  aws_efs_file_system_policy: ['file_system_id', 'aws_efs_file_system', 'policy'],
  aws_backup_vault_policy: ['backup_vault_name', 'aws_backup_vault', 'policy'],
  aws_cloudwatch_log_resource_policy: ['', 'aws_cloudwatch_log_group', 'policy_document'],
}

const PUBLIC_ACLS: Record<string, string[]> = {
  'public-read': ['read-data'],
  'public-read-write': ['read-data', 'write-data'],
  'authenticated-read': ['read-data'],
}

export const HANDLED_TYPES = new Set([
  ...Object.keys(TYPES),
  ...Object.keys(SEPARATE),
  'aws_lambda_permission',
  'aws_lambda_function_url',
  'aws_kms_grant',
  'aws_s3_bucket_acl',
  'aws_s3_bucket_public_access_block',
  'aws_s3_account_public_access_block',
  'aws_organizations_policy',
  'aws_organizations_policy_attachment',
])

export class Resources {
  readonly resources: Resource[] = []
  readonly scps: OrganizationPolicy[] = []
  readonly rcps: OrganizationPolicy[] = []
  private readonly byRef = new Map<string, Resource>()

  constructor(private readonly c: IdentityContext) {}

  add(instances: Instance[]): void {
    for (const i of instances)
      if (i.mode === 'managed' && TYPES[i.type] && TYPES[i.type]?.service !== 'iam') this.resource(i)
    for (const i of instances) if (i.mode === 'managed') this.policyResource(i)
    this.organizations(instances)
    this.publicAccessBlocks(instances)
  }

  /**
   * `aws_s3_bucket_public_access_block` and `aws_s3_account_public_access_block` (see
   * `../publicAccessBlock.ts`): a setting holds when the bucket's or the account's says so.
   */
  private publicAccessBlocks(instances: Instance[]): void {
    // Terraform converts "true" to a bool; anything unknown is taken as not set (the less safe reading).
    const on = (i: Instance, name: string): boolean => {
      const v = i.argument(name)
      return v === true || v === 'true'
    }
    const settings = (i: Instance): Omit<PublicAccessBlock, 'locations'> => ({
      blockPublicAcls: on(i, 'block_public_acls'),
      ignorePublicAcls: on(i, 'ignore_public_acls'),
      blockPublicPolicy: on(i, 'block_public_policy'),
      restrictPublicBuckets: on(i, 'restrict_public_buckets'),
    })
    for (const i of instances)
      if (i.mode === 'managed' && i.type === 'aws_s3_bucket_public_access_block')
        addPublicAccessBlock(
          this.target('aws_s3_bucket', asString(i.get('bucket')), i),
          settings(i),
          i.location,
        )
    for (const i of instances)
      if (i.mode === 'managed' && i.type === 'aws_s3_account_public_access_block') {
        const account = i.argument('account_id')
        if (typeof account === 'string' && account !== this.env.account) continue
        for (const r of this.resources)
          if (r.type === 'aws_s3_bucket') addPublicAccessBlock(r, settings(i), i.location)
      }
    for (const r of this.resources) applyPublicAccessBlock(r, this.c.shared.coverage)
  }

  private get env(): Env {
    return this.c.env
  }

  private resource(i: Instance): void {
    const info = TYPES[i.type]!
    const arn = arnOf(i, info, this.env)
    const r: Resource = {
      id: i.address,
      type: i.type,
      service: info.service,
      name: nameOf(i, info),
      address: i.address,
      arn,
      account: this.env.account,
      holdsData: info.holdsData,
      location: i.location,
    }
    if (info.children) r.childArns = info.children(arn)
    const tags = { ...this.c.defaultTags, ...stringMap(i.argument('tags')) }
    if (Object.keys(tags).length > 0) r.tags = tags
    this.resources.push(r)
    for (const k of [
      r.name,
      arn,
      asString(computedAttribute(i, 'id', this.env) ?? ''),
      asString(computedAttribute(i, 'url', this.env) ?? ''),
      i.address,
    ])
      if (k !== '') this.byRef.set(`${i.type}:${k}`, r)
    const own = OWN_POLICY[i.type]
    const value = own ? i.argument(own) : undefined
    // A state or plan holds "" where no policy is set (and the policy of a separate resource once refreshed).
    if (own && value !== undefined && value !== null && value !== '') this.attachPolicy(r, i, value, own)
    const acl = i.argument('acl')
    if (i.type === 'aws_s3_bucket' && typeof acl === 'string') this.publicAcl(r, acl, i)
  }

  /** The resource a separate policy names; made up from the name or ARN when not in the tree. */
  private target(type: string, ref: string, i: Instance): Resource {
    const found = this.byRef.get(`${type}:${ref}`)
    if (found) return found
    const info = TYPES[type]!
    const sqsName = type === 'aws_sqs_queue' && ref.startsWith('https://') ? ref.split('/').pop() : undefined
    const arn = ref.startsWith('arn:')
      ? ref
      : arnOf(
          { type, address: i.address, argument: (n) => (n === info.nameAttr ? (sqsName ?? ref) : undefined) },
          info,
          this.env,
        )
    const r: Resource = {
      id: arn,
      type,
      service: info.service,
      name: sqsName ?? ref,
      arn,
      holdsData: info.holdsData,
      location: i.location,
    }
    if (info.children) r.childArns = info.children(arn)
    this.resources.push(r)
    this.byRef.set(`${type}:${ref}`, r)
    return r
  }

  private attachPolicy(r: Resource, i: Instance, value: unknown, attr: string): void {
    const line = i.lineOf(attr) ?? i.location.line
    const policy = buildPolicy(
      {
        id: i.address,
        name: `${r.name} policy`,
        origin: 'resource',
        kind: 'resource',
        value: value as never,
        location: { file: i.location.file, ...(line !== undefined ? { line } : {}) },
      },
      this.c.shared,
    )
    if (policy) r.policy = r.policy ? mergePolicies(r.policy, policy) : policy
  }

  private policyResource(i: Instance): void {
    const separate = SEPARATE[i.type]
    if (separate) {
      const [targetAttr, type, policyAttr] = separate
      const ref =
        targetAttr === ''
          ? `arn:${this.env.partition}:logs:${this.env.region}:${this.env.account}:log-group:*`
          : asString(i.get(targetAttr))
      this.attachPolicy(this.target(type, ref, i), i, i.get(policyAttr), policyAttr)
      return
    }
    if (i.type === 'aws_lambda_permission') {
      this.lambdaPermission(i)
      return
    }
    if (i.type === 'aws_kms_grant') {
      this.kmsGrant(i)
      return
    }
    if (i.type === 'aws_s3_bucket_acl') {
      const acl = i.argument('acl')
      if (typeof acl === 'string')
        this.publicAcl(this.target('aws_s3_bucket', asString(i.get('bucket')), i), acl, i)
      return
    }
    if (i.type === 'aws_lambda_function_url' && i.argument('authorization_type') === 'NONE') {
      const fn = this.target('aws_lambda_function', asString(i.get('function_name')), i)
      fn.publicAccess = {
        capabilities: ['use-resource'],
        reason: 'Lambda function URL with authorization type NONE',
        location: i.location,
      }
      return
    }
    if (!HANDLED_TYPES.has(i.type) && !i.type.startsWith('aws_iam_'))
      for (const attr of ['policy', 'access_policy', 'access_policies', 'policy_document', 'resource_policy'])
        if (i.argument(attr) !== undefined) {
          this.c.shared.notAnalysed(i.location.file, i.location.line, i.type, `its ${attr} is not analysed`)
          return
        }
  }

  private publicAcl(r: Resource, acl: string, i: Instance): void {
    const capabilities = PUBLIC_ACLS[acl]
    if (capabilities) r.publicAccess = { capabilities, reason: `canned ACL ${acl}`, location: i.location }
  }

  private statement(i: Instance, statement: Record<string, unknown>, r: Resource): void {
    const policy = makePolicy(
      {
        id: i.address,
        name: `${r.name} policy`,
        origin: 'resource',
        kind: 'resource',
        document: { Version: '2012-10-17', Statement: [statement] },
        location: i.location,
        statementLines: [i.location.line],
      },
      this.c.shared.coverage,
    )
    r.policy = r.policy ? mergePolicies(r.policy, policy) : policy
  }

  private lambdaPermission(i: Instance): void {
    const fnRef = asString(i.get('function_name'))
    const fn = this.target('aws_lambda_function', fnRef, i)
    const qualifier = i.argument('qualifier')
    const principal = asString(i.get('principal'))
    const action = asString(i.get('action'))
    if (action.includes('${')) {
      // A statement with an unknown action would only be an invalid one: listed instead.
      this.c.shared.unresolved(
        i.location.file,
        i.lineOf('action') ?? i.location.line,
        `${action} (action of ${i.address})`,
      )
      return
    }
    const condition: Record<string, Record<string, string>> = {}
    const add = (op: string, key: string, attr: string): void => {
      const v = i.argument(attr)
      if (v !== undefined && v !== null) condition[op] = { ...condition[op], [key]: asString(v) }
    }
    add('ArnLike', 'AWS:SourceArn', 'source_arn')
    add('StringEquals', 'AWS:SourceAccount', 'source_account')
    add('StringEquals', 'aws:PrincipalOrgID', 'principal_org_id')
    add('StringEquals', 'lambda:FunctionUrlAuthType', 'function_url_auth_type')
    const statement: Record<string, unknown> = {
      Sid: asString(i.argument('statement_id') ?? i.address.replace(/[^A-Za-z0-9]/g, '')),
      Effect: 'Allow',
      Principal: principalOf(principal, this.env),
      Action: action,
      Resource: typeof qualifier === 'string' ? `${fn.arn}:${qualifier}` : fn.arn,
    }
    if (Object.keys(condition).length > 0) statement.Condition = condition
    this.statement(i, statement, fn)
  }

  /** A grant lets its grantee use the key for the listed operations, like a key policy statement. */
  private kmsGrant(i: Instance): void {
    const key = this.target('aws_kms_key', asString(i.get('key_id')), i)
    const operations = strings(i.argument('operations')).map((o) => `kms:${o}`)
    this.statement(
      i,
      {
        Effect: 'Allow',
        Principal: principalOf(asString(i.get('grantee_principal')), this.env),
        Action: operations,
        Resource: key.arn,
      },
      key,
    )
  }

  private organizations(instances: Instance[]): void {
    const targets = new Map<string, string[]>()
    for (const i of instances)
      if (i.type === 'aws_organizations_policy_attachment') {
        const id = asString(i.get('policy_id'))
        targets.set(id, [...(targets.get(id) ?? []), asString(i.get('target_id'))])
      }
    for (const i of instances) {
      if (i.type !== 'aws_organizations_policy' || i.mode !== 'managed') continue
      const type = asString(i.get('type') ?? 'SERVICE_CONTROL_POLICY')
      const isRcp = type === 'RESOURCE_CONTROL_POLICY'
      if (
        type !== 'SERVICE_CONTROL_POLICY' &&
        type !== 'RESOURCE_CONTROL_POLICY' &&
        i.argument('type') !== undefined
      )
        continue
      const attached = targets.get(asString(i.get('id'))) ?? []
      if (attached.length === 0) continue
      const policy = buildPolicy(
        {
          id: i.address,
          name: asString(i.get('name')),
          origin: isRcp ? 'rcp' : 'scp',
          kind: isRcp ? 'rcp' : 'scp',
          value: i.get('content'),
          location: i.location,
        },
        this.c.shared,
      )
      if (!policy) continue
      // Attached to an account id: that account; to a root or an OU: every account we model.
      const accounts = attached.every((t) => /^\d{12}$/.test(t)) ? attached : undefined
      ;(isRcp ? this.rcps : this.scps).push(accounts ? { policy, accounts } : { policy })
    }
  }
}

function principalOf(p: string, env: Env): unknown {
  if (p === '*') return '*'
  if (/\.amazonaws\.com(\.cn)?$|\.amazon\.com$/.test(p)) return { Service: p }
  if (/^\d{12}$/.test(p)) return { AWS: `arn:${env.partition}:iam::${p}:root` }
  return { AWS: p }
}

/** One resource policy out of several: statements concatenated, locations renumbered. */
export function mergePolicies(a: Policy, b: Policy): Policy {
  const offset = a.document.statements.length
  const locations = { ...(a.statementLocations ?? {}) }
  for (let n = 0; n < offset; n++) locations[n] ??= a.location ?? { file: '' }
  b.document.statements.forEach((_, n) => {
    locations[offset + n] = b.statementLocations?.[n] ?? b.location ?? { file: '' }
  })
  const merged: Policy = {
    ...a,
    document: { ...a.document, statements: [...a.document.statements, ...b.document.statements] },
    statementLocations: locations,
  }
  const problems = [...(a.problems ?? []), ...(b.problems ?? [])]
  if (problems.length > 0) merged.problems = problems
  return merged
}
