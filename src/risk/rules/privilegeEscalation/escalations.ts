/**
 * Which methods each principal can use: every required action decided on the right resource (the
 * principal itself, its attached policies or groups, other principals of the tree, roles that can
 * be passed and trust the service, existing resources), with the prerequisites code can show.
 */

import type { EvaluationContext } from '../../../engine/context.js'
import { identityAllowNames, identitySignature } from '../../../engine/grants.js'
import type { AccessEdge, AccessMap } from '../../../engine/types.js'
import type { Model, Policy, Principal } from '../../../model/types.js'
import type { PrivescMethod } from './methods.js'
import { type Allowed, allowedAll, policiesOf, policyArn } from './requests.js'

export interface Escalation {
  method: PrivescMethod
  principal: Principal
  /** `self`: on itself; `others`: it changes other principals (a self method used on others). */
  mode: 'self' | 'targets'
  /** Names of the targets of the tree it works on (roles passed, users, policies, resources, the role chain). */
  targets: string[]
  /** It works on every target of the kind (`*`), not only those of the tree. */
  anyTarget: boolean
  reachesAdmin: boolean
  conditional: boolean
  /** The ARN the key action was decided on, to find the statement that grants it. */
  keyResource: string
}

export interface Scene {
  ctx: EvaluationContext
  model: Model
  access: AccessMap
  byId: Map<string, Principal>
  admins: Set<string>
}

const SERVICE_LINKED = /:role\/aws-service-role\//

/** A method's actions by where they apply, and those that only identity policies can allow. */
interface MethodActions {
  onTarget: string[]
  onPolicy: string[]
  onAny: string[]
  /** Every action but sts: ones (a trust policy can allow those by naming the principal). */
  identityNeeded: string[]
  /** The target actions a trust policy decides (sts:), and the others. */
  onTargetByTrust: string[]
  onTargetByIdentity: string[]
}

/**
 * What every principal's check reads the same way, worked out once per scene: each method's
 * actions by where they apply, the principals each method may target, the roles that trust each
 * method's services, and the assume-role edges by the principal they leave.
 */
class SceneIndex {
  private readonly parts = new Map<PrivescMethod, MethodActions>()
  private readonly targets = new Map<string, Principal[]>()
  private readonly passable = new Map<PrivescMethod, Principal[]>()
  readonly assumeFrom = new Map<string, AccessEdge[]>()
  private readonly alike = new Map<string, unknown>()

  constructor(private readonly scene: Scene) {
    for (const e of scene.access.edges) {
      if (e.kind !== 'assume-role') continue
      const list = this.assumeFrom.get(e.from)
      if (list === undefined) this.assumeFrom.set(e.from, [e])
      else list.push(e)
    }
  }

  actionsOf(m: PrivescMethod): MethodActions {
    let parts = this.parts.get(m)
    if (parts === undefined) {
      const on = (where: string): string[] => m.actions.filter((a) => a.on === where).map((a) => a.action)
      parts = {
        onTarget: on('target'),
        onPolicy: on('target-policy'),
        onAny: on('any'),
        identityNeeded: m.actions.map((a) => a.action).filter((a) => !a.startsWith('sts:')),
        onTargetByTrust: on('target').filter((a) => a.startsWith('sts:')),
        onTargetByIdentity: on('target').filter((a) => !a.startsWith('sts:')),
      }
      this.parts.set(m, parts)
    }
    return parts
  }

  /** Users, roles or groups a method can act on: not service-linked; groups only with policies. */
  principalsOfType(type: 'user' | 'role' | 'group'): Principal[] {
    let list = this.targets.get(type)
    if (list === undefined) {
      list = this.scene.model.principals.filter(
        (t) =>
          t.type === type &&
          t.arn !== undefined &&
          !SERVICE_LINKED.test(t.arn) &&
          (type !== 'group' || t.policies.length > 0),
      )
      this.targets.set(type, list)
    }
    return list
  }

  /**
   * An answer that only the principal's identity side decides (no trust or resource policy is
   * read): computed once for all the principals with the same policies, boundary, account and type.
   */
  sameForAlike<T>(p: Principal, m: PrivescMethod, compute: () => T): T {
    const key = `${m.id}\u0000${identitySignature(this.scene.ctx, p)}`
    if (this.alike.has(key)) return this.alike.get(key) as T
    const value = compute()
    this.alike.set(key, value)
    return value
  }

  /**
   * Whether some Allow of the principal's identity policies names each of the actions: without
   * one, no request for it can be allowed except through a resource or trust policy.
   */
  identityNamesAll(p: Principal, actions: string[]): boolean {
    const named = identityAllowNames(this.scene.ctx, p)
    for (const action of actions) {
      const position = this.scene.ctx.index.positionOf(action)
      if (position === undefined || !named.has(position)) return false
    }
    return true
  }

  /** The roles that trust one of the method's services. */
  passableRoles(m: PrivescMethod): Principal[] {
    let list = this.passable.get(m)
    if (list === undefined) {
      const services = new Set(m.services ?? [])
      list = this.scene.model.principals.filter(
        (r) => r.type === 'role' && r.arn !== undefined && trustsService(this.scene, r, services),
      )
      this.passable.set(m, list)
    }
    return list
  }
}

const sceneIndexes = new WeakMap<Scene, SceneIndex>()

function indexOf(scene: Scene): SceneIndex {
  let index = sceneIndexes.get(scene)
  if (index === undefined) {
    index = new SceneIndex(scene)
    sceneIndexes.set(scene, index)
  }
  return index
}

export function escalation(scene: Scene, p: Principal, m: PrivescMethod): Escalation | undefined {
  const base = { method: m, principal: p }
  const index = indexOf(scene)
  const { onTarget, onPolicy, onAny, identityNeeded, onTargetByTrust, onTargetByIdentity } =
    index.actionsOf(m)
  // IAM resources have no resource policy but a role's trust (read for sts: actions): every other
  // action must be named by an identity Allow. A method on resources may be opened by their policies.
  if (m.target !== 'resource' && !index.identityNamesAll(p, identityNeeded)) return undefined
  const anyOk = allowedAll(scene.ctx, p, onAny, '*')
  if (anyOk === undefined) return undefined
  const account = p.account ?? scene.model.homeAccounts[0] ?? '*'
  const iamArn = (kind: string): string => `arn:${scene.model.partition}:iam::${account}:${kind}/*`
  const found = (
    hits: { name: string; ok: Allowed; admin: boolean }[],
    any: Allowed | undefined,
    keyResource: string,
    mode: Escalation['mode'],
    admin: boolean,
  ): Escalation | undefined => {
    if (hits.length === 0 && any === undefined) return undefined
    const conditional =
      anyOk.conditional || ((any?.conditional ?? true) && hits.every((h) => h.ok.conditional))
    return {
      ...base,
      mode,
      targets: namesOf(hits),
      anyTarget: any !== undefined,
      reachesAdmin: admin || hits.some((h) => h.admin),
      conditional,
      keyResource,
    }
  }

  switch (m.target) {
    case 'self':
    case 'own-group':
    case 'attached-policy': {
      const own = selfTargets(scene, p, m)
      const hits = own.flatMap((t) => {
        const ok = allowedAll(scene.ctx, p, onTarget, t.arn, t.principal)
        return ok === undefined
          ? []
          : [{ name: t.name, ok, admin: m.writesPolicy && p.boundary === undefined }]
      })
      if (hits.length > 0) return found(hits, undefined, own[0]!.arn, 'self', false)
      // Not usable on itself, but on others: it can give other principals any permissions.
      if (!m.writesPolicy) return undefined
      return othersFor(scene, p, m, onTarget, iamArn)
    }
    case 'user':
    case 'role':
    case 'group': {
      const all = index.principalsOfType(m.target)
      // A trust policy names principals: sts: actions are decided for each principal; the others
      // by the identity side alone, once for the principals with the same policies.
      const byTrust = onTargetByTrust
      const needsTrust = byTrust.length > 0 || onPolicy.length > 0
      const shared = index.sameForAlike(p, m, () => ({
        // Every target, the principal itself included: each principal drops itself below.
        hits: all.flatMap((t) => {
          let ok = allowedAll(scene.ctx, p, onTargetByIdentity, t.arn!, t)
          if (ok !== undefined && onPolicy.length > 0) ok = onSomePolicy(scene, p, t, onPolicy, ok)
          const admin = scene.admins.has(t.id) || (m.writesPolicy && t.boundary === undefined)
          return ok === undefined ? [] : [{ name: t.name, ok, admin, target: t }]
        }),
        any: needsTrust ? undefined : allowedAll(scene.ctx, p, onTarget, iamArn(m.target)),
      }))
      const mine = without(shared.hits, p)
      const hits =
        byTrust.length === 0
          ? mine
          : mine.flatMap((h) => {
              const ok = allowedAll(scene.ctx, p, byTrust, h.target.arn!, h.target)
              return ok === undefined
                ? []
                : [{ ...h, ok: { conditional: h.ok.conditional || ok.conditional } }]
            })
      const first = all.find((t) => t !== p)
      return found(
        hits,
        shared.any,
        shared.any !== undefined ? iamArn(m.target) : (first?.arn ?? '*'),
        'targets',
        false,
      )
    }
    case 'passable-role': {
      // Passing a role is decided on its ARN by the identity side alone.
      const hits = index.sameForAlike(p, m, () =>
        index.passableRoles(m).flatMap((r) => {
          const ok = allowedAll(scene.ctx, p, onTarget, r.arn!)
          return ok === undefined ? [] : [{ name: r.name, ok, admin: scene.admins.has(r.id), target: r }]
        }),
      )
      const first = index.passableRoles(m).find((r) => r !== p)
      return found(without(hits, p), undefined, first?.arn ?? '*', 'targets', false)
    }
    case 'resource': {
      const any = allowedAll(scene.ctx, p, onTarget, '*')
      const resources = scene.model.resources.filter((r) => r.service === m.resourceService)
      const hits =
        any !== undefined
          ? []
          : resources.flatMap((r) => {
              const ok = allowedAll(scene.ctx, p, onTarget, r.arn, r)
              return ok === undefined ? [] : [{ name: r.name, ok, admin: false }]
            })
      return found(hits, any, any !== undefined ? '*' : (resources[0]?.arn ?? '*'), 'targets', false)
    }
    case 'assume-chain': {
      const chain = adminChain(scene, index.assumeFrom, p)
      if (chain === undefined) return undefined
      const last = chain[chain.length - 1]!
      const names = chain.map((e) => scene.byId.get(e.to)?.name ?? e.to)
      return {
        ...base,
        mode: 'targets',
        targets: names,
        anyTarget: false,
        reachesAdmin: true,
        conditional: chain.some((e) => e.conditional),
        keyResource: scene.byId.get(last.to)?.arn ?? last.to,
      }
    }
  }
}

/** Hits shared by alike principals, without the principal itself (the same array when it is not one). */
function without<T extends { target: unknown }>(hits: T[], p: Principal): T[] {
  return hits.some((h) => h.target === p) ? hits.filter((h) => h.target !== p) : hits
}

/** The sorted names of the targets hit; hits shared by alike principals are sorted once. */
const sortedNames = new WeakMap<object[], string[]>()

function namesOf(hits: { name: string }[]): string[] {
  let names = sortedNames.get(hits)
  if (names === undefined) {
    names = hits.map((h) => h.name).sort()
    sortedNames.set(hits, names)
  }
  return names
}

interface Target {
  name: string
  arn: string
  principal?: Principal
}

function selfTargets(scene: Scene, p: Principal, m: PrivescMethod): Target[] {
  if (m.principalTypes !== undefined && !m.principalTypes.includes(p.type as 'user' | 'role')) return []
  if (m.target === 'self') return p.arn === undefined ? [] : [{ name: p.name, arn: p.arn, principal: p }]
  if (m.target === 'own-group') {
    return (p.groups ?? []).flatMap((g) => {
      const group = scene.byId.get(g)
      return group?.arn === undefined ? [] : [{ name: group.name, arn: group.arn, principal: group }]
    })
  }
  return policiesOf(scene.byId, p)
    .filter((pol) => pol.origin === 'customer-managed')
    .map((pol) => ({ name: pol.name, arn: policyArn(scene.model, pol, p.account) }))
}

/** A self method on the principals (or policies) of others: it can grant them anything. */
function othersFor(
  scene: Scene,
  p: Principal,
  m: PrivescMethod,
  actions: string[],
  iamArn: (kind: string) => string,
): Escalation | undefined {
  const kind =
    m.target === 'own-group' ? 'group' : m.target === 'attached-policy' ? 'policy' : m.principalTypes?.[0]
  if (kind === undefined) return undefined
  // Self methods name no sts: action: the identity side alone decides, once for the principals
  // with the same policies (each drops itself from the targets).
  const shared = indexOf(scene).sameForAlike(p, m, () => {
    const targets: Target[] =
      kind === 'policy'
        ? customerPolicies(scene).map(({ policy, account }) => ({
            name: policy.name,
            arn: policyArn(scene.model, policy, account),
          }))
        : scene.model.principals
            .filter((t) => t.type === kind && t.arn !== undefined)
            .map((t) => ({ name: t.name, arn: t.arn!, principal: t }))
    const hits = targets.flatMap((t) => {
      const ok = allowedAll(scene.ctx, p, actions, t.arn, t.principal)
      return ok === undefined ? [] : [{ name: t.name, ok, admin: false, target: t }]
    })
    return { targets, hits, any: allowedAll(scene.ctx, p, actions, iamArn(kind)) }
  })
  const hits = shared.hits.filter((h) => h.target.principal !== p)
  const any = shared.any
  if (hits.length === 0 && any === undefined) return undefined
  const first = shared.targets.find((t) => t.principal !== p)
  return {
    method: m,
    principal: p,
    mode: 'targets',
    targets: [...new Set(hits.map((h) => h.name))].sort(),
    anyTarget: any !== undefined,
    reachesAdmin: false,
    conditional: (any?.conditional ?? true) && hits.every((h) => h.ok.conditional),
    keyResource: any !== undefined ? iamArn(kind) : first!.arn,
  }
}

function customerPolicies(scene: Scene): { policy: Policy; account: string | undefined }[] {
  const seen = new Map<string, { policy: Policy; account: string | undefined }>()
  for (const holder of scene.model.principals) {
    for (const policy of holder.policies) {
      if (policy.origin !== 'customer-managed' || seen.has(policy.id)) continue
      seen.set(policy.id, { policy, account: holder.account })
    }
  }
  return [...seen.values()]
}

function onSomePolicy(
  scene: Scene,
  p: Principal,
  role: Principal,
  actions: string[],
  ok: Allowed,
): Allowed | undefined {
  for (const pol of role.policies) {
    if (pol.origin !== 'customer-managed') continue
    const more = allowedAll(scene.ctx, p, actions, policyArn(scene.model, pol, role.account))
    if (more !== undefined) return { conditional: ok.conditional || more.conditional }
  }
  return undefined
}

function trustsService(scene: Scene, role: Principal, services: Set<string>): boolean {
  if (role.trustPolicy === undefined) return false
  return scene.ctx
    .compile(role.trustPolicy)
    .some(
      (s) =>
        s.effect === 'Allow' &&
        (s.principals ?? []).some((r) => r.kind === 'Service' && services.has(r.value.toLowerCase())),
    )
}

/** The shortest chain of assume-role edges from `p` to an administrator role, within four hops. */
function adminChain(
  scene: Scene,
  assumeFrom: Map<string, AccessEdge[]>,
  p: Principal,
): AccessEdge[] | undefined {
  let frontier: AccessEdge[][] = [[]]
  const seen = new Set([p.id])
  for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
    const next: AccessEdge[][] = []
    for (const path of frontier) {
      const at = path.length === 0 ? p.id : path[path.length - 1]!.to
      for (const e of assumeFrom.get(at) ?? []) {
        if (seen.has(e.to)) continue
        seen.add(e.to)
        if (scene.admins.has(e.to)) return [...path, e]
        next.push([...path, e])
      }
    }
    frontier = next
  }
  return undefined
}
