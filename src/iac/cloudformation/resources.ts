/**
 * Resources that hold data or carry a resource policy, and the separate CloudFormation resources
 * that add to such a policy (BucketPolicy, QueuePolicy, TopicPolicy, Lambda::Permission, ...).
 * A policy aimed at a resource that the tree does not define still counts: the resource is added
 * under its ARN, without an address, so public or cross-account grants on it are still seen.
 */
import type { Resource } from '../../model/types.js'
import { addPublicAccessBlock } from '../publicAccessBlock.js'
import { type Builder, strings, tagsOf } from './build.js'
import { isRecord, type Resolver } from './intrinsics.js'
import type { Value } from './parse.js'
import { isModelResource, TYPES } from './types.js'

type Props = Record<string, Value>

/** Policies written inside the resource itself, by type. */
const INLINE_POLICY: Record<string, string> = {
  'AWS::KMS::Key': 'KeyPolicy',
  'AWS::ECR::Repository': 'RepositoryPolicyText',
  'AWS::OpenSearchService::Domain': 'AccessPolicies',
  'AWS::Elasticsearch::Domain': 'AccessPolicies',
  'AWS::EFS::FileSystem': 'FileSystemPolicy',
  'AWS::Backup::BackupVault': 'AccessPolicy',
  'AWS::ApiGateway::RestApi': 'Policy',
  'AWS::S3::AccessPoint': 'Policy',
}

/** Policy resources: the property naming the target(s), the target's type, the document's property. */
const POLICY_RESOURCES: Record<string, { target: string; type: string; document: string }> = {
  'AWS::S3::BucketPolicy': { target: 'Bucket', type: 'AWS::S3::Bucket', document: 'PolicyDocument' },
  'AWS::SQS::QueuePolicy': { target: 'Queues', type: 'AWS::SQS::Queue', document: 'PolicyDocument' },
  'AWS::SNS::TopicPolicy': { target: 'Topics', type: 'AWS::SNS::Topic', document: 'PolicyDocument' },
  'AWS::SNS::TopicInlinePolicy': { target: 'TopicArn', type: 'AWS::SNS::Topic', document: 'PolicyDocument' },
  'AWS::SecretsManager::ResourcePolicy': {
    target: 'SecretId',
    type: 'AWS::SecretsManager::Secret',
    document: 'ResourcePolicy',
  },
  'AWS::Events::EventBusPolicy': {
    target: 'EventBusName',
    type: 'AWS::Events::EventBus',
    document: 'Statement',
  },
  'AWS::Lambda::Permission': { target: 'FunctionName', type: 'AWS::Lambda::Function', document: '' },
  'AWS::Lambda::Url': { target: 'TargetFunctionArn', type: 'AWS::Lambda::Function', document: '' },
  'AWS::Logs::ResourcePolicy': { target: '', type: 'AWS::Logs::LogGroup', document: 'PolicyDocument' },
}

/** Property names that hold a policy: a type that has one and is not handled is reported as not analysed. */
const POLICY_PROPERTIES = new Set([
  'PolicyDocument',
  'Policy',
  'ResourcePolicy',
  'AccessPolicy',
  'AccessPolicies',
  'KeyPolicy',
  'RepositoryPolicyText',
  'FileSystemPolicy',
  'PolicyText',
  'InlinePolicy',
])

export function isHandledResource(type: string): boolean {
  return isModelResource(type) || POLICY_RESOURCES[type] !== undefined
}

export function carriesPolicy(props: Props): boolean {
  return Object.keys(props).some((key) => POLICY_PROPERTIES.has(key))
}

export function loadResource(
  b: Builder,
  r: Resolver,
  id: string,
  type: string,
  props: Props,
  line?: number,
): void {
  const scoped = r.scoped(id)
  const spec = POLICY_RESOURCES[type]
  if (spec !== undefined) {
    b.later.push(() => policyResource(b, r, id, type, props, line))
    return
  }
  const info = TYPES[type]
  if (info === undefined || !isModelResource(type)) return
  const identity = r.identity(id, line)
  const named = info.nameProp !== undefined && props[info.nameProp] !== undefined
  const arn = info.arn(identity.name, r.env, '/')
  const resource: Resource = {
    id: scoped,
    type,
    service: info.service,
    name: named ? identity.name : id,
    address: scoped,
    arn,
    account: r.env.account,
    holdsData: info.holdsData,
    location: { file: r.t.file, ...(line !== undefined ? { line } : {}) },
  }
  if (info.children !== undefined) resource.childArns = info.children(arn)
  if (props.Tags !== undefined) resource.tags = tagsOf(r, props.Tags, line)
  b.addResource(resource, [identity.name, identity.ref, identity.arn, ...Object.values(identity.attrs)])

  const inline = INLINE_POLICY[type]
  if (type === 'AWS::KMS::Key' && props.KeyPolicy === undefined) {
    // Without KeyPolicy, KMS applies its default policy: the account may manage the key through IAM.
    const root = `arn:${r.env.partition}:iam::${r.env.account}:root`
    const statement = {
      Sid: 'DefaultKeyPolicy',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:*',
      Resource: '*',
    }
    b.addResourcePolicy(
      r,
      resource,
      { Statement: [statement] },
      { id: `${scoped}.KeyPolicy`, name: id, line },
    )
  }
  if (inline !== undefined && props[inline] !== undefined) {
    b.addResourcePolicy(r, resource, props[inline], { id: `${scoped}.${inline}`, name: id, line })
  }
  if (type === 'AWS::DynamoDB::Table' && isRecord(props.ResourcePolicy)) {
    const document = props.ResourcePolicy.PolicyDocument
    b.addResourcePolicy(r, resource, document, { id: `${scoped}.ResourcePolicy`, name: id, line })
  }
  if (type === 'AWS::S3::Bucket') {
    publicAcl(r, resource, props, line)
    const block = r.resolve(props.PublicAccessBlockConfiguration ?? null, line)
    if (isRecord(block)) {
      const on = (key: string): boolean => block[key] === true || block[key] === 'true'
      const at = r.lineOf(props.PublicAccessBlockConfiguration as Value, line)
      addPublicAccessBlock(
        resource,
        {
          blockPublicAcls: on('BlockPublicAcls'),
          ignorePublicAcls: on('IgnorePublicAcls'),
          blockPublicPolicy: on('BlockPublicPolicy'),
          restrictPublicBuckets: on('RestrictPublicBuckets'),
        },
        { file: r.t.file, ...(at !== undefined ? { line: at } : {}) },
      )
    }
  }
}

function publicAcl(r: Resolver, resource: Resource, props: Props, line: number | undefined): void {
  const acl = props.AccessControl === undefined ? '' : r.text(props.AccessControl, line)
  if (acl !== 'PublicRead' && acl !== 'PublicReadWrite') return
  resource.publicAccess = {
    capabilities: acl === 'PublicRead' ? ['read-data'] : ['read-data', 'write-data'],
    reason: `bucket ACL ${acl}`,
    location: { file: r.t.file, ...(line !== undefined ? { line } : {}) },
  }
}

/** The resource a policy resource names, or one added under its ARN when the tree does not define it. */
export function target(b: Builder, r: Resolver, type: string, key: string): Resource {
  const unqualified =
    type === 'AWS::Lambda::Function'
      ? key.replace(/^(arn:[^:]*:lambda:[^:]*:[^:]*:function:[^:]+):.*$/, '$1')
      : key
  const known = b.resource(key) ?? b.resource(unqualified)
  if (known !== undefined) return known
  const info = TYPES[type]!
  const name = unqualified.startsWith('arn:')
    ? unqualified.replace(/^arn:[^:]*:[^:]*:[^:]*:[^:]*:(?:[a-z-]+[:/])?/, '')
    : unqualified.replace(/^https:\/\/.*\//, '')
  const arn = unqualified.startsWith('arn:') ? unqualified : info.arn(name, r.env, '/')
  const resource: Resource = { id: arn, type, service: info.service, name, arn, holdsData: info.holdsData }
  if (info.children !== undefined) resource.childArns = info.children(arn)
  b.addResource(resource, [key, name])
  return resource
}

function policyResource(
  b: Builder,
  r: Resolver,
  id: string,
  type: string,
  props: Props,
  line?: number,
): void {
  const spec = POLICY_RESOURCES[type]!
  const scoped = r.scoped(id)
  const meta = { id: scoped, name: id, line }
  if (type === 'AWS::Lambda::Permission') {
    const fn = target(b, r, spec.type, r.text(props.FunctionName, line))
    b.addResourcePolicy(r, fn, { Statement: [permission(r, id, props, fn.arn, line)] }, meta)
    return
  }
  if (type === 'AWS::Lambda::Url') {
    const fn = target(b, r, spec.type, r.text(props.TargetFunctionArn, line))
    if (r.text(props.AuthType ?? 'AWS_IAM', line) === 'NONE') {
      fn.publicAccess = {
        capabilities: ['use-resource'],
        reason: 'function URL with AuthType NONE',
        location: { file: r.t.file, ...(line !== undefined ? { line } : {}) },
      }
    }
    return
  }
  if (type === 'AWS::Logs::ResourcePolicy') {
    // An account-wide policy of CloudWatch Logs: it applies to every log group of the account.
    const all = target(
      b,
      r,
      spec.type,
      `arn:${r.env.partition}:logs:${r.env.region}:${r.env.account}:log-group:*`,
    )
    b.addResourcePolicy(r, all, props.PolicyDocument, meta)
    return
  }
  let document: Value = props[spec.document]
  if (type === 'AWS::Events::EventBusPolicy' && document === undefined) {
    // The older form: one statement given by Action, Principal (an account) and Condition.
    const principal = r.text(props.Principal, line)
    document = {
      Statement: [
        {
          Sid: r.text(props.StatementId ?? id, line),
          Effect: 'Allow',
          Principal: principal === '*' ? '*' : { AWS: principal },
          Action: props.Action,
          Resource: '*',
          ...(props.Condition !== undefined
            ? {
                Condition: {
                  StringEquals: {
                    [r.text((props.Condition as Props).Key, line)]: (props.Condition as Props).Value,
                  },
                },
              }
            : {}),
        },
      ],
    }
  } else if (type === 'AWS::Events::EventBusPolicy') document = { Statement: [document] }
  const names =
    type === 'AWS::Events::EventBusPolicy' && props.EventBusName === undefined
      ? ['default']
      : strings(r, props[spec.target], line)
  for (const name of names) b.addResourcePolicy(r, target(b, r, spec.type, name), document, meta)
}

/** A Lambda::Permission as the statement Lambda adds to the function's policy. */
function permission(r: Resolver, id: string, props: Props, arn: string, line: number | undefined): Value {
  const who = r.text(props.Principal, line)
  const principal =
    who === '*'
      ? '*'
      : /^\d{12}$/.test(who) || who.startsWith('arn:') || !who.includes('.')
        ? { AWS: who }
        : { Service: who }
  const condition: Record<string, Record<string, string>> = {}
  const add = (operator: string, key: string, value: Value): void => {
    if (value === undefined) return
    condition[operator] = { ...condition[operator], [key]: r.text(value, line) }
  }
  add('ArnLike', 'aws:SourceArn', props.SourceArn)
  add('StringEquals', 'aws:SourceAccount', props.SourceAccount)
  add('StringEquals', 'aws:PrincipalOrgID', props.PrincipalOrgID)
  add('StringEquals', 'lambda:FunctionUrlAuthType', props.FunctionUrlAuthType)
  if (props.InvokedViaFunctionUrl !== undefined)
    add('Bool', 'lambda:InvokedViaFunctionUrl', props.InvokedViaFunctionUrl)
  return {
    Sid: id,
    Effect: 'Allow',
    Principal: principal,
    Action: r.text(props.Action, line),
    Resource: arn,
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  }
}
