/**
 * The AWS policy evaluation logic, over a scope of resources at once: a concrete ARN (one request)
 * or a pattern (every request on resources the pattern matches).
 *
 * - An unconditional explicit Deny that covers the scope, in any policy that applies, wins.
 * - Identity-based allows pass through the permissions boundary and every SCP of the principal's
 *   account; RCPs of the resource's account limit every request on it.
 * - Same account: an identity allow or a resource policy naming the principal suffices. Resources
 *   whose policy is authoritative (KMS keys, role trust) need their policy to name the principal or
 *   to delegate to the account. Cross account: both sides must allow.
 * - A boundary limits a resource-policy grant to a role, not to a user (AWS's documented rule).
 * - Conditions are not guessed: an allow that needs a condition is reported as conditional, and a
 *   conditional Deny does not remove access.
 */
import type { Principal } from '../model/types.js'
import type { ActionIndex, ActionSet } from './actionSet.js'
import type { CompiledStatement, StatementSource } from './compile.js'
import { statementCovers, statementIntersects } from './compile.js'
import { matchPrincipal } from './principalMatch.js'

export interface PrincipalContext {
  principal: Principal
  /** The principal's account, when known. */
  account?: string
  identity: CompiledStatement[]
  boundary?: CompiledStatement[]
  /** One list per SCP that applies to the principal's account: each must allow. */
  scps: CompiledStatement[][]
}

export interface ResourceContext {
  /** Account owning the resource; undefined when unknown (treated as the principal's). */
  account?: string
  policy?: CompiledStatement[]
  /** KMS keys and IAM roles: identity policies count only when the resource policy delegates. */
  policyIsAuthoritative: boolean
  rcps: CompiledStatement[][]
}

export interface ScopeResult {
  allowed: ActionSet
  /** The part of `allowed` that holds only under conditions. */
  conditional: ActionSet
  /** Actions an unconditional Deny removed, with the Denies. */
  denied: ActionSet
  deniedBy: StatementSource[]
  /** Conditional Denies and Denies on part of the scope, which may remove some of the access. */
  limitedBy: StatementSource[]
}

export const NO_RESOURCE: ResourceContext = { policyIsAuthoritative: false, rcps: [] }

interface Allows {
  any: ActionSet
  unconditional: ActionSet
}

export function evaluateScope(
  index: ActionIndex,
  who: PrincipalContext,
  scope: string,
  resource: ResourceContext = NO_RESOURCE,
): ScopeResult {
  const deniedBy: StatementSource[] = []
  const limitedBy: StatementSource[] = []
  const denied = index.empty()
  const collectDenies = (
    statements: CompiledStatement[],
    admits: (s: CompiledStatement) => boolean,
  ): void => {
    for (const s of statements) {
      if (s.effect !== 'Deny' || !admits(s) || s.actions.isEmpty()) continue
      if (!s.conditional && statementCovers(s, scope)) {
        denied.unionWith(s.actions)
        deniedBy.push(s.source)
      } else if (statementIntersects(s, scope)) {
        limitedBy.push(s.source)
      }
    }
  }
  const always = (): boolean => true
  collectDenies(who.identity, always)
  if (who.boundary !== undefined) collectDenies(who.boundary, always)
  for (const scp of who.scps) collectDenies(scp, always)
  for (const rcp of resource.rcps) collectDenies(rcp, (s) => admitsForControlPolicy(s, who.principal))
  if (resource.policy !== undefined)
    collectDenies(resource.policy, (s) => matchPrincipal(s, who.principal) !== 'none')

  const identity = allowsOf(index, who.identity, scope)
  let identityPath = withLimit(identity, who.boundary && allowsOf(index, who.boundary, scope))

  const sameAccount =
    resource.account === undefined || who.account === undefined || resource.account === who.account
  let allowed: Allows
  if (resource.policy === undefined) {
    allowed = sameAccount || resource.account === undefined ? identityPath : empty(index)
  } else {
    const direct = allowsOf(
      index,
      resource.policy,
      scope,
      (s) => matchPrincipal(s, who.principal) === 'direct',
    )
    const viaAccount = allowsOf(
      index,
      resource.policy,
      scope,
      (s) => matchPrincipal(s, who.principal) !== 'none',
    )
    if (!sameAccount || resource.policyIsAuthoritative) identityPath = withLimit(identityPath, viaAccount)
    if (sameAccount) {
      const boundaryLimitsResourcePath = who.principal.type === 'role' && who.boundary !== undefined
      const resourcePath = boundaryLimitsResourcePath
        ? withLimit(direct, allowsOf(index, who.boundary!, scope))
        : direct
      allowed = union(identityPath, resourcePath)
    } else {
      allowed = identityPath
    }
  }
  for (const scp of who.scps) allowed = withLimit(allowed, allowsOf(index, scp, scope))
  for (const rcp of resource.rcps) {
    allowed = withLimit(
      allowed,
      allowsOf(index, rcp, scope, (s) => admitsForControlPolicy(s, who.principal)),
    )
  }
  allowed.any.minus(denied)
  allowed.unconditional.minus(denied)
  return {
    allowed: allowed.any,
    conditional: allowed.any.clone().minus(allowed.unconditional),
    denied,
    deniedBy,
    limitedBy,
  }
}

/** Union of the actions of the Allow statements that cover the scope (and admit the principal). */
export function allowsOf(
  index: ActionIndex,
  statements: CompiledStatement[],
  scope: string,
  admits: (s: CompiledStatement) => boolean = () => true,
): Allows {
  const any = index.empty()
  const unconditional = index.empty()
  for (const s of statements) {
    if (s.effect !== 'Allow' || !admits(s) || !statementCovers(s, scope)) continue
    any.unionWith(s.actions)
    if (!s.conditional) unconditional.unionWith(s.actions)
  }
  return { any, unconditional }
}

function withLimit(allows: Allows, limit: Allows | undefined): Allows {
  if (limit === undefined) return allows
  return {
    any: allows.any.clone().intersectWith(limit.any),
    unconditional: allows.unconditional.clone().intersectWith(limit.unconditional),
  }
}

function union(a: Allows, b: Allows): Allows {
  return {
    any: a.any.clone().unionWith(b.any),
    unconditional: a.unconditional.clone().unionWith(b.unconditional),
  }
}

function empty(index: ActionIndex): Allows {
  return { any: index.empty(), unconditional: index.empty() }
}

/** RCPs name `"Principal": "*"` (the only form AWS allows) and apply to every principal. */
function admitsForControlPolicy(statement: CompiledStatement, principal: Principal): boolean {
  return statement.principals === undefined || matchPrincipal(statement, principal) !== 'none'
}
