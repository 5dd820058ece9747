/**
 * Markdown of one revision's effective access (`access-diff report`, the monthly review issue):
 * a table per application of its principals and their access in capability words, who can access
 * confidential data, findings and coverage. Fits `maxLength` like the PR comment does.
 */
import type { AccessReport, ContractGrant } from './contract.js'
import { codeBlock, htmlText, mdCode, mdText, oneLine } from './escape.js'
import { fitMarkdown, type Limits } from './markdownLimits.js'
import { coverageSection, findingTable, legend, sortFindings } from './markdownSections.js'
import {
  alignColumns,
  compareStrings,
  DEFAULT_CONFIDENTIAL_VALUES,
  grantColumns,
  isConfidentialValue,
  num,
  plural,
  principalLabel,
} from './words.js'

export interface AccessReportOptions {
  maxLength?: number
  confidentialValues?: string[]
}

type ReportPrincipal = AccessReport['principals'][number]

interface View {
  principal: ReportPrincipal
  label: string
  application: string
  confidential: string[]
}

export function renderAccessReportMarkdown(report: AccessReport, options: AccessReportOptions = {}): string {
  const values = options.confidentialValues ?? DEFAULT_CONFIDENTIAL_VALUES
  const views = rank(report, values)
  const render = (limits: Limits) => compose(report, views, limits, values)
  return fitMarkdown(render, views.length, options.maxLength ?? 60_000)
}

/** Confidential access first, then administrators, then by score. */
export function rank(report: AccessReport, values: string[]): View[] {
  const confidential = report.dataResources.filter((r) => isConfidentialValue(r.confidentiality, values))
  return report.principals
    .map((principal) => ({
      principal,
      label: principalLabel(principal),
      application: principal.application ?? 'unassigned',
      confidential: confidential
        .filter((r) => r.whoCan.some((w) => w.principal === principal.name))
        .map((r) => r.name)
        .sort(compareStrings),
    }))
    .sort(
      (a, b) =>
        Number(b.confidential.length > 0) - Number(a.confidential.length > 0) ||
        Number(b.principal.isAdmin) - Number(a.principal.isAdmin) ||
        b.principal.score - a.principal.score ||
        compareStrings(a.label, b.label),
    )
}

function compose(report: AccessReport, views: View[], limits: Limits, values: string[]): string {
  const withData = views.filter((v) => v.confidential.length > 0).length
  const admins = views.filter((v) => v.principal.isAdmin).length
  const lines = [
    '<!-- access-diff:report -->',
    `### 🔐 Access report: ${plural(views.length, 'principal')} · score ${num(report.score)}`,
    '',
    `**${plural(withData, 'principal')} can access confidential data** · ${plural(admins, 'effective administrator')} · ${plural(report.findings.length, 'finding')}.`,
    '',
  ]
  const shownRows = new Set(views.slice(0, limits.rows))
  const groups = new Map<string, View[]>()
  for (const v of views) groups.set(v.application, [...(groups.get(v.application) ?? []), v])
  for (const [application, group] of groups) {
    lines.push(`#### ${mdText(application)} · ${plural(group.length, 'principal')}`, '')
    const rows = group.filter((v) => shownRows.has(v))
    if (rows.length > 0) {
      lines.push('| principal | score | admin | access | confidential data |', '|---|---:|---|---|---|')
      for (const v of rows) lines.push(row(v))
      lines.push('')
    }
    if (rows.length < group.length)
      lines.push(`_…and ${plural(group.length - rows.length, 'more principal')} left out of this table._`, '')
  }
  for (const v of views.slice(0, limits.details)) lines.push(...details(v, limits.linesPerPrincipal), '')
  if (views.length > limits.details)
    lines.push(`_…and ${plural(views.length - limits.details, 'principal')} without details here._`, '')
  lines.push(...confidentialData(report, values, limits.listItems))
  lines.push(...findingsTable(report.findings, limits.listItems))
  lines.push(...coverageSection(report.coverage, undefined, limits.listItems), ...legend(false))
  return `${lines.join('\n')}\n`
}

function row(v: View): string {
  const caps = summarizeGrants(v.principal.grants)
  const data = v.confidential.slice(0, 3).map((name) => `🔒 ${mdCode(name, { inTable: true, max: 60 })}`)
  if (v.confidential.length > 3) data.push(`+${v.confidential.length - 3} more`)
  const cells = [
    mdCode(v.label, { inTable: true, max: 80 }),
    num(v.principal.score),
    v.principal.isAdmin ? '⚠️ yes' : '—',
    mdText(caps, 300),
    data.length > 0 ? data.join(', ') : '—',
  ]
  return `| ${cells.join(' | ')} |`
}

/** `read-data s3, read-config sts`: capabilities per service, in catalog order. */
export function summarizeGrants(grants: ContractGrant[]): string {
  const pairs = [...new Set(grants.map((g) => `${g.capability} ${g.service}`))].sort(compareStrings)
  if (pairs.length === 0) return 'nothing'
  return pairs.length > 6 ? `${pairs.slice(0, 6).join(', ')}, +${pairs.length - 6} more` : pairs.join(', ')
}

function details(v: View, maxLines: number): string[] {
  const grants = v.principal.grants
  const rows = grants.slice(0, maxLines).map((g) => grantColumns(g).map((c) => oneLine(c, 200)))
  const out = [
    `<details><summary><code>${htmlText(v.label, 80)}</code> · ${num(v.principal.score)} strokes · ${plural(grants.length, 'grant')}</summary>`,
    '',
  ]
  if (rows.length > 0) out.push(codeBlock(alignColumns(rows).join('\n')), '')
  if (grants.length > maxLines)
    out.push(`…and ${plural(grants.length - maxLines, 'more grant')} not shown.`, '')
  out.push('</details>')
  return out
}

function confidentialData(report: AccessReport, values: string[], max: number): string[] {
  const resources = report.dataResources
    .filter((r) => isConfidentialValue(r.confidentiality, values))
    .sort((a, b) => compareStrings(a.name, b.name))
  const unclassified = report.dataResources.filter((r) => r.confidentiality === null).length
  const out = [`#### 🔒 Who can access confidential data (${resources.length})`, '']
  if (resources.length > 0) {
    out.push('| resource | confidentiality | who can |', '|---|---|---|')
    for (const r of resources.slice(0, max)) {
      const who = [...r.whoCan]
        .sort((a, b) => compareStrings(a.principal, b.principal))
        .slice(0, 12)
        .map((w) => `${mdText(w.principal, 80)} (${mdText([...w.capabilities].sort().join(', '), 120)})`)
      if (r.whoCan.length > 12) who.push(`+${r.whoCan.length - 12} more`)
      out.push(
        `| ${mdCode(r.name, { inTable: true, max: 80 })} | ${mdText(r.confidentiality ?? '', 40)} | ${who.join('<br>') || '—'} |`,
      )
    }
    out.push('')
    if (resources.length > max)
      out.push(`…and ${plural(resources.length - max, 'more resource')} not shown.`, '')
  }
  if (unclassified > 0)
    out.push(`${plural(unclassified, 'data resource')} without a confidentiality tag (unclassified).`, '')
  return out
}

function findingsTable(findings: AccessReport['findings'], max: number): string[] {
  if (findings.length === 0) return []
  const sorted = sortFindings(findings.map((f) => ({ ...f, status: 'unchanged' as const })))
  return [`#### Findings (${findings.length})`, '', ...findingTable(sorted, max, false)]
}
