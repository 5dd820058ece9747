/**
 * How risky each changed principal is for the reader, so the riskiest come first and the least
 * risky are the first collapsed when a comment must shrink. Reads only the DiffReport.
 */
import type { ContractGrant, DataResourceDelta, DiffReport, PrincipalDelta, RiskLevel } from './contract.js'
import { compareStrings, isConfidentialValue, principalLabel, RISK_ORDER, riskRank } from './words.js'

export interface TouchedData {
  name: string
  confidentiality: string | null
  confidential: boolean
  /** The principal gained a capability on it (else only lost some). */
  gained: boolean
}

export interface PrincipalView {
  delta: PrincipalDelta
  label: string
  application: string
  level: RiskLevel
  touched: TouchedData[]
}

export const UNASSIGNED = 'unassigned'

export function viewPrincipals(report: DiffReport, confidentialValues: string[]): PrincipalView[] {
  // The most severe new finding of each principal, by name.
  const newFindings = new Map<string, number>()
  for (const f of report.findings) {
    if (f.status !== 'new' || f.principal === undefined) continue
    newFindings.set(f.principal, Math.max(newFindings.get(f.principal) ?? 0, riskRank(f.severity)))
  }
  const views = report.principals.map((delta) => {
    const touched = touchedData(delta, report.dataResources, confidentialValues)
    return {
      delta,
      label: principalLabel(delta),
      application: delta.application ?? UNASSIGNED,
      level: principalLevel(delta, newFindings.get(delta.name) ?? 0, touched),
      touched,
    }
  })
  return views.sort(comparePrincipalViews)
}

export function comparePrincipalViews(a: PrincipalView, b: PrincipalView): number {
  return (
    riskRank(b.level) - riskRank(a.level) ||
    Number(gainsConfidential(b)) - Number(gainsConfidential(a)) ||
    b.delta.score.delta - a.delta.score.delta ||
    compareStrings(a.label, b.label) ||
    compareStrings(a.delta.address, b.delta.address)
  )
}

export function gainsConfidential(view: PrincipalView): boolean {
  return view.touched.some((t) => t.confidential && t.gained)
}

function principalLevel(delta: PrincipalDelta, findingsLevel: number, touched: TouchedData[]): RiskLevel {
  let level = findingsLevel
  if (touched.some((t) => t.confidential && t.gained)) level = Math.max(level, riskRank('high'))
  if (delta.added.length > 0 || delta.score.delta > 0) level = Math.max(level, riskRank('low'))
  return RISK_ORDER[level] ?? 'none'
}

function touchedData(
  delta: PrincipalDelta,
  resources: DataResourceDelta[],
  confidentialValues: string[],
): TouchedData[] {
  const names = new Set([delta.name, principalLabel(delta), delta.address, ...(delta.arn ? [delta.arn] : [])])
  const touched: TouchedData[] = []
  for (const r of resources) {
    const before = capabilitiesOf(r.whoCan.base, names)
    const after = capabilitiesOf(r.whoCan.head, names)
    let gained = [...after].some((c) => !before.has(c))
    let changed = gained || [...before].some((c) => !after.has(c))
    if (delta.added.some((g) => grantTargets(g, r))) gained = changed = true
    if (delta.removed.some((g) => grantTargets(g, r))) changed = true
    if (!changed) continue
    const confidential =
      isConfidentialValue(r.confidentiality, confidentialValues) ||
      isConfidentialValue(r.baseConfidentiality, confidentialValues)
    touched.push({ name: r.name, confidentiality: r.confidentiality, confidential, gained })
  }
  return touched.sort(
    (a, b) => Number(b.confidential) - Number(a.confidential) || compareStrings(a.name, b.name),
  )
}

function capabilitiesOf(whoCan: { principal: string; capabilities: string[] }[], names: Set<string>) {
  const caps = new Set<string>()
  for (const w of whoCan) if (names.has(w.principal)) for (const c of w.capabilities) caps.add(c)
  return caps
}

function grantTargets(grant: ContractGrant, resource: DataResourceDelta): boolean {
  if (resource.address !== undefined && grant.resourceAddress === resource.address) return true
  if (resource.arn === undefined) return false
  return grant.resource === resource.arn || grant.resource.startsWith(`${resource.arn}/`)
}
