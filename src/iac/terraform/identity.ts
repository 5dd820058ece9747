/**
 * Principals from IAM resources: roles, users and groups with their inline, customer-managed and
 * AWS managed policies, boundaries, trust policies and group memberships. Attachments name their
 * target by name or ARN (possibly symbolic); a target outside the tree becomes a principal of its
 * own so that its grants are still reported.
 */
import type { AccessKey, Policy, Principal, PrincipalType, SourceLocation } from '../../model/types.js'
import { awsManagedPolicy } from '../policies.js'
import { arnOf, type Env, nameOf, TYPES } from './attributes.js'
import type { Instance } from './instances.js'
import { buildPolicy } from './policySource.js'
import type { SharedState } from './state.js'
import { asString, isObject, Unknown, type Value } from './values.js'

const KINDS: Record<string, PrincipalType> = {
  aws_iam_role: 'role',
  aws_iam_user: 'user',
  aws_iam_group: 'group',
}

export interface IdentityContext {
  shared: SharedState
  env: Env
  defaultTags: Record<string, string>
  /**
   * Root module outputs that give an access key's secret, by the key's address without instance
   * keys (`module.ci.aws_iam_access_key.deploy`).
   */
  secretOutputs?: Map<string, { name: string; location?: SourceLocation }>
}

/** `aws_iam_access_key.k.secret`, `aws_iam_access_key.k[0].secret`, `aws_iam_access_key.k[*].ses_smtp_password_v4`. */
const SECRET_REFERENCE =
  /\baws_iam_access_key\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?\.(?:secret|ses_smtp_password_v4)\b/g

/** The access keys whose secret an output's expression (its source text) reads. */
export function secretReferences(expression: string): string[] {
  return [...expression.matchAll(SECRET_REFERENCE)].map((m) => `aws_iam_access_key.${m[1]}`)
}

export class Identities {
  readonly principals: Principal[] = []
  private readonly byKey = new Map<string, Principal>()
  private readonly managed = new Map<string, Policy>()
  private readonly awsManaged = new Map<string, Policy | undefined>()

  constructor(private readonly c: IdentityContext) {}

  add(instances: Instance[]): void {
    for (const i of instances) if (i.mode === 'managed' && i.type === 'aws_iam_policy') this.customerPolicy(i)
    for (const i of instances) if (i.mode === 'managed' && KINDS[i.type]) this.principal(i)
    for (const i of instances) if (i.mode === 'managed') this.attachment(i)
  }

  private customerPolicy(i: Instance): void {
    const name = nameOf(i, TYPES.aws_iam_policy!)
    const policy = buildPolicy(
      {
        id: i.address,
        name,
        origin: 'customer-managed',
        kind: 'identity',
        value: i.get('policy'),
        location: loc(i, 'policy'),
      },
      this.c.shared,
    )
    if (policy === undefined) return
    this.managed.set(asString(i.get('arn')), policy)
  }

  private principal(i: Instance): void {
    const type = KINDS[i.type]!
    const info = TYPES[i.type]!
    const name = nameOf(i, info)
    const arn = arnOf(i, info, this.c.env)
    const p: Principal = {
      id: arn,
      type,
      name,
      address: i.address,
      arn,
      account: this.c.env.account,
      policies: [],
      location: i.location,
    }
    // IAM groups have no tags, so the provider's default tags do not reach them.
    const defaults = type === 'group' ? {} : this.c.defaultTags
    const tags = { ...defaults, ...stringMap(i.argument('tags')) }
    if (Object.keys(tags).length > 0) p.tags = tags
    if (type === 'role') {
      const trust = buildPolicy(
        {
          id: `${i.address}.assume_role_policy`,
          name: `${name} trust policy`,
          origin: 'trust',
          kind: 'trust',
          value: i.get('assume_role_policy'),
          location: loc(i, 'assume_role_policy'),
        },
        this.c.shared,
      )
      if (trust) p.trustPolicy = trust
      const inline = i.argument('inline_policy')
      if (Array.isArray(inline))
        inline.forEach((block, n) => {
          if (!isObject(block) || block.policy === undefined || block.policy === null) return
          const policyName = typeof block.name === 'string' ? block.name : `${name}-inline-${n}`
          const policy = buildPolicy(
            {
              id: `${i.address}.inline_policy[${n}]`,
              name: policyName,
              origin: 'inline',
              kind: 'identity',
              value: block.policy,
              location: loc(i, 'inline_policy'),
            },
            this.c.shared,
          )
          if (policy) p.policies.push(policy)
        })
    }
    this.register(p, i)
    for (const arn of strings(i.argument('managed_policy_arns'))) this.attach(p, arn, i)
    const boundary = i.argument('permissions_boundary')
    if (boundary !== undefined && boundary !== null) {
      const policy = this.resolveManaged(asString(boundary), i, 'permissions_boundary')
      if (policy) p.boundary = { ...policy, origin: 'boundary' }
    }
  }

  private register(p: Principal, i: Instance): void {
    if (this.byKey.has(`${p.type}:${p.id}`)) p.id = `${p.id} (${i.location.file})`
    this.principals.push(p)
    for (const k of [p.id, p.arn ?? '', p.name, i.address]) this.byKey.set(`${p.type}:${k}`, p)
  }

  /** The principal an attachment names, made up from its name or ARN when not defined in the tree. */
  find(type: PrincipalType, ref: string, i: Instance): Principal {
    const found = this.byKey.get(`${type}:${ref}`) ?? this.byKey.get(`${type}:${i.prefix}${ref}`)
    if (found) return found
    const name = ref.startsWith('arn:') ? (ref.split('/').pop() ?? ref) : ref
    const arn = ref.startsWith('arn:')
      ? ref
      : `arn:${this.c.env.partition}:iam::${this.c.env.account}:${type}/${ref}`
    const p: Principal = {
      id: arn,
      type,
      name,
      arn,
      account: this.c.env.account,
      policies: [],
      location: i.location,
    }
    this.principals.push(p)
    for (const k of [arn, name]) this.byKey.set(`${type}:${k}`, p)
    return p
  }

  private resolveManaged(arn: string, i: Instance, attr: string): Policy | undefined {
    const own = this.managed.get(arn)
    if (own) return own
    if (/^arn:aws[a-z-]*:iam::aws:policy\//.test(arn)) {
      if (!this.awsManaged.has(arn))
        this.awsManaged.set(arn, awsManagedPolicy(arn, loc(i, attr), this.c.shared.coverage))
      return this.awsManaged.get(arn)
    }
    this.c.shared.unresolved(
      i.location.file,
      i.lineOf(attr) ?? i.location.line,
      `${arn} (policy not defined in the tree)`,
    )
    return undefined
  }

  private attach(p: Principal, arn: string, i: Instance): void {
    const policy = this.resolveManaged(arn, i, 'policy_arn')
    if (policy && !p.policies.includes(policy)) p.policies.push(policy)
  }

  private inline(p: Principal, i: Instance): void {
    const name = asString(i.get('name'))
    const policy = buildPolicy(
      {
        id: i.address,
        name: name.includes('${') ? i.address : name,
        origin: 'inline',
        kind: 'identity',
        value: i.get('policy'),
        location: loc(i, 'policy'),
      },
      this.c.shared,
    )
    if (policy) p.policies.push(policy)
  }

  private attachment(i: Instance): void {
    const ref = (attr: string): string => asString(i.get(attr))
    switch (i.type) {
      case 'aws_iam_role_policy':
        this.inline(this.find('role', ref('role'), i), i)
        return
      case 'aws_iam_user_policy':
        this.inline(this.find('user', ref('user'), i), i)
        return
      case 'aws_iam_group_policy':
        this.inline(this.find('group', ref('group'), i), i)
        return
      case 'aws_iam_role_policy_attachment':
        this.attach(this.find('role', ref('role'), i), ref('policy_arn'), i)
        return
      case 'aws_iam_user_policy_attachment':
        this.attach(this.find('user', ref('user'), i), ref('policy_arn'), i)
        return
      case 'aws_iam_group_policy_attachment':
        this.attach(this.find('group', ref('group'), i), ref('policy_arn'), i)
        return
      case 'aws_iam_policy_attachment':
        for (const [attr, type] of [
          ['roles', 'role'],
          ['users', 'user'],
          ['groups', 'group'],
        ] as const)
          for (const r of strings(i.argument(attr))) this.attach(this.find(type, r, i), ref('policy_arn'), i)
        return
      case 'aws_iam_user_group_membership': {
        const user = this.find('user', ref('user'), i)
        for (const g of strings(i.argument('groups'))) this.join(user, this.find('group', g, i))
        return
      }
      case 'aws_iam_group_membership': {
        const group = this.find('group', ref('group'), i)
        for (const u of strings(i.argument('users'))) this.join(this.find('user', u, i), group)
        return
      }
      case 'aws_iam_access_key':
        this.accessKey(this.find('user', ref('user'), i), i)
        return
      case 'aws_iam_role_policies_exclusive': {
        // Terraform removes every inline policy not listed.
        const role = this.find('role', ref('role_name'), i)
        const names = strings(i.argument('policy_names'))
        if (names.every((n) => !n.includes('${')))
          role.policies = role.policies.filter((p) => p.origin !== 'inline' || names.includes(p.name))
        return
      }
      case 'aws_iam_role_policy_attachments_exclusive': {
        const role = this.find('role', ref('role_name'), i)
        const arns = strings(i.argument('policy_arns'))
        for (const a of arns) this.attach(role, a, i)
        const keep = new Set(arns.map((a) => this.managed.get(a) ?? this.awsManaged.get(a)))
        role.policies = role.policies.filter((p) => p.origin === 'inline' || keep.has(p))
        return
      }
    }
  }

  private accessKey(user: Principal, i: Instance): void {
    const key: AccessKey = {
      address: i.address,
      status: i.argument('status') === 'Inactive' ? 'Inactive' : 'Active',
      location: i.location,
    }
    const output = this.c.secretOutputs?.get(i.address.replace(/\[[^\]]*\]/g, ''))
    const pgp = i.argument('pgp_key')
    if (output !== undefined)
      key.secretExposure = {
        kind: 'output',
        detail: `output "${output.name}"`,
        ...(output.location !== undefined ? { location: output.location } : {}),
      }
    else if (pgp === undefined || pgp === null || pgp === '')
      key.secretExposure = { kind: 'state', detail: 'the Terraform state, in clear text (no pgp_key)' }
    user.accessKeys = [...(user.accessKeys ?? []), key]
  }

  private join(user: Principal, group: Principal): void {
    user.groups ??= []
    if (!user.groups.includes(group.id)) user.groups.push(group.id)
  }
}

function loc(i: Instance, attr: string): { file: string; line?: number } {
  const line = i.lineOf(attr) ?? i.location.line
  return line === undefined ? { file: i.location.file } : { file: i.location.file, line }
}

export function strings(v: Value | undefined): string[] {
  if (v === undefined || v === null) return []
  if (v instanceof Unknown) return [v.symbol]
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== null).map(asString)
}

export function stringMap(v: Value | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = asString(x)
  return out
}
