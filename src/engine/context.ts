/**
 * The evaluation contexts of a model: each principal with every policy that applies to it (its own,
 * its groups', its boundary, the SCPs of its account), each resource with its policy and RCPs.
 * Policies are compiled once, by id, however many principals share them.
 */
import { type ActionCatalog, loadActionCatalog } from '../iam/catalog.js'
import type { ActionInfo } from '../iam/types.js'
import type { Model, OrganizationPolicy, Policy, Principal, Resource } from '../model/types.js'
import { type ActionIndex, ActionSet, type ActionUniverse, actionIndexOf } from './actionSet.js'
import { type CompiledStatement, compilePolicy, type StatementSource } from './compile.js'
import {
  decideSingle,
  evaluateScope,
  NO_RESOURCE,
  type PrincipalContext,
  type ResourceContext,
  type ScopeResult,
} from './evaluate.js'
import { restrictedToOwner } from './publicAccessBlock.js'
import { symbolsAsWildcards, templateIntersects } from './resourcePatterns.js'

/** Resource types whose own policy decides, identity policies counting only when it delegates. */
const AUTHORITATIVE_TYPES = new Set(['AWS::KMS::Key', 'aws_kms_key', 'AWS::IAM::Role', 'aws_iam_role'])

/** A part of the catalog: `positions[i]` is the catalog position of the universe's action `i`. */
export interface SubUniverse {
  key: string
  positions: number[]
  universe: ActionUniverse
}

export interface Request {
  principal: Principal
  action: string
  /** A concrete ARN, or a pattern to ask about every resource it matches. */
  resource: string
  /** The resource of the model the request is on, for its policy and account. */
  target?: Resource
}

export interface Decision {
  decision: 'allow' | 'explicit-deny' | 'implicit-deny'
  conditional: boolean
  deniedBy: StatementSource[]
}

/** A context with what `decide` learns about it. */
interface ContextEntry<T extends PrincipalContext | ResourceContext> {
  context: T
  /** Requests decided on it, up to UNION_AFTER. */
  decides: number
  /** Every action its statements name, built once it has seen UNION_AFTER requests. */
  mentioned?: ActionSet
}

/** Requests on one context after which the union of its actions pays for itself. */
const UNION_AFTER = 16

function implicitDeny(): Decision {
  return { decision: 'implicit-deny', conditional: false, deniedBy: [] }
}

export class EvaluationContext {
  readonly index: ActionIndex
  private readonly compiled = new Map<string, CompiledStatement[]>()
  private readonly principalContexts = new Map<Principal, ContextEntry<PrincipalContext>>()
  private readonly resourceContexts = new Map<Resource, ContextEntry<ResourceContext>>()
  // Built on first use: a context that only decides a few requests needs none of these.
  private byId: Map<string, Principal> | undefined
  private applicability: Map<string, Map<string, boolean>> | undefined
  private byForm: Map<string, Resource> | undefined
  private subUniverses: Map<string, SubUniverse> | undefined
  private actionLists: Map<string, string[]> | undefined
  private readonly scpsByAccount = new Map<string | undefined, CompiledStatement[][]>()
  private readonly rcpsByAccount = new Map<string | undefined, CompiledStatement[][]>()

  constructor(
    readonly model: Model,
    catalog: ActionCatalog = loadActionCatalog(),
    index?: ActionIndex,
  ) {
    this.index = index ?? actionIndexOf(catalog)
  }

  /** The principals of the model by id. */
  get principalsById(): Map<string, Principal> {
    this.byId ??= new Map(this.model.principals.map((p) => [p.id, p]))
    return this.byId
  }

  /**
   * One array per distinct sorted list of actions: grants that allow the same actions share it,
   * so comparing their actions is mostly comparing references.
   */
  actionList(sorted: string[]): string[] {
    const key = sorted.join(',')
    this.actionLists ??= new Map()
    const known = this.actionLists.get(key)
    if (known !== undefined) return known
    this.actionLists.set(key, sorted)
    return sorted
  }

  compile(policy: Policy): CompiledStatement[] {
    let statements = this.compiled.get(policy.id)
    if (statements === undefined) {
      statements = compilePolicy(policy, this.index)
      this.compiled.set(policy.id, statements)
    }
    return statements
  }

  principal(principal: Principal): PrincipalContext {
    return this.principalEntry(principal).context
  }

  resource(resource: Resource | undefined): ResourceContext {
    if (resource === undefined) return NO_RESOURCE
    return this.resourceEntry(resource).context
  }

  private principalEntry(principal: Principal): ContextEntry<PrincipalContext> {
    let entry = this.principalContexts.get(principal)
    if (entry === undefined) {
      const identity: CompiledStatement[] = []
      for (const policy of principal.policies) this.compileInto(policy, identity)
      for (const groupId of principal.groups ?? []) {
        const group = this.principalsById.get(groupId)
        if (group !== undefined) for (const policy of group.policies) this.compileInto(policy, identity)
      }
      // Every context has the same fields in the same order (absent ones undefined): one hidden class.
      const context: PrincipalContext = {
        principal,
        account: principal.account,
        identity,
        boundary: principal.boundary === undefined ? undefined : this.compile(principal.boundary),
        scps: this.applicable(this.model.serviceControlPolicies, principal.account),
      }
      entry = { context, decides: 0 }
      this.principalContexts.set(principal, entry)
    }
    return entry
  }

  private resourceEntry(resource: Resource): ContextEntry<ResourceContext> {
    let entry = this.resourceContexts.get(resource)
    if (entry === undefined) {
      const account = resource.account ?? this.model.homeAccounts[0]
      const context: ResourceContext = {
        account,
        policy:
          resource.policy === undefined
            ? undefined
            : restrictedToOwner(resource, this.compile(resource.policy), account),
        policyIsAuthoritative: AUTHORITATIVE_TYPES.has(resource.type),
        rcps: this.applicable(this.model.resourceControlPolicies, account),
      }
      entry = { context, decides: 0 }
      this.resourceContexts.set(resource, entry)
    }
    return entry
  }

  private compileInto(policy: Policy, into: CompiledStatement[]): void {
    for (const statement of this.compile(policy)) into.push(statement)
  }

  /**
   * One request, decided as AWS would (conditions unknown: see `conditional`). Only the statements
   * that name the action take part, and the decision is made with booleans, not action sets.
   */
  decide(request: Request): Decision {
    const position = this.index.positionOf(request.action)
    if (position === undefined) return implicitDeny()
    const action = this.index.actions[position]!
    const who = this.principalEntry(request.principal)
    const resource = request.target === undefined ? undefined : this.resourceEntry(request.target)
    // Path finding asks a context about many actions, most of which no statement mentions: past a
    // few requests, the union of its statements' actions answers those at once.
    if (this.unmentioned(who, position) && (resource === undefined || this.unmentioned(resource, position))) {
      return implicitDeny()
    }
    const literalStar = request.resource === '*' && action.resourceTypes.length === 0
    const result = decideSingle(
      who.context,
      request.resource,
      resource === undefined ? NO_RESOURCE : resource.context,
      literalStar,
      position,
    )
    if (result.allowed) return { decision: 'allow', conditional: result.conditional, deniedBy: [] }
    if (result.denied) return { decision: 'explicit-deny', conditional: false, deniedBy: result.deniedBy }
    return implicitDeny()
  }

  /** Whether no statement of the context (Allow or Deny, any policy) names the action, once known. */
  private unmentioned(entry: ContextEntry<PrincipalContext | ResourceContext>, position: number): boolean {
    if (entry.decides < UNION_AFTER) {
      entry.decides++
      return false
    }
    if (entry.mentioned === undefined) {
      const union = this.index.empty()
      const context = entry.context
      const lists =
        'identity' in context
          ? [context.identity, context.boundary ?? [], ...context.scps]
          : [context.policy ?? [], ...context.rcps]
      for (const list of lists) for (const s of list) union.unionWith(s.actions)
      entry.mentioned = union
    }
    return !entry.mentioned.has(position)
  }

  /**
   * The actions that can be requested on resources whose ARN names `arnService`, as a universe of
   * their own: evaluating a scope of that service then costs a few words per set, not hundreds.
   */
  serviceUniverse(arnService: string): SubUniverse {
    this.subUniverses ??= new Map()
    let sub = this.subUniverses.get(arnService)
    if (sub === undefined) {
      const positions = [...this.index.onArnService(arnService).indices()]
      const actions = positions.map((p) => this.index.actions[p]!)
      const words = Math.max(1, Math.ceil(positions.length / 32))
      sub = {
        key: arnService,
        positions,
        universe: { actions, words, empty: () => new ActionSet(new Uint32Array(words)) },
      }
      this.subUniverses.set(arnService, sub)
    }
    return sub
  }

  /** `evaluateScope` within a sub-universe: only the statements naming one of its actions take part. */
  evaluateIn(sub: SubUniverse, principal: Principal, scope: string, target?: Resource): ScopeResult {
    const only = (list: CompiledStatement[]): CompiledStatement[] => {
      const out: CompiledStatement[] = []
      for (const s of list) {
        s.projections ??= new Map()
        let projected = s.projections.get(sub.key)
        if (projected === undefined) {
          const actions = sub.universe.empty()
          sub.positions.forEach((position, i) => {
            if (s.actions.has(position)) actions.add(i)
          })
          projected = actions.isEmpty() ? null : { ...s, actions }
          s.projections.set(sub.key, projected)
        }
        if (projected !== null) out.push(projected)
      }
      return out
    }
    const who = this.principal(principal)
    const resource = this.resource(target)
    const projectedWho: PrincipalContext = { ...who, identity: only(who.identity), scps: who.scps.map(only) }
    if (who.boundary !== undefined) projectedWho.boundary = only(who.boundary)
    const projectedResource: ResourceContext = { ...resource, rcps: resource.rcps.map(only) }
    if (resource.policy !== undefined) projectedResource.policy = only(resource.policy)
    return evaluateScope(sub.universe, projectedWho, scope, projectedResource)
  }

  actionAt(position: number): ActionInfo {
    return this.index.actions[position]!
  }

  /**
   * Whether the action can be requested on a resource of the pattern: one of its resource types'
   * ARN templates must meet the pattern; an action without resource types is requested on `*` only.
   */
  appliesTo(position: number, pattern: string): boolean {
    if (pattern === '*') return true
    const action = this.index.actions[position]!
    const shape = symbolsAsWildcards(pattern)
    if (action.resourceTypes.length === 0) return false
    this.applicability ??= new Map()
    let memo = this.applicability.get(pattern)
    if (memo === undefined) {
      memo = new Map()
      this.applicability.set(pattern, memo)
    }
    for (const type of action.resourceTypes) {
      for (const template of type.arnPatterns) {
        let meets = memo.get(template)
        if (meets === undefined) {
          meets = templateIntersects(template, shape)
          memo.set(template, meets)
        }
        if (meets) return true
      }
    }
    return false
  }

  /** The resource of the model that a pattern names exactly (its ARN or one of its child ARNs). */
  resourceByForm(pattern: string): Resource | undefined {
    if (this.byForm === undefined) {
      this.byForm = new Map()
      for (const resource of this.model.resources) {
        for (const form of [resource.arn, ...(resource.childArns ?? [])]) {
          if (!this.byForm.has(form)) this.byForm.set(form, resource)
        }
      }
    }
    return this.byForm.get(pattern)
  }

  /** The compiled SCPs or RCPs that apply to an account (memoized per account: one list each). */
  private applicable(policies: OrganizationPolicy[], account: string | undefined): CompiledStatement[][] {
    const memo = policies === this.model.serviceControlPolicies ? this.scpsByAccount : this.rcpsByAccount
    let lists = memo.get(account)
    if (lists === undefined) {
      lists = []
      for (const p of policies) {
        if (p.accounts === undefined || (account !== undefined && p.accounts.includes(account)))
          lists.push(this.compile(p.policy))
      }
      memo.set(account, lists)
    }
    return lists
  }
}
