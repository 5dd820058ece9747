/**
 * IAM resource types: roles, users and groups become principals; policies are attached to them by
 * name (`Roles: [!Ref AppRole]`) or by ARN (`ManagedPolicyArns`), after every template of the tree
 * has been read, so a policy in one stack can attach to a role of another.
 */
import { isAwsManagedPolicyArn } from '../../iam/managedPolicies.js'
import type { AccessKey, Policy, Principal } from '../../model/types.js'
import { awsManagedPolicy } from '../policies.js'
import { type Builder, policyFrom, strings, tagsOf } from './build.js'
import { isRecord, type Resolver } from './intrinsics.js'
import type { Value } from './parse.js'
import { TYPES } from './types.js'

type Kind = 'role' | 'user' | 'group'
type Props = Record<string, Value>

export const IAM_TYPES = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::User',
  'AWS::IAM::Group',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::Policy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
  'AWS::IAM::UserToGroupAddition',
  'AWS::IAM::InstanceProfile',
  'AWS::IAM::AccessKey',
  'AWS::IAM::ServiceLinkedRole',
])

export function loadIam(
  b: Builder,
  r: Resolver,
  id: string,
  type: string,
  props: Props,
  line?: number,
): void {
  const scoped = r.scoped(id)
  const kind = TYPES[type]?.principal
  if (kind !== undefined) {
    const p = principal(b, r, id, type, kind, props, line)
    b.later.push(() => {
      for (const arn of strings(r, props.ManagedPolicyArns, line)) attachManaged(b, r, p, arn, line)
      if (props.PermissionsBoundary !== undefined)
        boundary(b, r, p, r.text(props.PermissionsBoundary, line), line)
      for (const group of kind === 'user' ? strings(r, props.Groups, line) : [])
        joinGroup(b, r, p, group, line)
    })
    return
  }
  if (type === 'AWS::IAM::ManagedPolicy') {
    const identity = r.identity(id, line)
    const name = props.ManagedPolicyName === undefined ? id : identity.name
    const policy = policyFrom(r, props.PolicyDocument, {
      id: scoped,
      name,
      origin: 'customer-managed',
      kind: 'identity',
      ...(line !== undefined ? { line } : {}),
    })
    b.managedPolicies.set(identity.arn, policy)
    b.later.push(() => attachToNamed(b, r, props, policy, line))
    return
  }
  if (type === 'AWS::IAM::Policy' || type.match(/^AWS::IAM::(Role|User|Group)Policy$/)) {
    const policy = policyFrom(r, props.PolicyDocument, {
      id: scoped,
      name: props.PolicyName === undefined ? id : r.text(props.PolicyName, line),
      origin: 'inline',
      kind: 'identity',
      ...(line !== undefined ? { line } : {}),
    })
    b.later.push(() => attachToNamed(b, r, props, policy, line))
    return
  }
  if (type === 'AWS::IAM::AccessKey') {
    b.later.push(() => {
      const user = r.text(props.UserName, line)
      const p = b.principal('user', user)
      if (p === undefined) {
        r.unresolved(`AccessKey ${id}: user ${user} is not defined in the tree`, line)
        return
      }
      const key: AccessKey = {
        address: scoped,
        status: r.resolve(props.Status ?? 'Active', line) === 'Inactive' ? 'Inactive' : 'Active',
        location: { file: r.t.file, ...(line !== undefined ? { line } : {}) },
      }
      const output = secretOutput(r, id)
      if (output !== undefined) key.secretExposure = output
      p.accessKeys = [...(p.accessKeys ?? []), key]
    })
    return
  }
  if (type === 'AWS::IAM::UserToGroupAddition') {
    b.later.push(() => {
      const group = r.text(props.GroupName, line)
      for (const user of strings(r, props.Users, line)) {
        const p = b.principal('user', user)
        if (p === undefined)
          r.unresolved(`UserToGroupAddition: user ${user} is not defined in the tree`, line)
        else joinGroup(b, r, p, group, line)
      }
    })
  }
}

function principal(
  b: Builder,
  r: Resolver,
  id: string,
  type: string,
  kind: Kind,
  props: Props,
  line: number | undefined,
): Principal {
  const identity = r.identity(id, line)
  const named = props[TYPES[type]!.nameProp!] !== undefined
  const p: Principal = {
    id: identity.arn,
    type: kind,
    name: named ? identity.name : id,
    address: r.scoped(id),
    arn: identity.arn,
    account: r.env.account,
    policies: [],
    location: { file: r.t.file, ...(line !== undefined ? { line } : {}) },
  }
  if (props.Tags !== undefined) p.tags = tagsOf(r, props.Tags, line)
  const inline = r.resolve(props.Policies ?? [], line)
  for (const entry of Array.isArray(inline) ? inline : []) {
    if (!isRecord(entry)) continue
    const name = r.text(entry.PolicyName ?? 'inline', line)
    const at = r.lineOf(entry, line)
    p.policies.push(
      policyFrom(r, entry.PolicyDocument, {
        id: `${p.address}.${name}`,
        name,
        origin: 'inline',
        kind: 'identity',
        ...(at !== undefined ? { line: at } : {}),
      }),
    )
  }
  if (kind === 'role' && props.AssumeRolePolicyDocument !== undefined) {
    const at = r.lineOf(
      props.AssumeRolePolicyDocument,
      r.t.parsed.keyLines.get(props)?.AssumeRolePolicyDocument,
    )
    p.trustPolicy = policyFrom(r, props.AssumeRolePolicyDocument, {
      id: `${p.address}.trust`,
      name: `${p.name} trust policy`,
      origin: 'trust',
      kind: 'trust',
      ...(at !== undefined ? { line: at } : {}),
    })
  }
  b.addPrincipal(p, kind, identity.name)
  return p
}

/** A customer managed policy of the tree, an AWS managed policy, or an unresolved reference. */
export function managedPolicy(
  b: Builder,
  r: Resolver,
  arn: string,
  line: number | undefined,
): Policy | undefined {
  const own = b.managedPolicies.get(arn)
  if (own !== undefined) return own
  const location = { file: r.t.file, ...(line !== undefined ? { line } : {}) }
  if (isAwsManagedPolicyArn(arn)) return awsManagedPolicy(arn, location, b.coverage)
  r.unresolved(`managed policy ${arn} (not defined in the tree)`, line)
  return undefined
}

export function attachManaged(
  b: Builder,
  r: Resolver,
  p: Principal,
  arn: string,
  line: number | undefined,
): void {
  const policy = managedPolicy(b, r, arn, line)
  if (policy !== undefined && !p.policies.includes(policy)) p.policies.push(policy)
}

export function boundary(b: Builder, r: Resolver, p: Principal, arn: string, line: number | undefined): void {
  const policy = managedPolicy(b, r, arn, line)
  if (policy !== undefined) p.boundary = { ...policy, origin: 'boundary' }
}

function joinGroup(b: Builder, r: Resolver, user: Principal, group: string, line: number | undefined): void {
  const g = b.principal('group', group)
  if (g === undefined) {
    r.unresolved(`group ${group} of ${user.name} (not defined in the tree)`, line)
    return
  }
  user.groups ??= []
  if (!user.groups.includes(g.id)) user.groups.push(g.id)
}

/** `Roles`/`Users`/`Groups` (Policy, ManagedPolicy) or `RoleName`/`UserName`/`GroupName` (RolePolicy...). */
function attachToNamed(
  b: Builder,
  r: Resolver,
  props: Props,
  policy: Policy,
  line: number | undefined,
): void {
  const targets: [Kind, string[]][] = [
    ['role', [...strings(r, props.Roles, line), ...strings(r, props.RoleName, line)]],
    ['user', [...strings(r, props.Users, line), ...strings(r, props.UserName, line)]],
    ['group', [...strings(r, props.Groups, line), ...strings(r, props.GroupName, line)]],
  ]
  for (const [kind, names] of targets) {
    for (const name of names) {
      const p = b.principal(kind, name)
      if (p === undefined)
        r.unresolved(`${policy.name} attached to ${kind} ${name} (not defined in the tree)`, line)
      else if (!p.policies.includes(policy)) p.policies.push(policy)
    }
  }
}

/** The stack output that gives the key's secret (`!GetAtt Key.SecretAccessKey`, or in a `!Sub`). */
function secretOutput(r: Resolver, id: string): AccessKey['secretExposure'] {
  const outputs = (r.t.parsed.root as Record<string, Value>).Outputs
  if (!isRecord(outputs)) return undefined
  const getAtt = JSON.stringify({ 'Fn::GetAtt': [id, 'SecretAccessKey'] }).slice(1, -1)
  for (const [name, output] of Object.entries(outputs)) {
    if (!isRecord(output)) continue
    const text = JSON.stringify(output.Value ?? null)
    if (
      text.includes(getAtt) ||
      text.includes(`"Fn::GetAtt":"${id}.SecretAccessKey"`) ||
      text.includes(`\${${id}.SecretAccessKey}`)
    ) {
      const line = r.lineOf(output)
      return {
        kind: 'output',
        detail: `stack output "${name}"`,
        location: { file: r.t.file, ...(line !== undefined ? { line } : {}) },
      }
    }
  }
  return undefined
}
