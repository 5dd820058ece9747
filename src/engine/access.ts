/**
 * The access map of a model: every principal's grants (direct and through paths), who can access
 * each resource of the tree, and the edges between principals.
 */
import type { ActionCatalog } from '../iam/catalog.js'
import type { Capability } from '../iam/types.js'
import { CAPABILITIES } from '../iam/types.js'
import type { Model, Principal } from '../model/types.js'
import { EvaluationContext } from './context.js'
import { evaluateScope } from './evaluate.js'
import { externalPrincipals } from './external.js'
import { compareGrants, directGrants, grantsOfScope, resourceForms } from './grants.js'
import { patternCovers, patternsIntersect } from './resourcePatterns.js'
import { accessEdges } from './transitive.js'
import type { AccessEdge, AccessMap, Grant, PrincipalAccess, ResourceAccess, WhoCanEntry } from './types.js'

export interface AccessOptions {
  catalog?: ActionCatalog
  /** Longest path of assume-role / pass-role hops followed. */
  maxDepth?: number
}

/** Share of all actions on all resources that makes a principal an effective administrator. */
const ADMIN_SHARE = 0.95

export function effectiveAccess(model: Model, options: AccessOptions = {}): AccessMap {
  const external = externalPrincipals(model)
  const everyone = [...model.principals, ...external]
  const ctx = new EvaluationContext({ ...model, principals: everyone }, options.catalog)
  const isExternal = new Set(external)
  const direct = new Map<Principal, Grant[]>()
  for (const p of everyone) direct.set(p, directGrants(ctx, p, !isExternal.has(p)))
  const edges = accessEdges(ctx, everyone)
  const byId = ctx.principalsById

  const directAdmin = new Map<string, string>()
  for (const p of model.principals) {
    const reason = adminReason(ctx, p, edges)
    if (reason !== undefined) directAdmin.set(p.id, reason)
  }

  const principals: PrincipalAccess[] = everyone.map((p) => {
    const grants = [...direct.get(p)!]
    let adminVia = directAdmin.get(p.id)
    for (const { path, target } of reachable(p.id, edges, options.maxDepth ?? 4)) {
      const reached = byId.get(target)
      if (reached === undefined) continue
      const via = path.map((e) => e.description).join(', then ')
      adminVia ??= directAdmin.has(target) ? `${via}: ${directAdmin.get(target)}` : undefined
      for (const g of direct.get(reached) ?? []) {
        if (grants.some((own) => covers(own, g))) continue
        grants.push({
          ...g,
          via: `${via} (${g.via})`,
          path: path.map((e) => e.to),
          conditional: g.conditional || path.some((e) => e.conditional),
        })
      }
    }
    const access: PrincipalAccess = {
      principal: p,
      external: isExternal.has(p),
      grants: grants.sort(compareGrants),
      isAdmin: adminVia !== undefined,
    }
    if (adminVia !== undefined) access.adminReason = adminVia
    return access
  })
  return { principals, resources: whoCanAccess(ctx, principals), edges }
}

function covers(own: Grant, other: Grant): boolean {
  return (
    own.service === other.service &&
    own.capability === other.capability &&
    patternCovers(own.resource, other.resource) &&
    (!own.conditional || other.conditional) &&
    other.actions.every((a) => own.actions.includes(a))
  )
}

function adminReason(ctx: EvaluationContext, p: Principal, edges: AccessEdge[]): string | undefined {
  const who = ctx.principal(p)
  if (
    who.identity.some(
      (s) =>
        s.effect === 'Allow' &&
        (s.resources === undefined || s.resources.includes('*') || s.notResources !== undefined),
    )
  ) {
    const result = evaluateScope(ctx.index, who, '*')
    const unconditional = result.allowed.clone().minus(result.conditional)
    if (unconditional.size() >= ADMIN_SHARE * ctx.index.actions.length)
      return 'allowed effectively every action on every resource'
  }
  const self = edges.find((e) => e.kind === 'self-modification' && e.from === p.id)
  if (self !== undefined && p.boundary === undefined) return `can ${self.description}`
  return undefined
}

interface Reach {
  target: string
  path: AccessEdge[]
}

/** Principals reachable through edges, shortest paths first, each once. */
function reachable(from: string, edges: AccessEdge[], maxDepth: number): Reach[] {
  const out = new Map<string, AccessEdge[]>()
  const adjacency = new Map<string, AccessEdge[]>()
  for (const e of edges) {
    if (e.kind === 'self-modification') continue
    const list = adjacency.get(e.from)
    if (list === undefined) adjacency.set(e.from, [e])
    else list.push(e)
  }
  let frontier: Reach[] = [{ target: from, path: [] }]
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: Reach[] = []
    for (const { target, path } of frontier) {
      for (const e of adjacency.get(target) ?? []) {
        if (e.to === from || out.has(e.to)) continue
        const extended = [...path, e]
        out.set(e.to, extended)
        next.push({ target: e.to, path: extended })
      }
    }
    frontier = next
  }
  return [...out.entries()].map(([target, path]) => ({ target, path }))
}

/**
 * Who can access each resource of the tree. A grant on a pattern counts for every resource the
 * pattern meets (`*` for every resource of its service). Where the resource has its own policy,
 * the principal is evaluated on the resource itself, so that the policy's Denies and rules apply.
 */
export function whoCanAccess(ctx: EvaluationContext, principals: PrincipalAccess[]): ResourceAccess[] {
  return ctx.model.resources.map((resource) => {
    const forms = resourceForms(resource)
    const entries: WhoCanEntry[] = []
    const exact = ctx.resource(resource)
    const needsExact = exact.policy !== undefined || exact.policyIsAuthoritative || exact.rcps.length > 0
    for (const access of principals) {
      if (access.principal.type === 'group') continue
      const meeting = access.grants.filter((g) =>
        g.resource === '*'
          ? g.service === resource.service
          : forms.some((f) => patternsIntersect(g.resource, f)),
      )
      if (meeting.length === 0) continue
      const inherited = meeting.filter((g) => g.path !== undefined)
      let counted = meeting
      if (needsExact && inherited.length < meeting.length) {
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
      if (capabilities.size === 0) continue
      const entry: WhoCanEntry = {
        principal: access.principal.name,
        capabilities: CAPABILITIES.filter((c) => capabilities.has(c)),
      }
      if (inherited.length === meeting.length) entry.via = inherited[0]!.via
      entries.push(entry)
    }
    return { resource, whoCan: entries.sort((a, b) => a.principal.localeCompare(b.principal)) }
  })
}
