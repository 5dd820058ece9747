/**
 * Who can access each resource of the tree. A grant on a pattern counts for every resource the
 * pattern meets (`*` for every resource of its service). Where the resource's own policy, an RCP
 * or the account boundary can change the answer, the principal is evaluated on the resource itself.
 *
 * Grants are indexed by service (grants on `*`) and by the literal text before their first
 * wildcard, so each resource looks only at the grants that can meet it.
 */
import type { Capability } from '../iam/types.js'
import { CAPABILITIES } from '../iam/types.js'
import type { Resource } from '../model/types.js'
import { type CompiledStatement, statementIntersects } from './compile.js'
import type { EvaluationContext } from './context.js'
import { grantsOfScope, resourceForms } from './grants.js'
import { matchPrincipal } from './principalMatch.js'
import { patternCovers, patternsIntersect } from './resourcePatterns.js'
import type { Grant, PrincipalAccess, ResourceAccess, WhoCanEntry } from './types.js'

interface Holder {
  access: PrincipalAccess
  grant: Grant
}

export function whoCanAccess(ctx: EvaluationContext, principals: PrincipalAccess[]): ResourceAccess[] {
  const index = new GrantIndex(
    principals.filter((a) => a.principal.type !== 'group'),
    ctx,
  )
  // What a list of grants makes of a resource, when nothing about the resource itself can change it.
  const entryOfList = new WeakMap<Grant[], WhoCanEntry | null>()
  return ctx.model.resources.map((resource) => {
    const forms = resourceForms(resource)
    const entries: WhoCanEntry[] = []
    const narrowing = narrowingOf(ctx, resource, forms)
    for (const [access, meeting] of index.meeting(resource, forms)) {
      const otherAccount = crossAccount(ctx, access, resource)
      const narrowable = narrowing !== undefined || otherAccount
      if (!narrowable) {
        const known = entryOfList.get(meeting)
        if (known !== undefined) {
          if (known !== null) entries.push(known)
          continue
        }
      }
      const inherited = meeting.filter((g) => g.path !== undefined)
      let counted = meeting
      // Grants held directly are re-evaluated on the resource when something about it can change them.
      const exact =
        inherited.length < meeting.length &&
        (otherAccount ||
          narrowing?.always === true ||
          (narrowing?.denies.some((d) => deniesTo(d, access)) ?? false))
      if (exact) {
        // Evaluate on the resource itself: each of its forms, and the patterns that meet only part of it.
        const partial = meeting.filter(
          (g) => g.path === undefined && !forms.some((f) => patternCovers(g.resource, f)),
        )
        const patterns = [...new Set([...forms, ...partial.map((g) => g.resource)])]
        counted = [
          ...patterns.flatMap((pattern) =>
            grantsOfScope(ctx, access.principal, { pattern, target: resource }),
          ),
          ...inherited,
        ]
      }
      const capabilities = new Set<Capability>(counted.map((g) => g.capability))
      let entry: WhoCanEntry | null = null
      if (capabilities.size > 0) {
        entry = {
          principal: access.principal.name,
          capabilities: CAPABILITIES.filter((c) => capabilities.has(c)),
        }
        if (inherited.length === meeting.length) entry.via = inherited[0]!.via
        entries.push(entry)
      }
      if (!narrowable) entryOfList.set(meeting, entry)
    }
    return {
      resource,
      whoCan: entries.sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0)),
    }
  })
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
  private readonly applicable = new WeakMap<string[], Map<string, boolean>>()
  /** Grants on patterns, by literal prefix and then by pattern: each pattern is matched once. */
  private readonly byPrefix = new Map<string, Map<string, Holder[]>>()
  private readonly prefixes: string[]

  constructor(
    principals: PrincipalAccess[],
    private readonly ctx: EvaluationContext,
  ) {
    for (const access of principals) {
      for (const grant of access.grants) {
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
  }

  /** Per principal, its grants that meet one of the resource's forms. */
  meeting(resource: Resource, forms: string[]): Map<PrincipalAccess, Grant[]> {
    // Service-wide grants answer alike for every resource of a type: one shared list per principal,
    // so the caller can also reuse what it made of that list.
    const out = new Map(this.wide(resource, forms))
    const fromPatterns = new Set<Grant>()
    for (const form of forms) {
      for (const [pattern, holders] of this.candidates(form)) {
        if (!patternsIntersect(pattern, form)) continue
        for (const h of holders) {
          if (fromPatterns.has(h.grant)) continue
          fromPatterns.add(h.grant)
          const list = out.get(h.access)
          out.set(h.access, list === undefined ? [h.grant] : [...list, h.grant])
        }
      }
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

  /** Grants whose literal prefix is a prefix of the form's, or, for a pattern form, extends it. */
  private *candidates(form: string): Generator<[string, Holder[]]> {
    const prefix = literalPrefix(form)
    for (let k = 0; k <= prefix.length; k++) yield* this.byPrefix.get(prefix.slice(0, k)) ?? []
    if (prefix.length === form.length) return
    let low = 0
    let high = this.prefixes.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (this.prefixes[mid]! <= prefix) low = mid + 1
      else high = mid
    }
    for (let i = low; i < this.prefixes.length && this.prefixes[i]!.startsWith(prefix); i++) {
      yield* this.byPrefix.get(this.prefixes[i]!) ?? []
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
