/**
 * Why a grant of the base is gone at the head, in one sentence: a Deny that now blocks it (the head
 * is evaluated for one of its actions), or what happened to the statements that allowed it (policy
 * gone, detached, unreadable at the head, statement gone or changed), or the path it came through.
 * A policy that cannot be read at the head (not valid JSON, a statement that cannot be used) is said
 * as such, first: what it grants is not counted, which is not the same as access taken away.
 */
import { describeSource, formatLocation, type StatementSource } from '../engine/compile.js'
import { EvaluationContext } from '../engine/context.js'
import type { AccessMap, Grant, PrincipalAccess } from '../engine/types.js'
import type { Statement } from '../iam/types.js'
import type { Model, Policy, Principal } from '../model/types.js'
import { principalLabel } from './words.js'

export class RemovalExplainer {
  private ctx: EvaluationContext | undefined
  private readonly headPolicies = new Map<string, Policy>()
  private readonly attached = new Map<string, Set<string>>()
  private readonly headById: Map<string, PrincipalAccess>
  private edgesFrom: Map<string, Set<string>> | undefined

  constructor(
    private readonly headModel: Model,
    private readonly head: AccessMap,
  ) {
    this.headById = new Map(head.principals.map((a) => [a.principal.id, a]))
    const groups = new Map(headModel.principals.map((p) => [p.id, p]))
    for (const p of headModel.principals) {
      const own = [...p.policies, ...(p.groups ?? []).flatMap((g) => groups.get(g)?.policies ?? [])]
      if (p.trustPolicy !== undefined) own.push(p.trustPolicy)
      for (const policy of own) this.headPolicies.set(policy.id, policy)
      this.attached.set(p.id, new Set(own.map((policy) => policy.id)))
    }
    for (const r of headModel.resources)
      if (r.policy !== undefined) this.headPolicies.set(r.policy.id, r.policy)
    for (const o of [...headModel.serviceControlPolicies, ...headModel.resourceControlPolicies])
      this.headPolicies.set(o.policy.id, o.policy)
  }

  explain(
    base: PrincipalAccess,
    head: PrincipalAccess | undefined,
    grant: Grant,
    basePolicies: Map<string, Policy>,
  ): string {
    const who = principalLabel(base.principal)
    if (head === undefined) return `${who} is no longer in the tree`
    const unreadable = grant.sources
      .map((source) => this.unreadable(source, basePolicies))
      .filter((r) => r !== undefined)
    if (unreadable.length > 0) return [...new Set(unreadable)].join('; ')
    if (grant.service === '*') {
      const lost = `${who} is no longer an effective administrator (it was: ${base.adminReason ?? 'allowed everything'})`
      const broken = this.unreadablePolicies(head.principal, basePolicies)
      return broken.length > 0 ? `${lost}: ${broken.join('; ')}` : lost
    }
    // An inherited grant is explained on the principal at the end of its path.
    const holderId = grant.path?.[grant.path.length - 1]
    if (grant.path !== undefined && grant.path.length > 0) {
      const first = grant.path[0]!
      if (!this.hasEdge(base.principal.id, first))
        return `the path ${grant.via.split(' (')[0]} no longer exists`
    }
    const holder = holderId === undefined ? head.principal : this.headById.get(holderId)?.principal
    if (holder === undefined)
      return `${grant.via.split(' (')[0]}: the role at its end is no longer in the tree`
    const denied = this.deniedBy(holder, grant)
    if (denied !== undefined) return `denied by ${describeSource(denied)}`
    const reasons = grant.sources
      .map((s) => this.sourceChange(s, holder, basePolicies))
      .filter((r) => r !== undefined)
    if (reasons.length > 0) return [...new Set(reasons)].join('; ')
    return 'no longer allowed: the statements that allowed it are unchanged, so a boundary, SCP or resource policy now limits it'
  }

  /** Whether the head still has an edge from one principal to the other. */
  private hasEdge(from: string, to: string): boolean {
    if (this.edgesFrom === undefined) {
      this.edgesFrom = new Map()
      for (const e of this.head.edges) {
        const targets = this.edgesFrom.get(e.from)
        if (targets === undefined) this.edgesFrom.set(e.from, new Set([e.to]))
        else targets.add(e.to)
      }
    }
    return this.edgesFrom.get(from)?.has(to) ?? false
  }

  private deniedBy(holder: Principal, grant: Grant): StatementSource | undefined {
    const action = grant.actions.find((a) => !a.includes('*'))
    if (action === undefined) return undefined
    this.ctx ??= new EvaluationContext(this.headModel)
    const target = this.ctx.resourceByForm(grant.resource)
    const decision = this.ctx.decide({
      principal: holder,
      action,
      resource: grant.resource,
      ...(target !== undefined ? { target } : {}),
    })
    return decision.decision === 'explicit-deny' ? decision.deniedBy[0] : undefined
  }

  /** The policies of a principal that lost statements at the head because they cannot be read. */
  private unreadablePolicies(principal: Principal, basePolicies: Map<string, Policy>): string[] {
    const out: string[] = []
    for (const id of this.attached.get(principal.id) ?? []) {
      const policy = this.headPolicies.get(id)
      const problem = policy?.problems?.find((p) => p.severity === 'error')
      const before = basePolicies.get(id)?.document.statements.length ?? 0
      if (policy === undefined || problem === undefined || before <= policy.document.statements.length)
        continue
      const where = policy.location !== undefined ? ` (${formatLocation(policy.location)})` : ''
      out.push(
        `policy ${policy.name}${where} cannot be read at the head (${sentence(problem.message)}), so what it allows is not counted`,
      )
    }
    return out.sort()
  }

  /** The statement's policy is at the head, but the statement cannot be read there. */
  private unreadable(source: StatementSource, basePolicies: Map<string, Policy>): string | undefined {
    const now = this.headPolicies.get(source.policyId)
    if (now === undefined || findStatement(now, source.statement) !== undefined) return undefined
    const before = basePolicies.get(source.policyId)
    const path = before === undefined ? undefined : findStatement(before, source.statement)?.path
    const problem = (now.problems ?? []).find(
      (p) => p.severity === 'error' && (p.path === '$' || (path !== undefined && p.path === path)),
    )
    if (problem === undefined) return undefined
    const where = now.location !== undefined ? ` (${formatLocation(now.location)})` : ''
    const what =
      problem.path === '$'
        ? `policy ${source.policyName}${where}`
        : `statement ${source.statement} of policy ${source.policyName}${where}`
    return `${what} cannot be read at the head (${sentence(problem.message)}), so what it allowed is not counted`
  }

  private sourceChange(
    source: StatementSource,
    holder: Principal,
    basePolicies: Map<string, Policy>,
  ): string | undefined {
    const where = source.location !== undefined ? ` (${formatLocation(source.location)})` : ''
    const now = this.headPolicies.get(source.policyId)
    if (now === undefined) return `policy ${source.policyName}${where} is gone`
    const identity = source.origin !== 'resource' && source.origin !== 'scp' && source.origin !== 'rcp'
    if (identity && !(this.attached.get(holder.id)?.has(source.policyId) ?? false))
      return `policy ${source.policyName} is no longer attached to ${principalLabel(holder)}`
    const before = basePolicies.get(source.policyId)
    const old = before === undefined ? undefined : findStatement(before, source.statement)
    const current = findStatement(now, source.statement)
    if (current === undefined)
      return `statement ${source.statement} of policy ${source.policyName}${where} is gone`
    if (old !== undefined && canonical(old) !== canonical(current))
      return `statement ${source.statement} of policy ${source.policyName}${where} changed`
    return undefined
  }
}

/** Every policy of a model by id, for finding a base statement as it was. */
export function policiesById(model: Model): Map<string, Policy> {
  const out = new Map<string, Policy>()
  for (const p of model.principals) {
    for (const policy of p.policies) out.set(policy.id, policy)
    if (p.boundary !== undefined) out.set(p.boundary.id, p.boundary)
    if (p.trustPolicy !== undefined) out.set(p.trustPolicy.id, p.trustPolicy)
  }
  for (const r of model.resources) if (r.policy !== undefined) out.set(r.policy.id, r.policy)
  return out
}

function findStatement(policy: Policy, name: string): Statement | undefined {
  const statements = policy.document.statements
  // A statement without Sid is known by its position: whatever sits there now is its new version.
  if (name.startsWith('#')) return statements.find((s) => `#${s.index}` === name)
  return statements.find((s) => s.sid === name)
}

/** A problem's message inside a sentence: without its final full stop. */
const sentence = (message: string): string =>
  message.replace(/\.$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())

/** What a statement says, without where it sits. */
function canonical(s: Statement): string {
  const { index: _index, path: _path, ...meaning } = s
  return JSON.stringify(meaning)
}
