/**
 * A sentence and a help text per finding rule, for SARIF rules and legends. The rule modules in
 * src/risk/rules/ are the source of truth for what a rule checks; these words say why it matters.
 */

export interface RuleHelp {
  name: string
  description: string
  help: string
}

const RULES: Record<string, RuleHelp> = {
  'privilege-escalation': {
    name: 'PrivilegeEscalation',
    description: 'A principal can raise its own access (a pathfinding.cloud method).',
    help: 'The principal holds permissions that let it gain more access than it was granted, for example by creating a policy version or passing a more privileged role to a service. Remove the permission, scope it to specific resources, or add a permissions boundary.',
  },
  'admin-access': {
    name: 'AdminAccess',
    description: 'A principal is an effective administrator.',
    help: 'The principal can do anything in the account, directly or through a path of roles. Grant only the actions and resources the application needs.',
  },
  'public-access': {
    name: 'PublicAccess',
    description: 'Anyone on the internet can access a resource.',
    help: 'A resource policy, ACL or function URL allows access to everyone. Restrict the principal, or add a condition such as aws:PrincipalOrgID or aws:SourceVpce.',
  },
  'cross-account-access': {
    name: 'CrossAccountAccess',
    description: 'An account outside the home accounts can access a resource or assume a role.',
    help: 'A trust or resource policy names another AWS account. Confirm the account is known, list it in the configuration, and require sts:ExternalId for third parties.',
  },
  'resource-policy-control': {
    name: 'ResourcePolicyControl',
    description: 'A principal can rewrite who may access a resource.',
    help: 'The principal can change a resource policy (bucket policy, key policy, ...) and so grant access to anyone. Limit these actions to administrators.',
  },
  'credentials-exposure': {
    name: 'CredentialsExposure',
    description: 'A principal can create or read credentials of another principal.',
    help: 'Creating access keys, login profiles or reading secrets of other principals lets the holder act as them. Remove or scope the permission.',
  },
  'unknown-action': {
    name: 'UnknownAction',
    description: 'A policy names an action that does not exist (often a typo).',
    help: 'The action is not in the AWS action catalog, so the statement does not grant or deny what its author meant. Fix the spelling.',
  },
  'data-access': {
    name: 'DataAccess',
    description: 'A principal can access confidential data.',
    help: 'The principal can read, write, delete or administer a resource tagged Confidential or Restricted. Confirm the application needs it; a security review is requested when this access is new.',
  },
  'classification-downgrade': {
    name: 'ClassificationDowngrade',
    description: 'A resource’s confidentiality tag was lowered or removed.',
    help: 'Lowering or removing the confidentiality tag hides the resource from data-access checks. A security review is requested.',
  },
}

export function ruleHelp(rule: string): RuleHelp {
  const known = RULES[rule]
  if (known !== undefined) return known
  const name = rule
    .replace(/(^|[-_\s]+)(\w)/g, (_, _sep: string, c: string) => c.toUpperCase())
    .replace(/\W/g, '')
  return {
    name: name || 'Finding',
    description: `Finding of rule ${rule}.`,
    help: `See docs/rules.md for the rule ${rule}.`,
  }
}
