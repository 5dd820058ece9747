/**
 * The access map of a model: every principal's grants (direct and through paths), who can access
 * each resource of the tree, and the edges between principals.
 */
import { capabilitiesOf } from '../iam/capabilities.js'
import type { ActionCatalog } from '../iam/catalog.js'
import { CAPABILITIES } from '../iam/types.js'
import type { Model, Principal } from '../model/types.js'
import { ObjectIds, reachedGrants } from './closure.js'
import { EvaluationContext } from './context.js'
import { evaluateScope } from './evaluate.js'
import { externalPrincipals } from './external.js'
import { compareGrants, directGrants, identitySignature, resourceForms, signatureCounts } from './grants.js'
import { HeldGrants } from './heldGrants.js'
import { accessEdges } from './transitive.js'
import type { AccessEdge, AccessMap, Grant, PathTo, PrincipalAccess } from './types.js'
import { whoCanAccess } from './whoCan.js'

export interface AccessOptions {
  catalog?: ActionCatalog
  /** Longest path of assume-role / pass-role hops followed (default: no limit). */
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
  const everybody = everyone.find((p) => p.type === 'public')
  if (everybody !== undefined) direct.get(everybody)!.push(...publicAccessGrants(ctx))
  const edges = accessEdges(ctx, everyone)
  const byId = ctx.principalsById

  const directAdmin = new Map<string, string>()
  const allowsEverything = new Map<string, boolean>()
  const selfEdges = new Map<string, AccessEdge>()
  for (const e of edges)
    if (e.kind === 'self-modification' && !selfEdges.has(e.from)) selfEdges.set(e.from, e)
  for (const p of model.principals) {
    const reason = adminReason(ctx, p, selfEdges.get(p.id), allowsEverything)
    if (reason !== undefined) directAdmin.set(p.id, reason)
  }

  const adjacency = adjacencyOf(edges)
  const reachedBy = reachedGrants(
    everyone.map((p) => p.id),
    adjacency,
    (id) => direct.get(byId.get(id)!) ?? [],
  )
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY
  const routes = new RouteTable()
  const reaches = new Map(everyone.map((p) => [p.id, reachable(p.id, adjacency, maxDepth, routes)]))
  const ids = new ObjectIds()
  const alike = new Map<string, Grant[]>()
  // Only principals that share their policies with another can share an inherited list.
  const alikeCount = signatureCounts(ctx, everyone)
  const principals: PrincipalAccess[] = everyone.map((p) => {
    const reach = reaches.get(p.id)!
    let adminVia = directAdmin.get(p.id)
    let adminRoute: Reach | undefined
    for (const r of reach) {
      if (adminVia !== undefined) break
      const reason = directAdmin.get(r.target)
      if (reason === undefined) continue
      adminVia = `${r.via}: ${reason}`
      adminRoute = r
    }
    // An administrator's access is everything: said once per capability, not once per action.
    const grants =
      adminVia !== undefined
        ? adminGrants(adminVia, adminRoute).sort(compareGrants)
        : inheritedAccess(p, reach)
    const access: PrincipalAccess = {
      principal: p,
      external: isExternal.has(p),
      grants,
      isAdmin: adminVia !== undefined,
    }
    if (adminVia !== undefined) access.adminReason = adminVia
    return access
  })
  return { principals, resources: whoCanAccess(ctx, principals, pathsOf(reaches)), edges }

  /**
   * The principal's own grants, plus those of every principal it reaches that it lacks, sorted.
   * Principals with the same own grants that reach the same principals by the same routes (every
   * deploy role with the same managed policies) get the same list: worked out once. Only principals
   * that share their policies with another are looked up.
   */
  function inheritedAccess(p: Principal, reach: Reach[]): Grant[] {
    const own = direct.get(p)!
    if (reach.length === 0) return [...own].sort(compareGrants)
    if (alikeCount.get(identitySignature(ctx, p)) === 1)
      return inheritedFrom(p, own, reach).sort(compareGrants)
    const key = `${ids.of(own)}|${ids.of(reach)}`
    let grants = alike.get(key)
    if (grants === undefined) {
      grants = inheritedFrom(p, own, reach).sort(compareGrants)
      alike.set(key, grants)
    }
    return [...grants]
  }

  function inheritedFrom(p: Principal, own: Grant[], reach: Reach[]): Grant[] {
    // Own grants sorted, then reached ones in the sorted order of their list: sorting the whole
    // merges two runs.
    const grants = [...own].sort(compareGrants)
    // Each list of reached grants is without repeats: what is left to check is the principal's own.
    const held = new HeldGrants(own)
    // The statements that allow each grant stay in its sources; the route says how it is reached.
    const targets = new Map(reach.map((r) => [r.target, r]))
    for (const { grant, from } of reachedBy.get(p.id) ?? []) {
      const route = targets.get(from)
      if (from === p.id || route === undefined || held.covers(grant)) continue
      grants.push(routes.passOn(route, grant))
    }
    return grants
  }
}

/**
 * What public ACLs and function URLs without auth open to everyone, without any policy saying so:
 * the actions of each listed capability that apply to the resource and its parts.
 */
function publicAccessGrants(ctx: EvaluationContext): Grant[] {
  const grants: Grant[] = []
  for (const resource of ctx.model.resources) {
    const open = resource.publicAccess
    if (open === undefined) continue
    const range = ctx.index.serviceRange(resource.service)
    for (const capability of CAPABILITIES.filter((c) => open.capabilities.includes(c))) {
      for (const form of resourceForms(resource)) {
        const actions: string[] = []
        for (let i = range?.from ?? 0; i < (range?.to ?? 0); i++) {
          const action = ctx.actionAt(i)
          if (capabilitiesOf(action).includes(capability) && ctx.appliesTo(i, form))
            actions.push(action.fullName)
        }
        if (actions.length === 0) continue
        const grant: Grant = {
          service: resource.service,
          capability,
          resource: form,
          actions,
          conditional: false,
          via: open.reason,
          sources: [],
        }
        if (resource.address !== undefined && form === resource.arn) grant.resourceAddress = resource.address
        grants.push(grant)
      }
    }
  }
  return grants
}

/** Nearly every action on every resource, IAM included, unconditionally, by the identity side alone. */
function allowsEveryAction(ctx: EvaluationContext, p: Principal): boolean {
  const who = ctx.principal(p)
  const onEverything = who.identity.some(
    (s) =>
      s.effect === 'Allow' &&
      (s.resources === undefined || s.resources.includes('*') || s.notResources !== undefined),
  )
  if (!onEverything) return false
  const result = evaluateScope(ctx.index, who, '*')
  const unconditional = result.allowed.clone().minus(result.conditional)
  // Without IAM (PowerUserAccess) it is not an administrator.
  const iam = ctx.index.ofPatterns(['iam:*'])
  const allIam = iam.clone().minus(unconditional).isEmpty()
  return allIam && unconditional.size() >= ADMIN_SHARE * ctx.index.actions.length
}

/** Every capability on every resource of every service (reached through `route`, if given). */
function adminGrants(reason: string, route: Reach | undefined): Grant[] {
  return CAPABILITIES.map((capability) => {
    const grant: Grant = {
      service: '*',
      capability,
      resource: '*',
      actions: ['*'],
      conditional: route?.conditional ?? false,
      via: `effective administrator: ${reason}`,
      sources: [],
    }
    if (route !== undefined) grant.path = route.hops
    if (route?.conditionValues !== undefined) grant.conditionValues = route.conditionValues
    return grant
  })
}

/**
 * Why the principal is an administrator in its own right, if it is. `allowsEverything` remembers
 * the answer of the identity side, shared by principals with the same policies.
 */
function adminReason(
  ctx: EvaluationContext,
  p: Principal,
  self: AccessEdge | undefined,
  allowsEverything: Map<string, boolean>,
): string | undefined {
  const signature = identitySignature(ctx, p)
  let everything = allowsEverything.get(signature)
  if (everything === undefined) {
    everything = allowsEveryAction(ctx, p)
    allowsEverything.set(signature, everything)
  }
  if (everything) return 'allowed effectively every action on every resource'
  if (self !== undefined && p.boundary === undefined) return `can ${self.description}`
  return undefined
}

interface Reach {
  target: string
  /** The path in words, the principals it goes through, and whether some hop is conditional. */
  via: string
  hops: string[]
  conditional: boolean
  /** The trust conditions met along the way (see AccessEdge), sorted; absent when none. */
  conditionValues?: string[]
}

/**
 * The principals each principal reaches through edges (as `effectiveAccess` follows them), with
 * the route in words: what who-can passes on. Administrators need none (their grants say all).
 */
export function pathsThrough(map: AccessMap, maxDepth = Number.POSITIVE_INFINITY): Map<string, PathTo[]> {
  const adjacency = adjacencyOf(map.edges)
  return pathsOf(
    new Map(map.principals.map((a) => [a.principal.id, reachable(a.principal.id, adjacency, maxDepth)])),
  )
}

/** Each principal's reached principals, for who-can (a Reach is a PathTo: target and route in words). */
function pathsOf(reaches: Map<string, Reach[]>): Map<string, PathTo[]> {
  const out = new Map<string, PathTo[]>()
  for (const [id, reach] of reaches) if (reach.length > 0) out.set(id, reach)
  return out
}

function adjacencyOf(edges: AccessEdge[]): Map<string, AccessEdge[]> {
  const adjacency = new Map<string, AccessEdge[]>()
  for (const e of edges) {
    if (e.kind === 'self-modification') continue
    const list = adjacency.get(e.from)
    if (list === undefined) adjacency.set(e.from, [e])
    else list.push(e)
  }
  return adjacency
}

/**
 * Routes with the same words, hops and condition are one object, and so is each grant passed on
 * through one: principals that reach the same roles the same way (every deploy role that may pass
 * the same task roles) share their inherited grants instead of holding a copy each.
 */
class RouteTable {
  private readonly passedOn = new Map<Reach, Map<Grant, Grant>>()
  /** Routes by the route they extend (START for first hops), then the edge's target, words and condition. */
  private readonly further = new Map<Reach, Map<string, Map<string, Map<string, Reach>>>>()

  /**
   * The route one edge further (`from` undefined: the edge is the first hop). Keyed by what the
   * route says, not by the edge: every principal that may pass the same role the same way gets
   * the same route, so the grants it passes on are shared too.
   */
  extend(from: Reach | undefined, e: AccessEdge): Reach {
    const parent = from ?? START
    let byTarget = this.further.get(parent)
    if (byTarget === undefined) {
      byTarget = new Map()
      this.further.set(parent, byTarget)
    }
    let byWords = byTarget.get(e.to)
    if (byWords === undefined) {
      byWords = new Map()
      byTarget.set(e.to, byWords)
    }
    let byCondition = byWords.get(e.description)
    if (byCondition === undefined) {
      byCondition = new Map()
      byWords.set(e.description, byCondition)
    }
    const condition = e.conditionValues === undefined ? `${e.conditional}` : e.conditionValues.join('\u0001')
    let route = byCondition.get(condition)
    if (route === undefined) {
      route = extend(parent, e)
      byCondition.set(condition, route)
    }
    return route
  }

  /** The grant as held through the route: reached with the route's condition and words. */
  passOn(route: Reach, grant: Grant): Grant {
    let byGrant = this.passedOn.get(route)
    if (byGrant === undefined) {
      byGrant = new Map()
      this.passedOn.set(route, byGrant)
    }
    const known = byGrant.get(grant)
    if (known !== undefined) return known
    // Written out field by field, in one order: every inherited grant has the same shape.
    const inherited: Grant = {
      service: grant.service,
      capability: grant.capability,
      resource: grant.resource,
      actions: grant.actions,
      conditional: grant.conditional || route.conditional,
      via: route.via,
      sources: grant.sources,
      path: route.hops,
    }
    if (grant.resourceAddress !== undefined) inherited.resourceAddress = grant.resourceAddress
    if (grant.conditions !== undefined) inherited.conditions = grant.conditions
    const conditions = unionOf(grant.conditionValues, route.conditionValues)
    if (conditions !== undefined) inherited.conditionValues = conditions
    if (grant.limitedBy !== undefined) inherited.limitedBy = grant.limitedBy
    byGrant.set(grant, inherited)
    return inherited
  }
}

/** Where every route starts: no words, no hops. */
const START: Reach = { target: '', via: '', hops: [], conditional: false }

/** The route one edge further. */
function extend(r: Reach, e: AccessEdge): Reach {
  const route: Reach = {
    target: e.to,
    via: r.via === '' ? e.description : `${r.via}, then ${e.description}`,
    hops: [...r.hops, e.to],
    conditional: r.conditional || e.conditional,
  }
  const conditions = unionOf(r.conditionValues, e.conditionValues)
  if (conditions !== undefined) route.conditionValues = conditions
  return route
}

/** Two sorted lists of condition texts as one, sorted, without repeats; undefined when both are. */
function unionOf(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (a === undefined || b === undefined || a === b) return a ?? b
  return [...new Set([...a, ...b])].sort()
}

/** Principals reachable through edges, shortest paths first, each once. */
function reachable(
  from: string,
  adjacency: Map<string, AccessEdge[]>,
  maxDepth: number,
  routes?: RouteTable,
): Reach[] {
  const seen = new Set<string>([from])
  const out: Reach[] = []
  const start: Reach = { target: from, via: '', hops: [], conditional: false }
  let frontier: Reach[] = [start]
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: Reach[] = []
    for (const r of frontier) {
      for (const e of adjacency.get(r.target) ?? []) {
        if (seen.has(e.to)) continue
        seen.add(e.to)
        const extended = routes?.extend(r === start ? undefined : r, e) ?? extend(r, e)
        out.push(extended)
        next.push(extended)
      }
    }
    frontier = next
  }
  return out
}
