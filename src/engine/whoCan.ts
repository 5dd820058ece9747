/**
 * Who can access each resource of the tree. A grant held directly on a pattern counts for every
 * resource the pattern meets (`*` for every resource of its service). Where the resource's own
 * policy, an RCP or the account boundary can change the answer, the principal is evaluated on the
 * resource itself. Principals that reach a holder through a path gain what it can do there.
 *
 * Grants are indexed by service (grants on `*`) and by the literal text before their first
 * wildcard, so each resource looks only at the grants that can meet it.
 */
import { CAPABILITIES } from '../iam/types.js'
import type { Resource } from '../model/types.js'
import { type CompiledStatement, statementIntersects } from './compile.js'
import type { EvaluationContext } from './context.js'
import { CAPABILITY_BIT, capabilityMaskOfScope, resourceForms } from './grants.js'
import { matchPrincipal } from './principalMatch.js'
import { patternCovers, patternsIntersect } from './resourcePatterns.js'
import type { Grant, PathTo, PrincipalAccess, ResourceAccess, WhoCanEntry } from './types.js'

interface Holder {
  access: PrincipalAccess
  grant: Grant
}

/**
 * `paths`: for each principal id, the principals it reaches through a path (see `pathsThrough`);
 * they pass on what they can do on each resource.
 */
export function whoCanAccess(
  ctx: EvaluationContext,
  principals: PrincipalAccess[],
  paths: ReadonlyMap<string, readonly PathTo[]>,
): ResourceAccess[] {
  const holders = principals.filter((a) => a.principal.type !== 'group')
  // Every route gets a number: the inner loop keeps numbers, not objects.
  const routes: Route[] = []
  const route = (index: number, via: string | undefined, rank: number): Route => {
    const made: Route = { id: routes.length, index, via, rank, entries: undefined }
    routes.push(made)
    return made
  }
  // Only grants held directly are matched against resources: what a principal reaches through a
  // path is what the principals it becomes hold directly, passed on to it through `reachers`.
  const index = new GrantIndex(holders, ctx)
  const positions = new Map(holders.map((a, i) => [a, i]))
  const reachers = reachersOf(holders)
  // A holder's own routes, by the route in words of its grants (an administrator's is its path).
  const own = holders.map(() => new Map<string | undefined, Route>())
  const ownRoute = (i: number, via: string | undefined): Route => {
    let found = own[i]!.get(via)
    if (found === undefined) {
      found = route(i, via, -1)
      own[i]!.set(via, found)
    }
    return found
  }
  const byName = [...holders.keys()].sort((a, b) => {
    const x = holders[a]!.principal.name
    const y = holders[b]!.principal.name
    return x < y ? -1 : x > y ? 1 : a - b
  })
  const order = new Int32Array(holders.length)
  byName.forEach((i, rank) => {
    order[i] = rank
  })
  // Per resource, for each principal: its capabilities (bits) and the nearest route to them. A
  // principal's slots count for the current resource only when stamped with its number.
  const masks = new Uint8Array(holders.length)
  const ranks = new Float64Array(holders.length)
  const stamps = new Int32Array(holders.length).fill(-1)
  const best = new Int32Array(holders.length)
  const touched: number[] = []
  let stamp = 0
  const reach = (i: number, through: number, rank: number, mask: number): void => {
    if (stamps[i] !== stamp) {
      stamps[i] = stamp
      touched.push(i)
      best[i] = through
      ranks[i] = rank
      masks[i] = mask
    } else {
      masks[i]! |= mask
      if (rank < ranks[i]!) {
        ranks[i] = rank
        best[i] = through
      }
    }
  }
  // What a list of grants makes of a resource, when nothing about the resource itself can change it.
  const capabilitiesOfList = new Map<Grant[], { mask: number; via?: string }>()
  return ctx.model.resources.map((resource, number) => {
    stamp = number
    const forms = resourceForms(resource)
    const narrowing = narrowingOf(ctx, resource, forms)
    const direct: [number, number][] = []
    for (const [access, meeting] of index.meeting(resource, forms)) {
      const otherAccount = crossAccount(ctx, access, resource)
      const narrowable = narrowing !== undefined || otherAccount
      let answer = narrowable ? undefined : capabilitiesOfList.get(meeting)
      if (answer === undefined) {
        answer = capabilitiesOn(ctx, resource, forms, access, meeting, otherAccount, narrowing)
        if (!narrowable) capabilitiesOfList.set(meeting, answer)
      }
      if (answer.mask === 0) continue
      const i = positions.get(access)!
      reach(i, ownRoute(i, answer.via).id, -1, answer.mask)
      direct.push([i, answer.mask])
    }
    // Principals that become a holder gain what it holds; the route to the nearest holder is told.
    for (const [i, mask] of direct) {
      const list = reachers[i]
      if (list === undefined) continue
      const { index: who, rank, route: through } = list
      for (let k = 0; k < who.length; k++) reach(who[k]!, through[k]!, rank[k]!, mask)
    }
    // By principal name: a scan of everyone in that order when many are touched, else a sort.
    let named: number[]
    if (touched.length * 8 > holders.length) named = byName.filter((i) => stamps[i] === stamp)
    else named = touched.sort((a, b) => order[a]! - order[b]!)
    const whoCan = named.map((i) => entryOf(routes[best[i]!]!, holders[i]!.principal.name, masks[i]!))
    touched.length = 0
    return { resource, whoCan }
  })

  /**
   * For each holder (by position), the principals that reach it through a path, each with the
   * route in words and its rank (its place in the reacher's paths, nearest first). Administrators
   * are left out: their grants say all.
   */
  function reachersOf(all: PrincipalAccess[]): (Reachers | undefined)[] {
    const byId = new Map(all.map((a, i) => [a.principal.id, i]))
    const lists: Route[][] = []
    all.forEach((access, i) => {
      if (access.isAdmin) return
      ;(paths.get(access.principal.id) ?? []).forEach((to, order) => {
        const t = byId.get(to.target)
        if (t === undefined) return
        const list = lists[t]
        const through = route(i, to.via, order)
        if (list === undefined) lists[t] = [through]
        else list.push(through)
      })
    })
    return Array.from(lists, (list) =>
      list === undefined
        ? undefined
        : {
            index: Int32Array.from(list, (r) => r.index),
            rank: Float64Array.from(list, (r) => r.rank),
            route: Int32Array.from(list, (r) => r.id),
          },
    )
  }
}

/** The principals that reach one holder, packed for the inner loop. */
interface Reachers {
  index: Int32Array
  rank: Float64Array
  /** Route numbers. */
  route: Int32Array
}

/** How a principal comes to access a resource: itself (rank -1) or through a path. */
interface Route {
  id: number
  /** Position of the principal that gains access. */
  index: number
  via: string | undefined
  rank: number
  /** The entries this route gives, by capability bits: resources that answer alike share one. */
  entries: Map<number, WhoCanEntry> | undefined
}

function entryOf(through: Route, principal: string, mask: number): WhoCanEntry {
  through.entries ??= new Map()
  let entry = through.entries.get(mask)
  if (entry === undefined) {
    entry = { principal, capabilities: CAPABILITIES.filter((_, i) => (mask & (1 << i)) !== 0) }
    if (through.via !== undefined) entry.via = through.via
    through.entries.set(mask, entry)
  }
  return entry
}

/** Capabilities as bits, in the order of CAPABILITIES. */
function maskOf(grants: Grant[]): number {
  let mask = 0
  for (const g of grants) mask |= CAPABILITY_BIT.get(g.capability)!
  return mask
}

/** What grants of one principal that meet a resource give on it. */
function capabilitiesOn(
  ctx: EvaluationContext,
  resource: Resource,
  forms: string[],
  access: PrincipalAccess,
  meeting: Grant[],
  otherAccount: boolean,
  narrowing: { always: boolean; denies: CompiledStatement[] } | undefined,
): { mask: number; via?: string } {
  const inherited = meeting.filter((g) => g.path !== undefined)
  // Grants held directly are re-evaluated on the resource when something about it can change them.
  const exact =
    inherited.length < meeting.length &&
    (otherAccount ||
      narrowing?.always === true ||
      (narrowing?.denies.some((d) => deniesTo(d, access)) ?? false))
  let mask = maskOf(meeting)
  if (exact) {
    // Evaluate on the resource itself: each of its forms, and the patterns that meet only part of it.
    const partial = meeting.filter(
      (g) => g.path === undefined && !forms.some((f) => patternCovers(g.resource, f)),
    )
    const patterns = [...new Set([...forms, ...partial.map((g) => g.resource)])]
    mask = maskOf(inherited)
    // Where the resource policy must admit the principal (another account, a key policy) and no
    // Allow of it does, the identity side gives nothing there.
    const context = ctx.resource(resource)
    const needsPolicy = otherAccount || context.policyIsAuthoritative
    const admitted = (context.policy ?? []).some(
      (s) => s.effect === 'Allow' && matchPrincipal(s, access.principal) !== 'none',
    )
    if (!needsPolicy || admitted)
      for (const pattern of patterns)
        mask |= capabilityMaskOfScope(ctx, access.principal, { pattern, target: resource })
  }
  const answer: { mask: number; via?: string } = { mask }
  if (inherited.length === meeting.length && inherited.length > 0) answer.via = inherited[0]!.via
  return answer
}

/**
 * What about the resource itself can change what grants found by pattern give on it, or undefined
 * when nothing can: an authoritative policy (KMS keys) or an RCP Deny changes it for everyone, a
 * Deny of its policy for the principals it names. A principal of another account is checked apart
 * (then the resource policy must allow too).
 */
function narrowingOf(
  ctx: EvaluationContext,
  resource: Resource,
  forms: string[],
): { always: boolean; denies: CompiledStatement[] } | undefined {
  const context = ctx.resource(resource)
  const meets = (s: CompiledStatement): boolean =>
    s.effect === 'Deny' && !s.conditional && forms.some((f) => statementIntersects(s, f))
  const always = context.policyIsAuthoritative || context.rcps.some((rcp) => rcp.some(meets))
  const denies = (context.policy ?? []).filter(meets)
  return always || denies.length > 0 ? { always, denies } : undefined
}

function deniesTo(deny: CompiledStatement, access: PrincipalAccess): boolean {
  return deny.notPrincipals !== undefined || matchPrincipal(deny, access.principal) !== 'none'
}

function crossAccount(ctx: EvaluationContext, access: PrincipalAccess, resource: Resource): boolean {
  const account = ctx.resource(resource).account
  const who = access.principal.account
  return account !== undefined && who !== undefined && account !== who
}

class GrantIndex {
  /** Grants on `*`, by service and then by principal. */
  private readonly byService = new Map<string, Map<PrincipalAccess, Grant[]>>()
  /** Whether some action of a grant on `*` can be requested on a resource of a type (by actions list). */
  private readonly applicable = new Map<string[], Map<string, boolean>>()
  /** Grants on patterns, by literal prefix and then by pattern: each pattern is matched once. */
  private readonly byPrefix = new Map<string, Map<string, Holder[]>>()
  private readonly prefixes: string[]
  private readonly prefixLengths: number[]

  constructor(
    principals: PrincipalAccess[],
    private readonly ctx: EvaluationContext,
  ) {
    for (const access of principals) {
      // Indexed: most of a principal's grants can be inherited ones, skipped here.
      for (let i = 0; i < access.grants.length; i++) {
        const grant = access.grants[i]!
        if (grant.path !== undefined && !access.isAdmin) continue
        const holder = { access, grant }
        if (grant.resource === '*') {
          let holders = this.byService.get(grant.service)
          if (holders === undefined) {
            holders = new Map()
            this.byService.set(grant.service, holders)
          }
          const list = holders.get(access)
          if (list === undefined) holders.set(access, [grant])
          else list.push(grant)
        } else {
          const prefix = literalPrefix(grant.resource)
          let patterns = this.byPrefix.get(prefix)
          if (patterns === undefined) {
            patterns = new Map()
            this.byPrefix.set(prefix, patterns)
          }
          push(patterns, grant.resource, holder)
        }
      }
    }
    this.prefixes = [...this.byPrefix.keys()].sort()
    this.prefixLengths = [...new Set(this.prefixes.map((p) => p.length))].sort((a, b) => a - b)
  }

  /** Per principal, its grants that meet one of the resource's forms. */
  meeting(resource: Resource, forms: string[]): Map<PrincipalAccess, Grant[]> {
    // Service-wide grants answer alike for every resource of a type: one shared list per principal,
    // so the caller can also reuse what it made of that list.
    const out = new Map(this.wide(resource, forms))
    // Lists from `wide` are shared: copied once before the first grant is added to them.
    const own = new Set<Grant[]>()
    const fromPatterns = new Set<Grant>()
    for (const form of forms) {
      this.eachCandidate(form, (holders, pattern) => {
        if (!patternsIntersect(pattern, form)) return
        for (const h of holders) {
          if (fromPatterns.has(h.grant)) continue
          fromPatterns.add(h.grant)
          let list = out.get(h.access)
          if (list === undefined || !own.has(list)) {
            list = list === undefined ? [] : [...list]
            own.add(list)
            out.set(h.access, list)
          }
          list.push(h.grant)
        }
      })
    }
    return out
  }

  private readonly wideByType = new Map<string, Map<PrincipalAccess, Grant[]>>()

  private wide(resource: Resource, forms: string[]): Map<PrincipalAccess, Grant[]> {
    const key = `${resource.service}\n${resource.type}`
    let lists = this.wideByType.get(key)
    if (lists === undefined) {
      lists = new Map()
      for (const [access, grants] of this.byService.get(resource.service) ?? []) {
        const applying = grants.filter((g) => this.appliesToResource(g, resource, forms))
        if (applying.length > 0) lists.set(access, applying)
      }
      // Administrators' grants name every service.
      for (const [access, grants] of this.byService.get('*') ?? []) {
        const list = lists.get(access)
        lists.set(access, list === undefined ? grants : [...list, ...grants])
      }
      this.wideByType.set(key, lists)
    }
    return lists
  }

  /**
   * A grant on every resource counts for this one only through actions that can name it:
   * `s3:ListAllMyBuckets` on `*` reads no bucket. Resources of one type answer alike, so the
   * answer is kept per actions list and type.
   */
  private appliesToResource(grant: Grant, resource: Resource, forms: string[]): boolean {
    let byType = this.applicable.get(grant.actions)
    if (byType === undefined) {
      byType = new Map()
      this.applicable.set(grant.actions, byType)
    }
    let answer = byType.get(resource.type)
    if (answer === undefined) {
      const { catalog } = this.ctx.index
      answer = grant.actions.some((name) => {
        const action = catalog.action(name)
        const position = action && this.ctx.index.indexOf(action)
        return position !== undefined && forms.some((f) => this.ctx.appliesTo(position, f))
      })
      byType.set(resource.type, answer)
    }
    return answer
  }

  /**
   * Grants whose literal prefix is a prefix of the form's, or, for a pattern form, extends it: by
   * pattern, shortest prefixes first. Only the prefix lengths some grant has are looked up.
   */
  private eachCandidate(form: string, visit: (holders: Holder[], pattern: string) => void): void {
    const prefix = literalPrefix(form)
    for (const length of this.prefixLengths) {
      if (length > prefix.length) break
      this.byPrefix.get(length === prefix.length ? prefix : prefix.slice(0, length))?.forEach(visit)
    }
    if (prefix.length === form.length) return
    let low = 0
    let high = this.prefixes.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.prefixes[mid]! <= prefix) low = mid + 1
      else high = mid
    }
    for (let i = low; i < this.prefixes.length && this.prefixes[i]!.startsWith(prefix); i++) {
      this.byPrefix.get(this.prefixes[i]!)?.forEach(visit)
    }
  }
}

function literalPrefix(pattern: string): string {
  let end = pattern.length
  const star = pattern.indexOf('*')
  const one = pattern.indexOf('?')
  if (star >= 0) end = star
  if (one >= 0 && one < end) end = one
  return pattern.slice(0, end)
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

/**
 * The entries of a who-can list (in principal-name order, as whoCanAccess lists them) that name
 * the principal: found by halving, not by reading the list.
 */
export function entriesNaming(entries: readonly WhoCanEntry[], name: string): WhoCanEntry[] {
  let low = 0
  let high = entries.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (entries[middle]!.principal < name) low = middle + 1
    else high = middle
  }
  let end = low
  while (end < entries.length && entries[end]!.principal === name) end++
  return entries.slice(low, end)
}
