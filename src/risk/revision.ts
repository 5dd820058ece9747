/**
 * One revision assessed on its own: effective access, classification, findings of every rule, and
 * the golf score of every principal. `analyze` compares two of these; `report` prints one.
 */
import type { Config } from '../config/types.js'
import { effectiveAccess } from '../engine/access.js'
import type { AccessMap, PrincipalAccess } from '../engine/types.js'
import type { LoadResult } from '../iac/types.js'
import type { Model, Resource } from '../model/types.js'
import { classifier } from './classification.js'
import { RULES } from './rules/index.js'
import { Scorer, type Strokes } from './score.js'
import type { Classification, Rule, RuleFinding } from './types.js'

export interface PrincipalScore {
  total: number
  lines: Strokes[]
}

export interface Revision {
  result: LoadResult
  access: AccessMap
  classify(resource: Resource): Classification
  findings: RuleFinding[]
  /** By principal id. */
  scores: Map<string, PrincipalScore>
  total: number
  /** The tree holds at least one confidential resource. */
  holdsConfidential: boolean
}

export function assessRevision(
  result: LoadResult,
  config: Config,
  previous?: Model,
  rules: Rule[] = RULES,
): Revision {
  const { model } = result
  const access = withoutServiceRuntimes(effectiveAccess(model))
  const classify = classifier(config)
  const input = { model, access, config, classify, ...(previous !== undefined ? { previous } : {}) }
  const findings = rules.flatMap((rule) => rule.check(input)).sort(compareFindings)
  const byPrincipal = new Map<string, RuleFinding[]>()
  for (const f of findings) {
    if (f.principalId === undefined) continue
    const list = byPrincipal.get(f.principalId)
    if (list === undefined) byPrincipal.set(f.principalId, [f])
    else list.push(f)
  }
  const scorer = new Scorer({ model, access, config, classify })
  const scores = new Map<string, PrincipalScore>()
  let total = 0
  for (const a of access.principals) {
    const score = scorer.principal(a, byPrincipal.get(a.principal.id) ?? [])
    scores.set(a.principal.id, score)
    total += score.total
  }
  return {
    result,
    access,
    classify,
    findings,
    scores,
    total,
    holdsConfidential: model.resources.some((r) => classify(r).confidential),
  }
}

/**
 * A service that assumes a role of the tree (`ecs-tasks.amazonaws.com` for a task role) is that
 * role at work: its inherited grants would repeat every line of the role, so they are dropped.
 * What a resource policy opens to a service directly stays.
 */
export function withoutServiceRuntimes(access: AccessMap): AccessMap {
  const services = new Set(
    access.principals.filter((a) => a.principal.type === 'service').map((a) => a.principal.name),
  )
  return {
    ...access,
    principals: access.principals.map((a) => {
      if (a.principal.type !== 'service') return a
      const grants = a.grants.filter((g) => g.path === undefined)
      const isAdmin = a.isAdmin && grants.some((g) => g.service === '*')
      const own: PrincipalAccess = { principal: a.principal, external: a.external, grants, isAdmin }
      if (isAdmin && a.adminReason !== undefined) own.adminReason = a.adminReason
      return own
    }),
    resources: access.resources.map((r) => ({
      ...r,
      whoCan: r.whoCan.filter((w) => !(services.has(w.principal) && w.via !== undefined)),
    })),
  }
}

export function scoreOf(revision: Revision, access: PrincipalAccess | undefined): number {
  if (access === undefined) return 0
  return revision.scores.get(access.principal.id)?.total ?? 0
}

const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 }
const collate = new Intl.Collator().compare

export function compareFindings(a: RuleFinding, b: RuleFinding): number {
  return (
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    (a.rule === b.rule ? 0 : collate(a.rule, b.rule)) ||
    (a.key === b.key ? 0 : collate(a.key, b.key))
  )
}
