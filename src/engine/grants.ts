/**
 * The direct grants of one principal: every scope its identity policies open, plus every scope a
 * resource policy of the tree opens to it, each evaluated with all the policies that apply, then
 * grouped as (service, capability, resource) with the actions and the statements that allow them.
 */
import { capabilitiesOf } from '../iam/capabilities.js'
import type { Capability } from '../iam/types.js'
import { CAPABILITIES } from '../iam/types.js'
import type { Principal, Resource } from '../model/types.js'
import type { ActionSet } from './actionSet.js'
import {
  allowScopes,
  type CompiledStatement,
  describeSource,
  type StatementSource,
  statementCovers,
} from './compile.js'
import type { EvaluationContext } from './context.js'
import { evaluateScope } from './evaluate.js'
import { matchPrincipal } from './principalMatch.js'
import { patternCovers, patternsIntersect } from './resourcePatterns.js'
import type { Grant } from './types.js'

export interface Scope {
  pattern: string
  target?: Resource
}

/** The patterns by which policies name a resource: its ARN and those of its parts. */
export function resourceForms(resource: Resource): string[] {
  return [resource.arn, ...(resource.childArns ?? [])]
}

export function directGrants(ctx: EvaluationContext, principal: Principal, identityScopes: boolean): Grant[] {
  const who = ctx.principal(principal)
  const scopes = new Map<string, Scope>()
  const add = (scope: Scope): void => {
    const key = `${scope.pattern}\n${scope.target?.id ?? ''}`
    if (!scopes.has(key)) scopes.set(key, scope)
  }
  if (identityScopes) {
    for (const s of who.identity) {
      if (s.effect !== 'Allow') continue
      for (const pattern of allowScopes(s)) {
        const target = ctx.resourceByForm(pattern)
        add(target === undefined ? { pattern } : { pattern, target })
      }
    }
  }
  for (const resource of ctx.model.resources) {
    if (resource.policy === undefined) continue
    for (const s of ctx.resource(resource).policy ?? []) {
      if (s.effect !== 'Allow' || matchPrincipal(s, principal) === 'none') continue
      for (const form of resourceForms(resource)) {
        if (statementCovers(s, form)) add({ pattern: form, target: resource })
        else
          for (const p of s.resources ?? [])
            if (patternsIntersect(p, form)) add({ pattern: p, target: resource })
      }
    }
  }
  const grants: Grant[] = []
  const alike = identityScopeCache(ctx)
  const signature = identitySignature(ctx, principal)
  for (const scope of scopes.values()) {
    if (scope.target !== undefined) {
      grants.push(...grantsOfScope(ctx, principal, scope))
      continue
    }
    // No resource of the tree in the scope: the answer depends only on the identity side.
    const key = `${signature}\u0000${scope.pattern}`
    let found = alike.get(key)
    if (found === undefined) {
      found = grantsOfScope(ctx, principal, scope)
      alike.set(key, found)
    }
    grants.push(...found)
  }
  return dropRedundant(grants)
}

/**
 * Principals with the same policies (own and their groups', in order), boundary, account and type
 * have the same grants on every scope that names no resource of the tree: no resource policy, RCP
 * or account boundary can tell them apart there. Roles that share managed policies are computed once.
 */
const identityScopes = new WeakMap<EvaluationContext, Map<string, Grant[]>>()

function identityScopeCache(ctx: EvaluationContext): Map<string, Grant[]> {
  let cache = identityScopes.get(ctx)
  if (cache === undefined) {
    cache = new Map()
    identityScopes.set(ctx, cache)
  }
  return cache
}

/**
 * What the identity side of every request of the principal depends on: its type, account (so its
 * SCPs), boundary and policies, its groups' included. Principals with the same signature get the
 * same answer to any request that involves no resource policy.
 */
export function identitySignature(ctx: EvaluationContext, principal: Principal): string {
  let known = signatures.get(ctx)
  if (known === undefined) {
    known = new Map()
    signatures.set(ctx, known)
  }
  let signature = known.get(principal)
  if (signature === undefined) {
    const ids = principal.policies.map((p) => p.id)
    for (const groupId of principal.groups ?? []) {
      const group = ctx.principalsById.get(groupId)
      if (group !== undefined) for (const p of group.policies) ids.push(p.id)
    }
    signature = [principal.type, principal.account ?? '', principal.boundary?.id ?? '', ...ids].join('\u0000')
    known.set(principal, signature)
  }
  return signature
}

const signatures = new WeakMap<EvaluationContext, Map<Principal, string>>()

/** How many of the principals have each identity signature. */
export function signatureCounts(ctx: EvaluationContext, principals: Principal[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const p of principals) {
    const signature = identitySignature(ctx, p)
    counts.set(signature, (counts.get(signature) ?? 0) + 1)
  }
  return counts
}

/**
 * Every action some Allow of the principal's identity policies names, whatever its resource or
 * condition: without it, only a resource or trust policy can allow the action. One set per
 * identity signature (shared: do not modify it).
 */
export function identityAllowNames(ctx: EvaluationContext, principal: Principal): ActionSet {
  let known = allowNames.get(ctx)
  if (known === undefined) {
    known = new Map()
    allowNames.set(ctx, known)
  }
  const signature = identitySignature(ctx, principal)
  let union = known.get(signature)
  if (union === undefined) {
    union = ctx.index.empty()
    for (const s of ctx.principal(principal).identity) if (s.effect === 'Allow') union.unionWith(s.actions)
    known.set(signature, union)
  }
  return union
}

const allowNames = new WeakMap<EvaluationContext, Map<string, ActionSet>>()

/**
 * What the policies allow the principal on the scope. On a resource of a known service, only the
 * actions with a resource type of that service apply: evaluated within that part of the catalog,
 * with `toCatalog` to read positions back into the whole.
 */
function evaluateOn(ctx: EvaluationContext, principal: Principal, scope: Scope) {
  const arnService = serviceOfPattern(scope.pattern)
  const sub = arnService === undefined ? undefined : ctx.serviceUniverse(arnService)
  const result =
    sub === undefined
      ? evaluateScope(ctx.index, ctx.principal(principal), scope.pattern, ctx.resource(scope.target))
      : ctx.evaluateIn(sub, principal, scope.pattern, scope.target)
  const toCatalog = (i: number): number => (sub === undefined ? i : sub.positions[i]!)
  return { result, toCatalog }
}

/** Each capability's bit in a capability mask, in the order of CAPABILITIES. */
export const CAPABILITY_BIT = new Map<string, number>(CAPABILITIES.map((c, i) => [c, 1 << i]))
const actionMasks = new WeakMap<object, number>()

/**
 * The capabilities the principal has on the scope, as bits in the order of CAPABILITIES: what
 * grantsOfScope would find, without grouping actions or naming statements.
 */
export function capabilityMaskOfScope(ctx: EvaluationContext, principal: Principal, scope: Scope): number {
  const { result, toCatalog } = evaluateOn(ctx, principal, scope)
  let mask = 0
  for (const local of result.allowed.indices()) {
    const position = toCatalog(local)
    if (!ctx.appliesTo(position, scope.pattern)) continue
    const action = ctx.actionAt(position)
    let bits = actionMasks.get(action)
    if (bits === undefined) {
      bits = 0
      for (const c of capabilitiesOf(action)) bits |= CAPABILITY_BIT.get(c)!
      actionMasks.set(action, bits)
    }
    mask |= bits
  }
  return mask
}

export function grantsOfScope(ctx: EvaluationContext, principal: Principal, scope: Scope): Grant[] {
  const who = ctx.principal(principal)
  const resource = ctx.resource(scope.target)
  const { result, toCatalog } = evaluateOn(ctx, principal, scope)
  if (result.allowed.isEmpty()) return []
  const allowing = [
    ...allowsCovering(who.identity, scope.pattern),
    ...(resource.policy ?? []).filter(
      (s) =>
        s.effect === 'Allow' && matchPrincipal(s, principal) !== 'none' && statementCovers(s, scope.pattern),
    ),
  ]
  // Actions grouped by (service, capability), with their positions and whether each is conditional.
  const groups = new Map<string, Map<Capability, Group>>()
  for (const local of result.allowed.indices()) {
    const position = toCatalog(local)
    if (!ctx.appliesTo(position, scope.pattern)) continue
    const action = ctx.actionAt(position)
    const conditional = result.conditional.has(local)
    let byCapability = groups.get(action.service)
    if (byCapability === undefined) {
      byCapability = new Map()
      groups.set(action.service, byCapability)
    }
    for (const capability of capabilitiesOf(action)) {
      let group = byCapability.get(capability)
      if (group === undefined) {
        group = { service: action.service, capability, actions: [], positions: [], conditionalAt: [] }
        byCapability.set(capability, group)
      }
      group.actions.push(action.fullName)
      group.positions.push(position)
      group.conditionalAt.push(conditional)
    }
  }
  const grants: Grant[] = []
  for (const byCapability of groups.values()) {
    for (const g of byCapability.values()) {
      const { sources, keys, texts } = allowedBy(g, allowing)
      const grant: Grant = {
        service: g.service,
        capability: g.capability,
        resource: scope.pattern,
        actions: ctx.actionList(g.actions.sort()),
        conditional: g.conditionalAt.includes(true),
        via: sources.length > 0 ? sources.map(describeSource).join('; ') : 'resource policy',
        sources,
      }
      if (scope.target !== undefined && resourceForms(scope.target).includes(scope.pattern)) {
        if (scope.target.address !== undefined) grant.resourceAddress = scope.target.address
      }
      if (keys.length > 0) grant.conditions = keys
      if (texts.length > 0) grant.conditionValues = texts
      if (result.limitedBy.length > 0) grant.limitedBy = result.limitedBy
      grants.push(grant)
    }
  }
  return grants
}

/** Allow statements of a list, indexed by the resources they name: most scopes meet few of them. */
interface AllowIndex {
  /** Statements on every resource, on NotResource, or on patterns with wildcards or symbols: checked. */
  checked: CompiledStatement[]
  /**
   * For each checked statement, the literal text before the first wildcard or symbol of each of
   * its patterns (a pattern covers a scope only if that text starts it), or undefined to check it
   * against every scope.
   */
  prefixes: (string[] | undefined)[]
  /** Statements by the literal resources they name. */
  literal: Map<string, CompiledStatement[]>
  order: Map<CompiledStatement, number>
}

const allowIndexes = new WeakMap<CompiledStatement[], AllowIndex>()

/** The Allow statements of `statements` that cover the whole scope, in their order. */
function allowsCovering(statements: CompiledStatement[], scope: string): CompiledStatement[] {
  let index = allowIndexes.get(statements)
  if (index === undefined) {
    index = { checked: [], prefixes: [], literal: new Map(), order: new Map() }
    for (const s of statements) {
      if (s.effect !== 'Allow') continue
      if (index.order.has(s)) continue
      index.order.set(s, index.order.size)
      if (s.resources === undefined || s.resources.some((p) => /[*?$]/.test(p))) {
        index.checked.push(s)
        const prefixes = s.resources?.map((p) => p.slice(0, p.search(/[*?$]|$/)))
        index.prefixes.push(prefixes?.includes('') === false ? prefixes : undefined)
        continue
      }
      for (const p of new Set(s.resources)) {
        const list = index.literal.get(p)
        if (list === undefined) index.literal.set(p, [s])
        else list.push(s)
      }
    }
    allowIndexes.set(statements, index)
  }
  const { checked, prefixes } = index
  const found = checked.filter(
    (s, i) => (prefixes[i]?.some((p) => scope.startsWith(p)) ?? true) && statementCovers(s, scope),
  )
  const named = index.literal.get(scope)
  if (named === undefined) return found
  const order = index.order
  return [...found, ...named].sort((a, b) => order.get(a)! - order.get(b)!)
}

interface Group {
  service: string
  capability: Capability
  actions: string[]
  /** Catalog positions of the actions, and whether each is allowed only under conditions. */
  positions: number[]
  conditionalAt: boolean[]
}

/**
 * The statements that allow some action of a group, in the order they first do (by the group's
 * actions, then by statement), and the condition keys of those that allow a conditional one.
 */
function allowedBy(
  group: Group,
  allowing: CompiledStatement[],
): { sources: StatementSource[]; keys: string[]; texts: string[] } {
  const first: { at: number; order: number; statement: CompiledStatement }[] = []
  const keys = new Set<string>()
  const texts = new Set<string>()
  const anyConditional = group.conditionalAt.includes(true)
  allowing.forEach((statement, order) => {
    let at = -1
    for (let i = 0; i < group.positions.length; i++) {
      if (!statement.actions.has(group.positions[i]!)) continue
      if (at < 0) at = i
      if (group.conditionalAt[i]) {
        for (const k of statement.conditionKeys) keys.add(k)
        for (const t of statement.conditionTexts) texts.add(t)
        break
      }
      if (!anyConditional) break
    }
    if (at >= 0) first.push({ at, order, statement })
  })
  first.sort((x, y) => x.at - y.at || x.order - y.order)
  const sources = [...new Set(first.map((f) => f.statement.source))]
  return { sources, keys: [...keys].sort(), texts: [...texts].sort() }
}

/** The service field of an ARN pattern, when it is written out (no wildcard or symbol in it). */
function serviceOfPattern(pattern: string): string | undefined {
  if (!pattern.startsWith('arn:')) return undefined
  const service = pattern.split(':')[2]
  return service === undefined || /[*?$]/.test(service) ? undefined : service
}

/** A grant that a broader one of the same principal already holds says nothing new. */
function dropRedundant(grants: Grant[]): Grant[] {
  const byKey = new Map<string, Grant[]>()
  for (const g of grants) {
    const key = `${g.service}\n${g.capability}`
    const list = byKey.get(key)
    if (list === undefined) byKey.set(key, [g])
    else list.push(g)
  }
  const kept: Grant[] = []
  for (const list of byKey.values()) {
    // Only a pattern covers another resource than its own.
    const wide = list.filter((g) => g.resource.includes('*') || g.resource.includes('?'))
    for (const g of list) {
      const covered = wide.some(
        (other) =>
          other.resource !== g.resource &&
          patternCovers(other.resource, g.resource) &&
          (!other.conditional || g.conditional) &&
          g.actions.every((a) => other.actions.includes(a)),
      )
      if (!covered) kept.push(g)
    }
  }
  return kept.sort(compareGrants)
}

/** By UTF-16 code units: the same order on every machine, whatever its ICU data. */
function byCodeUnits(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1
}
const CAPABILITY_ORDER = new Map<string, number>(CAPABILITIES.map((c, i) => [c, i]))

/** By service, capability (in the order of CAPABILITIES), resource, then unconditional first. */
export function compareGrants(a: Grant, b: Grant): number {
  return (
    byCodeUnits(a.service, b.service) ||
    CAPABILITY_ORDER.get(a.capability)! - CAPABILITY_ORDER.get(b.capability)! ||
    byCodeUnits(a.resource, b.resource) ||
    Number(a.conditional) - Number(b.conditional)
  )
}
