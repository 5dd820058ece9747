/**
 * The AWS policy evaluation logic, over a scope of resources at once: a concrete ARN (one request)
 * or a pattern (every request on resources the pattern matches).
 *
 * - An unconditional explicit Deny that covers the scope, in any policy that applies, wins.
 * - Identity-based allows pass through the permissions boundary and every SCP of the principal's
 *   account; the Denies of the RCPs of the resource's account apply to every request on it (their
 *   Allows do not limit: RCPFullAWSAccess is always attached too).
 * - Same account: an identity allow or a resource policy naming the principal suffices. Resources
 *   whose policy is authoritative (KMS keys, role trust) need their policy to name the principal or
 *   to delegate to the account. Cross account: both sides must allow.
 * - A boundary limits a resource-policy grant to a role, not to a user (AWS's documented rule),
 *   nor a grant to everyone (`*`), which reaches the role's session directly.
 * - A resource-policy Deny with NotPrincipal always applies to a principal with a boundary.
 * - On the scope `*`, actions without resource types are decided against the literal request
 *   resource `*`, as AWS does (so `NotResource: [some ARN]` applies to them).
 * - Conditions are not guessed: an allow that needs a condition is reported as conditional, and a
 *   conditional Deny does not remove access.
 */
import { hasWildcard, wildcardMatch } from '../iam/wildcard.js'
import type { Principal } from '../model/types.js'
import { type ActionSet, type ActionUniverse, elementHas } from './actionSet.js'
import type { CompiledStatement, StatementSource } from './compile.js'
import { statementCovers, statementIntersects } from './compile.js'
import { matchPrincipal, namesEveryone } from './principalMatch.js'

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

export const NO_RESOURCE: ResourceContext = {
  account: undefined,
  policy: undefined,
  policyIsAuthoritative: false,
  rcps: [],
}

interface Allows {
  any: ActionSet
  unconditional: ActionSet
}

export function evaluateScope(
  index: ActionUniverse,
  who: PrincipalContext,
  scope: string,
  resource: ResourceContext = NO_RESOURCE,
): ScopeResult {
  const byPattern = evaluateWith(index, who, patternScope(scope), resource)
  if (scope !== '*' || !readsStarLiterally(who, resource)) return byPattern
  // Actions without resource types are requested on the resource `*` itself, and AWS matches the
  // Resource and NotResource of each statement against that text: `"NotResource": ["arn:..."]`
  // applies to them (a Deny of everything but some buckets denies s3:ListAllMyBuckets), and
  // `"Resource": "arn:aws:s3:::*"` does not. The scope `*` as a pattern ("every resource") would
  // read both the other way round, which is right only for actions with resource types.
  const literal = evaluateWith(index, who, LITERAL_STAR, resource)
  return mergeByActions(byPattern, literal, wildcardOnlyActions(index))
}

/** How statements meet the scope: as a pattern of resources, or as the literal request resource `*`. */
interface ScopeMatcher {
  covers(statement: CompiledStatement): boolean
  intersects(statement: CompiledStatement): boolean
}

function patternScope(scope: string): ScopeMatcher {
  return {
    covers: (s) => statementCovers(s, scope),
    intersects: (s) => statementIntersects(s, scope),
  }
}

function matchesLiteralStar(s: CompiledStatement): boolean {
  if (s.resources !== undefined) return s.resources.some((p) => wildcardMatch(p, '*'))
  if (s.notResources !== undefined) return !s.notResources.some((p) => wildcardMatch(p, '*'))
  return true
}

const LITERAL_STAR: ScopeMatcher = { covers: matchesLiteralStar, intersects: matchesLiteralStar }

/** Whether some statement reads differently against the literal `*` than against the pattern `*`. */
function readsStarLiterally(who: PrincipalContext, resource: ResourceContext): boolean {
  const differs = (s: CompiledStatement): boolean =>
    matchesLiteralStar(s) !== statementCovers(s, '*') || matchesLiteralStar(s) !== statementIntersects(s, '*')
  return (
    who.identity.some(differs) ||
    (who.boundary ?? []).some(differs) ||
    who.scps.some((p) => p.some(differs)) ||
    resource.rcps.some((p) => p.some(differs)) ||
    (resource.policy ?? []).some(differs)
  )
}

const wildcardOnlyCache = new WeakMap<ActionUniverse, ActionSet>()

/** The actions that support no resource-level permissions (only `*` applies). */
function wildcardOnlyActions(index: ActionUniverse): ActionSet {
  let set = wildcardOnlyCache.get(index)
  if (set === undefined) {
    set = index.empty()
    for (const [i, action] of index.actions.entries()) if (action.resourceTypes.length === 0) set.add(i)
    wildcardOnlyCache.set(index, set)
  }
  return set
}

/** `b` for the actions of `mask`, `a` for the others. */
function mergeByActions(a: ScopeResult, b: ScopeResult, mask: ActionSet): ScopeResult {
  const pick = (x: ActionSet, y: ActionSet): ActionSet =>
    x.clone().minus(mask).unionWith(y.clone().intersectWith(mask))
  const sources = (x: StatementSource[], y: StatementSource[]): StatementSource[] => [
    ...x,
    ...y.filter((s) => !x.includes(s)),
  ]
  return {
    allowed: pick(a.allowed, b.allowed),
    conditional: pick(a.conditional, b.conditional),
    denied: pick(a.denied, b.denied),
    deniedBy: sources(a.deniedBy, b.deniedBy),
    limitedBy: sources(a.limitedBy, b.limitedBy),
  }
}

function evaluateWith(
  index: ActionUniverse,
  who: PrincipalContext,
  scope: ScopeMatcher,
  resource: ResourceContext,
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
      if (!s.conditional && scope.covers(s)) {
        denied.unionWith(s.actions)
        deniedBy.push(s.source)
      } else if (scope.intersects(s)) {
        limitedBy.push(s.source)
      }
    }
  }
  const always = (): boolean => true
  collectDenies(who.identity, always)
  if (who.boundary !== undefined) collectDenies(who.boundary, always)
  for (const scp of who.scps) collectDenies(scp, always)
  for (const rcp of resource.rcps) collectDenies(rcp, (s) => admitsForControlPolicy(s, who.principal))
  if (resource.policy !== undefined) collectDenies(resource.policy, (s) => resourceDenyApplies(s, who))

  const identity = allowsWith(index, who.identity, scope)
  let identityPath = withLimit(identity, who.boundary && allowsWith(index, who.boundary, scope))

  const sameAccount =
    resource.account === undefined || who.account === undefined || resource.account === who.account
  let allowed: Allows
  if (resource.policy === undefined) {
    allowed = sameAccount || resource.account === undefined ? identityPath : empty(index)
  } else {
    const direct = allowsWith(
      index,
      resource.policy,
      scope,
      (s) => matchPrincipal(s, who.principal) === 'direct',
    )
    const viaAccount = allowsWith(
      index,
      resource.policy,
      scope,
      (s) => matchPrincipal(s, who.principal) !== 'none',
    )
    if (!sameAccount || resource.policyIsAuthoritative) identityPath = withLimit(identityPath, viaAccount)
    if (sameAccount) {
      // A boundary limits what a resource policy grants to the role itself, but not a grant that
      // names everyone (`"Principal": "*"`): that one names the role session making the request
      // directly, and AWS does not limit grants to a session by its role's boundary.
      const boundaryLimitsResourcePath = who.principal.type === 'role' && who.boundary !== undefined
      const resourcePath = boundaryLimitsResourcePath
        ? union(
            withLimit(
              allowsWith(
                index,
                resource.policy,
                scope,
                (s) => matchPrincipal(s, who.principal) === 'direct' && !namesEveryone(s),
              ),
              allowsWith(index, who.boundary!, scope),
            ),
            allowsWith(index, resource.policy, scope, namesEveryone),
          )
        : direct
      allowed = union(identityPath, resourcePath)
    } else {
      allowed = identityPath
    }
  }
  for (const scp of who.scps) allowed = withLimit(allowed, allowsWith(index, scp, scope))
  // RCPs only deny (collected above): AWS attaches RCPFullAWSAccess, which allows everything and
  // cannot be detached, to the root, every OU and every account, so an RCP's Allows never limit.
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
function allowsWith(
  index: ActionUniverse,
  statements: CompiledStatement[],
  scope: ScopeMatcher,
  admits: (s: CompiledStatement) => boolean = () => true,
): Allows {
  const any = index.empty()
  const unconditional = index.empty()
  for (const s of statements) {
    if (s.effect !== 'Allow' || !admits(s) || !scope.covers(s)) continue
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

function empty(index: ActionUniverse): Allows {
  return { any: index.empty(), unconditional: index.empty() }
}

/**
 * Whether a Deny of a resource policy applies to the principal. A Deny with NotPrincipal always
 * applies to a user or role that has a permissions boundary, whatever NotPrincipal names: AWS
 * documents this ("The NotPrincipal element with a Deny effect will always deny any IAM principal
 * that has a permissions boundary policy attached", IAM User Guide, NotPrincipal).
 */
function resourceDenyApplies(statement: CompiledStatement, who: PrincipalContext): boolean {
  if (statement.notPrincipals !== undefined && who.boundary !== undefined) return true
  return matchPrincipal(statement, who.principal) !== 'none'
}

/** RCPs name `"Principal": "*"` (the only form AWS allows) and apply to every principal. */
function admitsForControlPolicy(statement: CompiledStatement, principal: Principal): boolean {
  return statement.principals === undefined || matchPrincipal(statement, principal) !== 'none'
}

export interface SingleDecision {
  allowed: boolean
  conditional: boolean
  denied: boolean
  deniedBy: StatementSource[]
}

/** `deniedBy` of a decision that found no Deny (shared: do not modify). */
const NO_DENIES: StatementSource[] = []

/** Bits of a one-action result: 1 = allowed (any), 2 = allowed without condition. */
const ANY = 1
const UNCONDITIONAL = 2
const BOTH = ANY | UNCONDITIONAL

/** How a single request's resource meets a statement. */
const CONCRETE = 0
const PATTERN = 1
const LITERAL_STAR_SCOPE = 2
type ScopeMode = typeof CONCRETE | typeof PATTERN | typeof LITERAL_STAR_SCOPE

/**
 * `evaluateScope` for one action (at `position` in the statements' action sets), with two bits
 * instead of sets: statements that do not name the action are passed over. Same steps in the same
 * order as `evaluateWith` (the consistency test holds the two together), each list read once;
 * `literalStar` reads the scope as the request resource `*` itself, as AWS does for actions
 * without resource types. Written without closures, allocating one small record and the Denies found: it is
 * the hot path of path finding and of the privilege-escalation rule.
 */
export function decideSingle(
  who: PrincipalContext,
  scope: string,
  resource: ResourceContext,
  literalStar: boolean,
  position: number,
): SingleDecision {
  const mode: ScopeMode = literalStar ? LITERAL_STAR_SCOPE : hasWildcard(scope) ? PATTERN : CONCRETE
  const principal = who.principal

  // Identity policies: their Denies, and their Allows.
  const found: Denies = { by: undefined }
  let identityPath = allowBitsOf(who.identity, position, scope, mode, found)
  // The boundary: its Denies, and its Allows, which limit the identity path.
  const boundary = who.boundary
  const boundaryBits = boundary === undefined ? 0 : allowBitsOf(boundary, position, scope, mode, found)
  if (boundary !== undefined) identityPath &= boundaryBits
  // SCPs: their Denies, and each must allow.
  let scpBits = BOTH
  for (const scp of who.scps) scpBits &= allowBitsOf(scp, position, scope, mode, found)
  let deniedBy = found.by
  // RCPs: only their Denies count.
  for (const rcp of resource.rcps) {
    for (const s of rcp) {
      if (!elementHas(s.element, position) || s.effect !== 'Deny' || s.conditional) continue
      if (admitsForControlPolicy(s, principal) && meets(s, scope, mode))
        deniedBy = withDeny(deniedBy, s.source)
    }
  }

  const sameAccount =
    resource.account === undefined || who.account === undefined || resource.account === who.account
  let allowed: number
  const policy = resource.policy
  if (policy === undefined) {
    allowed = sameAccount ? identityPath : 0
  } else {
    // The resource policy: its Denies that apply to the principal, and its Allows by whom they name.
    const limitedRole = principal.type === 'role' && boundary !== undefined
    let direct = 0
    let viaAccount = 0
    let directNotEveryone = 0
    let everyone = 0
    for (const s of policy) {
      if (!elementHas(s.element, position)) continue
      if (s.effect === 'Deny') {
        if (!s.conditional && resourceDenyApplies(s, who) && meets(s, scope, mode))
          deniedBy = withDeny(deniedBy, s.source)
        continue
      }
      const match = matchPrincipal(s, principal)
      const toEveryone = limitedRole && namesEveryone(s)
      if (match === 'none' && !toEveryone) continue
      if (!meets(s, scope, mode)) continue
      const bits = s.conditional ? ANY : BOTH
      viaAccount |= match !== 'none' ? bits : 0
      if (match === 'direct') {
        direct |= bits
        if (limitedRole && !toEveryone) directNotEveryone |= bits
      }
      if (toEveryone) everyone |= bits
    }
    if (!sameAccount || resource.policyIsAuthoritative) identityPath &= viaAccount
    if (sameAccount) {
      const resourcePath = limitedRole ? (directNotEveryone & boundaryBits) | everyone : direct
      allowed = identityPath | resourcePath
    } else {
      allowed = identityPath
    }
  }
  allowed &= scpBits
  const denied = deniedBy !== undefined
  const any = (allowed & ANY) !== 0 && !denied
  return {
    allowed: any,
    conditional: any && (allowed & UNCONDITIONAL) === 0,
    denied,
    deniedBy: deniedBy ?? NO_DENIES,
  }
}

/** The Denies found so far; the list is allocated on the first one (most requests find none). */
interface Denies {
  by: StatementSource[] | undefined
}

/**
 * How a list of statements (identity policies, a boundary, one SCP) allows the action on the scope
 * (BOTH unconditionally, ANY only under conditions, 0 not), collecting its unconditional Denies.
 */
function allowBitsOf(
  statements: CompiledStatement[],
  position: number,
  scope: string,
  mode: ScopeMode,
  found: Denies,
): number {
  let bits = 0
  for (const s of statements) {
    if (!elementHas(s.element, position)) continue
    if (s.effect === 'Deny') {
      if (!s.conditional && meets(s, scope, mode)) found.by = withDeny(found.by, s.source)
    } else if (bits !== BOTH && meets(s, scope, mode)) {
      bits |= s.conditional ? ANY : BOTH
    }
  }
  return bits
}

function withDeny(deniedBy: StatementSource[] | undefined, source: StatementSource): StatementSource[] {
  if (deniedBy === undefined) return [source]
  deniedBy.push(source)
  return deniedBy
}

/** Whether the statement applies to the request's resource, read as `mode` says. */
function meets(s: CompiledStatement, scope: string, mode: ScopeMode): boolean {
  if (mode === LITERAL_STAR_SCOPE) return matchesLiteralStar(s)
  if (mode === PATTERN) return statementCovers(s, scope)
  // A concrete ARN: `statementCovers` with every pattern relation reduced to matching the ARN.
  const resources = s.resources
  if (resources !== undefined) {
    for (let i = 0; i < resources.length; i++) if (wildcardMatch(resources[i]!, scope)) return true
    return false
  }
  const notResources = s.notResources
  if (notResources !== undefined) {
    for (let i = 0; i < notResources.length; i++) if (wildcardMatch(notResources[i]!, scope)) return false
  }
  return true
}
