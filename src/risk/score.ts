/**
 * The golf score (docs/rules.md "The golf score"): per grant CAP × SCOPE × CRIT × DATA × COND, plus
 * flat strokes per hazard finding. Every number comes from `config.weights`, and every contribution
 * is one line a reviewer can check by hand on the golf card.
 *
 * DATA for grants on patterns and `*`: the most sensitive resource of the tree the grant reaches,
 * as the engine's who-can attribution says (so a bucket-policy Deny that keeps a wildcard holder out
 * of a Restricted bucket also keeps its weight out). A grant that reaches no resource of the tree
 * has no known data and DATA 1.
 */
import type { Config, Weights } from '../config/types.js'
import { patternsIntersect } from '../engine/resourcePatterns.js'
import type { AccessMap, Grant, PrincipalAccess, WhoCanEntry } from '../engine/types.js'
import { entriesNaming } from '../engine/whoCan.js'
import { parseArn } from '../iam/arn.js'
import type { Capability } from '../iam/types.js'
import { hasWildcard } from '../iam/wildcard.js'
import type { Model, Principal, Resource } from '../model/types.js'
import { LEVEL_RANK } from './classification.js'
import type { Classification, RuleFinding } from './types.js'

/** One contribution to a score, with its explanation. */
export interface Strokes {
  strokes: number
  line: string
  /** The grant it scores; absent for hazard strokes. */
  grant?: Grant
  /** The finding it scores, for hazard strokes. */
  rule?: string
}

export interface ScoreContext {
  model: Model
  access: AccessMap
  config: Config
  classify(resource: Resource): Classification
}

const DATA_STORES = new Set([
  's3',
  'dynamodb',
  'rds',
  'rds-data',
  'sqs',
  'sns',
  'kinesis',
  'firehose',
  'logs',
  'elasticache',
  'es',
  'aoss',
  'redshift',
  'redshift-data',
  'glacier',
  'backup',
  'elasticfilesystem',
  'fsx',
  'neptune-db',
  'timestream',
  'athena',
  'ecr',
  'kafka',
  'memorydb',
  'docdb-elastic',
  'cassandra',
])
const COMPUTE = new Set([
  'lambda',
  'ec2',
  'ecs',
  'eks',
  'codebuild',
  'cloudformation',
  'glue',
  'sagemaker',
  'batch',
  'states',
  'apprunner',
  'elasticbeanstalk',
  'datapipeline',
  'emr-serverless',
  'elasticmapreduce',
])
const DATA_CAPABILITIES: ReadonlySet<Capability> = new Set([
  'read-data',
  'write-data',
  'delete-data',
  'administer-resource',
])
/** Conditions that pin a grant to one organisation, network or origin; lower-case. */
const STRONG_CONDITIONS = new Set([
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:multifactorauthpresent',
  'aws:multifactorauthage',
])
/** Strong only for a service principal: they name which resource or account the service acts for. */
const SERVICE_CONDITIONS = new Set(['aws:sourcearn', 'aws:sourceaccount', 'aws:sourceowner'])

/** Rules whose findings are hazards, and the weight of each. */
const HAZARDS: Record<string, { weight: keyof Weights['hazards']; label: string }> = {
  'privilege-escalation': { weight: 'privilegeEscalation', label: 'privilege-escalation path' },
  'admin-access': { weight: 'admin', label: 'effective administrator' },
  'public-access': { weight: 'public', label: 'public access' },
  'cross-account-access': { weight: 'crossAccount', label: 'cross-account access' },
  'resource-policy-control': { weight: 'resourcePolicyControl', label: 'resource-policy control' },
}

export function isDataCapability(capability: Capability): boolean {
  return DATA_CAPABILITIES.has(capability)
}

/** The condition keys make a grant hold only for a narrow, named audience. */
export function hasStrongCondition(grant: Grant, principal: Principal): boolean {
  if (!grant.conditional) return false
  return (grant.conditions ?? []).some((key) => {
    const lower = key.toLowerCase()
    return STRONG_CONDITIONS.has(lower) || (principal.type === 'service' && SERVICE_CONDITIONS.has(lower))
  })
}

export function homeAccountsOf(model: Model, config: Config): Set<string> {
  return new Set([...model.homeAccounts, ...config.homeAccounts])
}

export interface ScopeFactor {
  kind: 'resource' | 'pattern' | 'service' | 'otherAccount'
  label: string
}

export function scopeOf(grant: Grant, homeAccounts: ReadonlySet<string>): ScopeFactor {
  if (grant.resourceAddress !== undefined) return { kind: 'resource', label: 'one resource' }
  if (grant.resource === '*') return { kind: 'service', label: 'every resource' }
  const arn = parseArn(grant.resource)
  if (arn !== undefined) {
    // `arn:aws:logs:*:*:*` names every resource of the service, as `*` does: same weight.
    if (arn.resource === '*') return { kind: 'service', label: 'every resource' }
    if (hasWildcard(arn.account)) return { kind: 'otherAccount', label: 'any account' }
    if (/^\d{12}$/.test(arn.account) && homeAccounts.size > 0 && !homeAccounts.has(arn.account))
      return { kind: 'otherAccount', label: `account ${arn.account}` }
  }
  return hasWildcard(grant.resource)
    ? { kind: 'pattern', label: 'a pattern' }
    : { kind: 'resource', label: 'one resource' }
}

export function criticalityOf(service: string, weights: Weights): { weight: number; label: string } {
  const c = weights.criticality
  // An administrator's grants name every service: they weigh as the most critical one.
  if (service === '*') {
    const weight = Math.max(...Object.values(c))
    return { weight, label: `every service ${weight}` }
  }
  const own = c[service]
  if (own !== undefined) return { weight: own, label: `${service} ${own}` }
  const group = DATA_STORES.has(service) ? 'dataStore' : COMPUTE.has(service) ? 'compute' : 'other'
  const label = group === 'dataStore' ? 'data store' : group
  const weight = c[group] ?? 1
  return { weight, label: `${label} ${weight}` }
}

export function dataWeight(c: Classification, weights: Weights): number {
  const d = weights.data
  switch (c.level) {
    case 'public':
      return d.public
    case 'confidential':
      return d.confidential
    case 'restricted':
      return d.restricted
    default:
      return d.internal
  }
}

/** Resources of the tree a principal reaches with a capability, read from who-can. */
export class Reach {
  /** Each resource's who-can entries, in principal-name order (as whoCanAccess lists them). */
  private readonly entries = new Map<Resource, WhoCanEntry[]>()
  /** Resources by service, most sensitive first; `*` for all of them. */
  private readonly byService = new Map<string, Resource[]>()
  /** Per service and pattern, the resources whose forms the pattern meets, most sensitive first. */
  private readonly candidates = new Map<string, Map<string, Resource[]>>()

  /** `rank` orders resources most sensitive first, so the most sensitive touched resource is the first found. */
  constructor(access: AccessMap, rank: (resource: Resource) => number = () => 0) {
    const ranked = access.resources
      .map(({ resource }, order) => ({ resource, rank: rank(resource), order }))
      .sort((a, b) => b.rank - a.rank || a.order - b.order)
      .map((r) => r.resource)
    this.byService.set('*', ranked)
    for (const resource of ranked) {
      const list = this.byService.get(resource.service)
      if (list === undefined) this.byService.set(resource.service, [resource])
      else list.push(resource)
    }
    for (const { resource, whoCan } of access.resources) this.entries.set(resource, whoCan)
  }

  /** The most sensitive resource a grant of this principal touches, or undefined. */
  mostSensitive(principal: Principal, grant: Grant): Resource | undefined {
    for (const resource of this.touched(grant.service, grant.resource)) {
      const naming = entriesNaming(this.entries.get(resource) ?? [], principal.name)
      if (naming.some((e) => e.capabilities.includes(grant.capability))) return resource
    }
    return undefined
  }

  /** Principals share patterns: the resources each one meets are found once. */
  private touched(service: string, pattern: string): Resource[] {
    const all = this.byService.get(service) ?? []
    if (pattern === '*') return all
    let byPattern = this.candidates.get(service)
    if (byPattern === undefined) {
      byPattern = new Map()
      this.candidates.set(service, byPattern)
    }
    let found = byPattern.get(pattern)
    if (found === undefined) {
      found = all.filter(
        (r) =>
          patternsIntersect(pattern, r.arn) || (r.childArns ?? []).some((f) => patternsIntersect(pattern, f)),
      )
      byPattern.set(pattern, found)
    }
    return found
  }
}

export class Scorer {
  private readonly reach: Reach
  private readonly homes: Set<string>
  private readonly byId: Map<string, Principal>
  /** Inherited grants are shared by the principals that reach their holder the same way: scored once. */
  private readonly inherited = new Map<Grant, Strokes>()

  constructor(private readonly ctx: ScoreContext) {
    this.reach = new Reach(ctx.access, (r) => LEVEL_RANK[ctx.classify(r).level])
    this.homes = homeAccountsOf(ctx.model, ctx.config)
    this.byId = new Map(ctx.access.principals.map((a) => [a.principal.id, a.principal]))
  }

  /**
   * The strokes of one grant of the principal. A grant reached through a path is the holder's
   * grant used by the principal acting as the holder: it touches what it lets the holder touch, so
   * its data weight is read from the holder's reach, not from everything the principal reaches.
   */
  grant(grant: Grant, principal: Principal): Strokes {
    const holder = grant.path === undefined ? undefined : this.byId.get(grant.path[grant.path.length - 1]!)
    if (holder === undefined) return this.strokesOf(grant, principal)
    let strokes = this.inherited.get(grant)
    if (strokes === undefined) {
      strokes = this.strokesOf(grant, holder)
      this.inherited.set(grant, strokes)
    }
    return strokes
  }

  private strokesOf(grant: Grant, principal: Principal): Strokes {
    const w = this.ctx.config.weights
    const cap = w.capability[grant.capability] ?? 1
    const scope = scopeOf(grant, this.homes)
    const scopeWeight = w.scope[scope.kind]
    const crit = criticalityOf(grant.service, w)
    const parts = [`${grant.capability} ${cap}`, `${scope.label} ${scopeWeight}`, crit.label]
    let strokes = cap * scopeWeight * crit.weight
    if (isDataCapability(grant.capability)) {
      const data = this.mostSensitive(principal, grant)
      if (data !== undefined) {
        const weight = dataWeight(data, w)
        parts.push(`${data.value ?? 'unclassified'} ${weight}`)
        strokes *= weight
      }
    }
    if (hasStrongCondition(grant, principal)) {
      parts.push(`strong condition ${w.strongCondition}`)
      strokes *= w.strongCondition
    }
    return { strokes, line: `${parts.join(' × ')} = ${formatStrokes(strokes)}`, grant }
  }

  /** Every contribution of one principal: its grants, then its hazards. */
  principal(access: PrincipalAccess, findings: RuleFinding[]): { total: number; lines: Strokes[] } {
    const lines = access.grants.map((g) => this.grant(g, access.principal))
    for (const f of findings) {
      const hazard = HAZARDS[f.rule]
      if (hazard === undefined || f.principalId !== access.principal.id) continue
      const strokes = this.ctx.config.weights.hazards[hazard.weight]
      lines.push({ strokes, line: `${hazard.label} ${strokes}: ${f.message}`, rule: f.rule })
    }
    return { total: lines.reduce((sum, l) => sum + l.strokes, 0), lines }
  }

  /** The classification of the most sensitive resource of the tree the grant lets the principal touch. */
  private mostSensitive(principal: Principal, grant: Grant): Classification | undefined {
    const resource = this.reach.mostSensitive(principal, grant)
    return resource === undefined ? undefined : this.ctx.classify(resource)
  }
}

export function formatStrokes(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1)
}
