/**
 * `privilege-escalation`: a principal of the tree can gain more access than it holds, by one of
 * pathfinding.cloud's methods (its ids are the findings' `method`). Each required action is decided
 * by the engine on the resource the method uses it on, so Denies, permissions boundaries and SCPs
 * count; prerequisites that code can show (a passable role trusting the service, a target that is
 * not AWS-managed, the principal's type, its groups) are checked, the others assumed.
 *
 * Principals that are administrators by their own policies are skipped: an administrator can do
 * everything already, and flagging it as an escalator would only repeat the `admin-access` finding.
 */
import { EvaluationContext } from '../../engine/context.js'
import type { Principal } from '../../model/types.js'
import type { Rule, RuleFinding, RuleInput } from '../types.js'
import { type Escalation, escalation, type Scene } from './privilegeEscalation/escalations.js'
import { type PrivescMethod, privescMethods } from './privilegeEscalation/methods.js'
import { grantLocation, withoutImpossibleStatements } from './privilegeEscalation/requests.js'

const ID = 'privilege-escalation'

export const privilegeEscalation: Rule = {
  id: ID,
  description:
    'A principal can give itself more access (pathfinding.cloud methods: rewrite its policies, act as another user or role, pass a privileged role to a service).',
  docs: 'docs/rules.md#privilege-escalation',
  check: checkPrivilegeEscalation,
}

export function checkPrivilegeEscalation(input: RuleInput): RuleFinding[] {
  const model = withoutImpossibleStatements(input.model)
  const ctx = new EvaluationContext(model)
  const byId = new Map(model.principals.map((p) => [p.id, p]))
  // Administrators in their own right (not through a path), the ends escalations aim at.
  const admins = new Set(
    input.access.principals
      .filter((a) => a.isAdmin && a.grants.every((g) => g.path === undefined))
      .map((a) => a.principal.id),
  )
  const byOwnPolicies = new Set(
    input.access.principals
      .filter((a) => a.isAdmin && a.adminReason?.startsWith('allowed effectively every action') === true)
      .map((a) => a.principal.id),
  )
  const scene: Scene = { ctx, model, access: input.access, byId, admins }
  const methods = privescMethods().methods
  const findings: RuleFinding[] = []
  for (const p of model.principals) {
    if ((p.type !== 'user' && p.type !== 'role') || byOwnPolicies.has(p.id)) continue
    const usable = new Map<string, Escalation>()
    for (const m of methods) {
      const found = escalation(scene, p, m)
      if (found !== undefined) usable.set(m.id, found)
    }
    for (const e of usable.values()) {
      // A variant only widens its parent's reach: said once, by the parent.
      if (e.method.parent !== undefined && usable.has(e.method.parent)) continue
      findings.push(toFinding(ctx, e))
    }
  }
  return findings.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

function toFinding(ctx: EvaluationContext, e: Escalation): RuleFinding {
  const key = keyAction(e.method)
  const finding: RuleFinding = {
    key: `${ID}|${e.method.id}|${e.principal.id}`,
    rule: ID,
    method: e.method.id,
    severity: e.reachesAdmin ? 'critical' : 'high',
    principal: e.principal.name,
    principalId: e.principal.id,
    message: messageOf(e),
  }
  const location = grantLocation(ctx, e.principal, key, e.keyResource) ?? e.principal.location
  if (location !== undefined) finding.location = location
  return finding
}

/** The action that names the method's first move: the one on the target, else the first. */
function keyAction(m: PrivescMethod): string {
  return (m.actions.find((a) => a.on !== 'any') ?? m.actions[0])?.action ?? m.name
}

const who = (p: Principal): string => `${p.type} ${p.name}`

function list(names: string[]): string {
  if (names.length <= 3) return names.join(', ')
  return `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`
}

const NOUNS: Record<string, string> = {
  user: 'user',
  role: 'role',
  group: 'group',
  'passable-role': 'role',
  resource: 'resource',
  'attached-policy': 'policy',
  'own-group': 'group',
}

/** Plain words for the methods on other principals whose name is one action. */
const VERBS: Record<string, string> = {
  'iam:CreateAccessKey': 'create access keys for',
  'iam:CreateLoginProfile': 'set a console password for',
  'iam:UpdateLoginProfile': 'reset the console password of',
  'iam:UpdateAssumeRolePolicy': 'rewrite the trust policy of',
}

export function messageOf(e: Escalation): string {
  const m = e.method
  const actions = m.actions.map((a) => a.action).join(', ')
  const scope = e.anyTarget ? ' on *' : ''
  const needs = `(${actions}${scope}${e.conditional ? ', under a condition' : ''})`
  const outcome = e.reachesAdmin ? 'it can become an administrator' : 'it can gain access it does not hold'
  const named = list(e.targets)
  switch (m.target) {
    case 'assume-chain':
      return `${who(e.principal)} can assume ${list(e.targets)} in turn ${needs}: it can act as ${e.targets[e.targets.length - 1]}, an administrator`
    case 'passable-role': {
      const service = (m.services ?? []).map((s) => s.split('.')[0]).join('/')
      const admin = e.reachesAdmin ? ', an administrator' : ''
      return `${who(e.principal)} can pass role ${named} to ${service} and run code as it ${needs}: it can act as that role${admin}`
    }
    case 'resource': {
      const which = e.anyTarget
        ? `any existing ${m.resourceService} resource`
        : `${m.resourceService} resource ${named}`
      return `${who(e.principal)} can take over ${which} and run code with its role ${needs}: it can act as that role`
    }
    default:
      break
  }
  if (e.mode === 'self') {
    const on = m.target === 'self' ? 'its own permissions' : `${NOUNS[m.target] ?? 'target'} ${named}`
    const how = m.writesPolicy ? 'rewrite' : 'change'
    const tail = m.writesPolicy && !e.reachesAdmin ? ' within its permissions boundary' : ''
    const applies = m.target === 'self' ? '' : ', which applies to itself'
    return `${who(e.principal)} can ${how} ${on}${applies} ${needs}: ${e.reachesAdmin ? 'it can make itself an administrator' : `it can gain access it does not hold${tail}`}`
  }
  const kind =
    m.target === 'own-group'
      ? 'group'
      : m.target === 'self'
        ? (m.principalTypes?.[0] ?? 'principal')
        : (NOUNS[m.target] ?? m.target)
  const targets = e.anyTarget ? `any ${kind}` : `${kind === 'policy' ? 'policies' : `${kind}s`} ${named}`
  if (m.category === 'self-escalation' && m.target !== 'group') {
    return `${who(e.principal)} can give ${targets} any permissions ${needs}: it controls what they can do, administrators included`
  }
  const become = e.reachesAdmin
    ? `it can become ${e.anyTarget ? 'any of them, including administrators' : `${named}, including an administrator`}`
    : outcome
  if (m.target === 'group') return `${who(e.principal)} can add users to ${targets} ${needs}: ${become}`
  const verb = VERBS[m.name]
  if (verb !== undefined) return `${who(e.principal)} can ${verb} ${targets} ${needs}: ${become}`
  return `${who(e.principal)} can use ${m.name} on ${targets} ${needs}: ${become}`
}
