/**
 * The requests a method needs, decided with the engine's exact evaluation (Denies, boundaries,
 * SCPs), and the statement that allows the key one. Statements whose condition can never hold are
 * left out first: a grant limited to tokens issued before 2020 is no grant (iam-vulnerable fp5).
 */
import type { EvaluationContext } from '../../../engine/context.js'
import { roleAsResource } from '../../../engine/transitive.js'
import type { Condition, Statement } from '../../../iam/types.js'
import { wildcardMatch } from '../../../iam/wildcard.js'
import type { Model, Policy, Principal, Resource, SourceLocation } from '../../../model/types.js'

/**
 * Dates before this are certainly past. A fixed date rather than the clock keeps the output the
 * same for the same input; a condition on a date between it and today stays merely conditional.
 */
const CERTAINLY_PAST = Date.parse('2025-01-01T00:00:00Z')
const TIME_KEYS = new Set(['aws:tokenissuetime', 'aws:currenttime'])

/** `DateLessThan aws:TokenIssueTime <past date>`: no request can satisfy it any more. */
function neverHolds(c: Condition): boolean {
  if (!TIME_KEYS.has(c.key.toLowerCase()) || c.setOperator !== undefined) return false
  if (c.baseOperator !== 'DateLessThan' && c.baseOperator !== 'DateLessThanEquals') return false
  return c.values.every((v) => {
    const t = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v)
    return Number.isFinite(t) && t < CERTAINLY_PAST
  })
}

const possible = (s: Statement): boolean => !s.conditions.some(neverHolds)

function withoutImpossible(policy: Policy): Policy {
  const statements = policy.document.statements
  if (statements.every(possible)) return policy
  return { ...policy, document: { ...policy.document, statements: statements.filter(possible) } }
}

/** The model with the statements that can never apply removed (same ids, so locations stay). */
export function withoutImpossibleStatements(model: Model): Model {
  const principals = model.principals.map((p): Principal => {
    const out: Principal = { ...p, policies: p.policies.map(withoutImpossible) }
    if (p.boundary !== undefined) out.boundary = withoutImpossible(p.boundary)
    return out
  })
  return { ...model, principals }
}

export interface Allowed {
  conditional: boolean
}

/** Whether `principal` may do `action` on `resource` (a role's trust policy counts for sts:AssumeRole). */
export function allowed(
  ctx: EvaluationContext,
  principal: Principal,
  action: string,
  resource: string,
  target?: Principal | Resource,
): Allowed | undefined {
  let on: Resource | undefined
  if (target !== undefined && 'holdsData' in target) on = target
  else if (target !== undefined && target.type === 'role' && action.startsWith('sts:'))
    on = roleAsResource(target)
  const decision = ctx.decide(
    on === undefined ? { principal, action, resource } : { principal, action, resource, target: on },
  )
  return decision.decision === 'allow' ? { conditional: decision.conditional } : undefined
}

/** All of `actions` on `resource`; conditional when any of them is. */
export function allowedAll(
  ctx: EvaluationContext,
  principal: Principal,
  actions: string[],
  resource: string,
  target?: Principal | Resource,
): Allowed | undefined {
  let conditional = false
  for (const action of actions) {
    const ok = allowed(ctx, principal, action, resource, target)
    if (ok === undefined) return undefined
    conditional ||= ok.conditional
  }
  return { conditional }
}

/** Where the first Allow statement naming `action` (on `resource`, when one matches) is written. */
export function grantLocation(
  ctx: EvaluationContext,
  principal: Principal,
  action: string,
  resource: string,
): SourceLocation | undefined {
  const info = ctx.index.catalog.action(action)
  const position = info && ctx.index.indexOf(info)
  if (position === undefined) return undefined
  const naming = ctx
    .principal(principal)
    .identity.filter((s) => s.effect === 'Allow' && s.actions.has(position))
  const onResource = naming.find(
    (s) => s.resources === undefined || s.resources.some((r) => wildcardMatch(r, resource)),
  )
  return (onResource ?? naming[0])?.source.location
}

/** The ARN of a customer-managed policy: from its IAM name in the principal's account. */
export function policyArn(model: Model, policy: Policy, account: string | undefined): string {
  if (policy.id.startsWith('arn:')) return policy.id
  return `arn:${model.partition}:iam::${account ?? model.homeAccounts[0] ?? '*'}:policy/${policy.name}`
}

/** Every identity policy of a principal, its groups' included, each with who holds it. */
export function policiesOf(byId: Map<string, Principal>, p: Principal): Policy[] {
  const out = [...p.policies]
  for (const g of p.groups ?? []) out.push(...(byId.get(g)?.policies ?? []))
  return out
}
