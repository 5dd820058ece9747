/**
 * The analysis core: two revisions in, the DiffReport of `src/report/contract.ts` out; one
 * revision in, the AccessReport. Pure: no file system, network or environment, so every front end
 * gets the same answer and tests need no mocks. Every list is sorted, so the same input gives the same JSON.
 */
import type { Config } from '../config/types.js'
import type { Grant, PrincipalAccess } from '../engine/types.js'
import type { Coverage, LoadResult } from '../iac/types.js'
import type { Principal, Resource } from '../model/types.js'
import type {
  AccessReport,
  ContractCoverage,
  ContractGrant,
  DataResourceDelta,
  DiffReport,
  Finding,
  PrincipalDelta,
} from '../report/contract.js'
import { tagValue } from './classification.js'
import { principalChanges, resourceChanges } from './delta.js'
import { policyChanges } from './policyChanges.js'
import { assessRevision, compareFindings, type Revision, scoreOf } from './revision.js'
import type { RuleFinding } from './types.js'
import { verdictOf } from './verdict.js'
import { locationOf } from './words.js'

export function analyze(base: LoadResult, head: LoadResult, config: Config): DiffReport {
  const before = assessRevision(base, config)
  const after = assessRevision(head, config, base.model)
  const changes = principalChanges(before, after)
  const resources = resourceChanges(before, after)
  const findings = findingsWithStatus(before.findings, after.findings)

  const principals: PrincipalDelta[] = []
  for (const c of changes) {
    const baseScore = scoreOf(before, c.base)
    const headScore = scoreOf(after, c.head)
    if (c.added.length === 0 && c.removed.length === 0 && baseScore === headScore) continue
    const access = (c.head ?? c.base)!
    // The strokes of a grant on the principal's golf card of that revision: the same object, else
    // (a grant narrowed to its new actions) the line of the same kind on the same resource.
    const strokes = (g: Grant, rev: Revision, a: PrincipalAccess | undefined): number | undefined => {
      if (a === undefined) return undefined
      const lines = rev.scores.get(a.principal.id)?.lines ?? []
      return (lines.find((l) => l.grant === g) ?? lines.find((l) => sameGrant(l.grant, g)))?.strokes
    }
    const removed = [...c.removed].sort((x, y) => compareContract(x.grant, y.grant))
    const delta: PrincipalDelta = {
      ...identity(access.principal),
      score: { base: baseScore, head: headScore, delta: headScore - baseScore },
      added: c.added.map((g) => contractGrant(g, strokes(g, after, c.head))).sort(compareContract),
      removed: removed.map((r) => contractGrant(r.grant, strokes(r.grant, before, c.base))),
      removedBecause: removed.map((r) => r.because),
    }
    const application = tagValue(access.principal.tags, config.applicationTagKey)
    if (application !== null) delta.application = application
    principals.push(delta)
  }
  principals.sort(
    (a, b) =>
      b.score.delta - a.score.delta || a.name.localeCompare(b.name) || a.address.localeCompare(b.address),
  )

  const dataResources: DataResourceDelta[] = resources.map((r) => {
    const resource = (r.head ?? r.base)!
    const now = r.head === undefined ? undefined : after.classify(r.head)
    const was = r.base === undefined ? undefined : before.classify(r.base)
    const out: DataResourceDelta = {
      ...resourceIdentity(resource),
      confidentiality: now?.value ?? (r.head === undefined ? (was?.value ?? null) : null),
      whoCan: r.whoCan,
    }
    if (r.base !== undefined && r.head !== undefined && (was?.value ?? null) !== (now?.value ?? null))
      out.baseConfidentiality = was?.value ?? null
    const application = tagValue(resource.tags, config.applicationTagKey)
    if (application !== null) out.application = application
    return out
  })
  dataResources.sort(
    (a, b) => a.name.localeCompare(b.name) || (a.address ?? '').localeCompare(b.address ?? ''),
  )

  const verdict = verdictOf({ base: before, head: after, principals: changes, resources, findings, config })
  return {
    schemaVersion: 1,
    verdict,
    score: { base: before.total, head: after.total, delta: after.total - before.total },
    principals,
    findings,
    dataResources,
    coverage: contractCoverage(head.coverage),
    baseCoverage: contractCoverage(base.coverage),
    policyChanges: policyChanges(base.model, head.model),
  }
}

export function report(result: LoadResult, config: Config): AccessReport {
  const rev = assessRevision(result, config)
  const principals = rev.access.principals.map((a) => {
    const lines = rev.scores.get(a.principal.id)?.lines ?? []
    const byGrant = new Map(lines.filter((l) => l.grant).map((l) => [l.grant!, l.strokes]))
    const entry: AccessReport['principals'][number] = {
      ...identity(a.principal),
      score: scoreOf(rev, a),
      isAdmin: a.isAdmin,
      grants: a.grants.map((g) => contractGrant(g, byGrant.get(g))).sort(compareContract),
    }
    const application = tagValue(a.principal.tags, config.applicationTagKey)
    if (application !== null) entry.application = application
    return entry
  })
  principals.sort((a, b) => a.name.localeCompare(b.name) || a.address.localeCompare(b.address))
  const dataResources = rev.access.resources
    .filter(({ resource }) => resource.holdsData || rev.classify(resource).value !== null)
    .map(({ resource, whoCan }) => {
      const entry: AccessReport['dataResources'][number] = {
        ...resourceIdentity(resource),
        confidentiality: rev.classify(resource).value,
        whoCan: whoCan.map((w) => ({ principal: w.principal, capabilities: [...w.capabilities] })),
      }
      const application = tagValue(resource.tags, config.applicationTagKey)
      if (application !== null) entry.application = application
      return entry
    })
    .sort((a, b) => a.name.localeCompare(b.name) || (a.address ?? '').localeCompare(b.address ?? ''))
  return {
    schemaVersion: 1,
    score: rev.total,
    principals,
    findings: rev.findings.map(contractFinding),
    dataResources,
    coverage: contractCoverage(result.coverage),
  }
}

/** new: only at head; resolved: only at base; unchanged: both (as the head says it). */
export function findingsWithStatus(base: RuleFinding[], head: RuleFinding[]): Finding[] {
  const baseKeys = new Set(base.map((f) => f.key))
  const headKeys = new Set(head.map((f) => f.key))
  const out = [
    ...head.map((f) => ({ f, status: baseKeys.has(f.key) ? ('unchanged' as const) : ('new' as const) })),
    ...base.filter((f) => !headKeys.has(f.key)).map((f) => ({ f, status: 'resolved' as const })),
  ]
  const order = { new: 0, unchanged: 1, resolved: 2 }
  out.sort((a, b) => order[a.status] - order[b.status] || compareFindings(a.f, b.f))
  return out.map(({ f, status }) => ({ ...contractFinding(f), status }))
}

function contractFinding(f: RuleFinding): Omit<Finding, 'status'> {
  const { key: _key, principalId: _id, ...finding } = f
  return finding
}

export function contractGrant(g: Grant, score: number | undefined): ContractGrant {
  const out: ContractGrant = {
    service: g.service,
    capability: g.capability,
    resource: g.resource,
    actions: [...g.actions],
    conditional: g.conditional,
    via: g.via,
  }
  if (g.resourceAddress !== undefined) out.resourceAddress = g.resourceAddress
  if (g.conditions !== undefined) out.conditions = [...g.conditions]
  const source = g.sources[0]
  const location = locationOf(source?.location)
  if (location !== undefined) out.location = location
  if (source !== undefined) out.statement = source.statement
  if (score !== undefined) out.score = score
  return out
}

function compareContract(a: ContractGrant | Grant, b: ContractGrant | Grant): number {
  return (
    a.service.localeCompare(b.service) ||
    a.capability.localeCompare(b.capability) ||
    a.resource.localeCompare(b.resource) ||
    Number(a.conditional) - Number(b.conditional) ||
    (a.via ?? '').localeCompare(b.via ?? '')
  )
}

function sameGrant(a: Grant | undefined, b: Grant): boolean {
  return (
    a !== undefined && a.service === b.service && a.capability === b.capability && a.resource === b.resource
  )
}

function identity(p: Principal): { name: string; address: string; type: Principal['type']; arn?: string } {
  const out: { name: string; address: string; type: Principal['type']; arn?: string } = {
    name: p.name,
    address: p.address ?? p.id,
    type: p.type,
  }
  if (p.arn !== undefined) out.arn = p.arn
  return out
}

function resourceIdentity(r: Resource): { name: string; address?: string; arn?: string; type: string } {
  const out: { name: string; address?: string; arn?: string; type: string } = { name: r.name, type: r.type }
  if (r.address !== undefined) out.address = r.address
  out.arn = r.arn
  return out
}

function contractCoverage(c: Coverage): ContractCoverage {
  return {
    filesAnalyzed: c.filesAnalyzed,
    policiesAnalyzed: c.policiesAnalyzed,
    unresolved: c.unresolved.map((u) => ({ ...u })),
    errors: c.errors.map((e) => ({ ...e })),
    notAnalysed: c.notAnalysed.map((n) => ({ ...n })),
  }
}
