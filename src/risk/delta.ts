/**
 * The access delta between two revisions: per principal, the grants gained and lost; per data
 * resource, who could access it before and after.
 *
 * Grants are compared by coverage, not by text: a head grant is new only for the actions that no
 * base grant of the same capability on a covering resource held (and symmetrically for removals).
 * Replacing `s3:*` on `*` by two precise statements thus removes the `*` grant and adds nothing,
 * and an administrator who loses admin rights gains nothing, however many narrow grants remain.
 */

import { compareGrants } from '../engine/grants.js'
import { patternCovers } from '../engine/resourcePatterns.js'
import type { AccessMap, Grant, PrincipalAccess, WhoCanEntry } from '../engine/types.js'
import type { Capability } from '../iam/types.js'
import type { Resource } from '../model/types.js'
import type { WhoCan } from '../report/contract.js'
import { policiesById, RemovalExplainer } from './removal.js'
import type { Revision } from './revision.js'

export interface PrincipalChange {
  base?: PrincipalAccess
  head?: PrincipalAccess
  added: Grant[]
  removed: { grant: Grant; because: string }[]
}

export interface ResourceChange {
  base?: Resource
  head?: Resource
  whoCan: { base: WhoCan[]; head: WhoCan[] }
}

/** Pairs of the same principal at base and head: by id, else IaC address, else name (and type). */
export function matchPrincipals(
  base: AccessMap,
  head: AccessMap,
): { base?: PrincipalAccess; head?: PrincipalAccess }[] {
  const unmatched = new Set(base.principals)
  const byId = new Map(base.principals.map((a) => [a.principal.id, a]))
  // Candidates by address and by name (with type): a tree of thousands of roles must not go quadratic.
  const byAddress = new Map<string, PrincipalAccess[]>()
  const byName = new Map<string, PrincipalAccess[]>()
  for (const a of base.principals) {
    if (a.principal.address !== undefined) push(byAddress, `${a.principal.type}\n${a.principal.address}`, a)
    push(byName, `${a.principal.type}\n${a.principal.name}`, a)
  }
  const pairs: { base?: PrincipalAccess; head?: PrincipalAccess }[] = []
  const take = (found: PrincipalAccess | undefined): PrincipalAccess | undefined =>
    found !== undefined && unmatched.has(found) ? found : undefined
  const first = (list: PrincipalAccess[] | undefined): PrincipalAccess | undefined =>
    list?.find((a) => unmatched.has(a))
  for (const h of head.principals) {
    const p = h.principal
    const found =
      take(byId.get(p.id)) ??
      (p.address !== undefined ? first(byAddress.get(`${p.type}\n${p.address}`)) : undefined) ??
      first(byName.get(`${p.type}\n${p.name}`))
    if (found !== undefined) unmatched.delete(found)
    pairs.push(found === undefined ? { head: h } : { base: found, head: h })
  }
  for (const b of unmatched) pairs.push({ base: b })
  return pairs
}

/** The actions of `grant` that no grant of `others` covering its resource holds. */
export function uncoveredActions(grant: Grant, others: Grant[]): string[] {
  const holders = others.filter(
    (o) =>
      (o.service === '*' || o.service === grant.service) &&
      o.capability === grant.capability &&
      (!o.conditional || (grant.conditional && conditionsNoStronger(o, grant))) &&
      patternCovers(o.resource, grant.resource),
  )
  if (holders.some((o) => o.actions.includes('*'))) return []
  const held = new Set(holders.flatMap((o) => o.actions))
  return grant.actions.filter((a) => !held.has(a))
}

function changedGrants(from: Grant[], to: Grant[]): Grant[] {
  // Most grants have an identical counterpart (same kind, resource, condition and actions). Both
  // lists are sorted by compareGrants, which orders by exactly that key: one walk finds them.
  let byKind: Map<string, Map<Capability, Grant[]>> | undefined
  const out: Grant[] = []
  let i = 0
  for (let k = 0; k < to.length; k++) {
    const g = to[k]!
    while (i < from.length && compareGrants(from[i]!, g) < 0) i++
    let identical = false
    for (let j = i; j < from.length && compareGrants(from[j]!, g) === 0; j++) {
      if (sameList(from[j]!.actions, g.actions) && sameList(from[j]!.conditionValues, g.conditionValues)) {
        identical = true
        break
      }
    }
    if (identical) continue
    // Only grants of the same service and capability (or an administrator's) can cover a grant.
    byKind ??= grantsByKind(from)
    const candidates = [
      ...(byKind.get(g.service)?.get(g.capability) ?? []),
      ...(g.service === '*' ? [] : (byKind.get('*')?.get(g.capability) ?? [])),
    ]
    const actions = uncoveredActions(g, candidates)
    if (actions.length > 0) out.push(actions.length === g.actions.length ? g : { ...g, actions })
  }
  return out
}

/** Operators for which more values, or wider patterns, only let more requests in. */
const WIDENING = /^(?:ForAnyValue:|ForAllValues:)?(?:String|Arn)(Equals|Like)(?:IfExists)?$/

/**
 * Whether `holder`'s conditions hold whenever `grant`'s do: the same conditions, or the same
 * tests (operator and key, in order) where each of `grant`'s values is one of `holder`'s or, for
 * a Like or Arn test, matched by one of its patterns. Any other difference (a value replaced, a
 * negated test, a test added or dropped) makes them different grants.
 */
export function conditionsNoStronger(holder: Grant, grant: Grant): boolean {
  const wider = holder.conditionValues
  const narrower = grant.conditionValues
  if (wider === undefined || narrower === undefined) return wider === narrower
  if (wider.length !== narrower.length) return false
  for (let i = 0; i < wider.length; i++) {
    if (wider[i] === narrower[i]) continue
    const [operator, key, ...allowed] = wider[i]!.split('\u0000')
    const [otherOperator, otherKey, ...asked] = narrower[i]!.split('\u0000')
    if (operator !== otherOperator || key !== otherKey) return false
    const test = WIDENING.exec(operator!)
    if (test === null) return false
    const patterns = test[1] === 'Like' || operator!.includes('Arn')
    const covered = asked.every((value) =>
      allowed.some((a) => a === value || (patterns && patternCovers(a, value))),
    )
    if (!covered) return false
  }
  return true
}

/** Grants by service, then capability. */
function grantsByKind(grants: Grant[]): Map<string, Map<Capability, Grant[]>> {
  const byKind = new Map<string, Map<Capability, Grant[]>>()
  for (const g of grants) {
    let byCapability = byKind.get(g.service)
    if (byCapability === undefined) {
      byCapability = new Map()
      byKind.set(g.service, byCapability)
    }
    const list = byCapability.get(g.capability)
    if (list === undefined) byCapability.set(g.capability, [g])
    else list.push(g)
  }
  return byKind
}

/** The same strings in the same order (both absent counts as the same). */
function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export function principalChanges(base: Revision, head: Revision): PrincipalChange[] {
  const explainer = new RemovalExplainer(head.result.model, head.access)
  const basePolicies = policiesById(base.result.model)
  const changes: PrincipalChange[] = []
  for (const pair of matchPrincipals(base.access, head.access)) {
    const added = changedGrants(pair.base?.grants ?? [], pair.head?.grants ?? [])
    const lost = changedGrants(pair.head?.grants ?? [], pair.base?.grants ?? [])
    const removed = lost.map((grant) => ({
      grant,
      because: explainer.explain(pair.base!, pair.head, grant, basePolicies),
    }))
    changes.push({ ...pair, added, removed })
  }
  return changes
}

/** Who can access the resource, as the contract says it: principals in order, capabilities copied. */
function contractWhoCan(entries: WhoCanEntry[] | undefined): WhoCan[] {
  if (entries === undefined) return []
  return entries
    .map((w) => ({ principal: w.principal, capabilities: [...w.capabilities] }))
    .sort((a, b) => a.principal.localeCompare(b.principal))
}

/** The same principals with the same capabilities, in the same order. */
function sameWhoCan(
  a: { principal: string; capabilities: string[] }[],
  b: { principal: string; capabilities: string[] }[],
): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x.principal !== y.principal || !sameList(x.capabilities, y.capabilities)) return false
  }
  return true
}

/** Data resources (data stores, or anything tagged) whose who-can or classification changed. */
export function resourceChanges(base: Revision, head: Revision): ResourceChange[] {
  const before = new Map(base.access.resources.map((r) => [r.resource, r.whoCan]))
  const after = new Map(head.access.resources.map((r) => [r.resource, r.whoCan]))
  const byKey = new Map<string, Resource>()
  for (const r of base.result.model.resources) {
    byKey.set(r.id, r)
    byKey.set(r.arn, r)
  }
  const unmatched = new Set(base.result.model.resources)
  const changes: ResourceChange[] = []
  const consider = (b: Resource | undefined, h: Resource | undefined): void => {
    const cb = b === undefined ? undefined : base.classify(b)
    const ch = h === undefined ? undefined : head.classify(h)
    const isData =
      (b?.holdsData ?? false) || (h?.holdsData ?? false) || cb?.value != null || ch?.value != null
    if (!isData) return
    const was = b === undefined ? undefined : before.get(b)
    const now = h === undefined ? undefined : after.get(h)
    // Both revisions list who can in the same order: equal lists need no copies to compare.
    if (sameWhoCan(was ?? [], now ?? []) && (cb?.value ?? null) === (ch?.value ?? null)) return
    const whoCan = { base: contractWhoCan(was), head: contractWhoCan(now) }
    if (sameWhoCan(whoCan.base, whoCan.head) && (cb?.value ?? null) === (ch?.value ?? null)) return
    changes.push({ ...(b !== undefined ? { base: b } : {}), ...(h !== undefined ? { head: h } : {}), whoCan })
  }
  for (const h of head.result.model.resources) {
    const b = byKey.get(h.id) ?? byKey.get(h.arn)
    if (b !== undefined && unmatched.has(b)) {
      unmatched.delete(b)
      consider(b, h)
    } else consider(undefined, h)
  }
  for (const b of unmatched) consider(b, undefined)
  return changes
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}
