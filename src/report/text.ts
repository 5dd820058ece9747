/**
 * Terminal output of a diff: the same order as the PR comment (verdict, principals by
 * application, data, findings, coverage), plain text, ANSI colour only when asked. Control
 * characters from the tree are shown escaped, so a name cannot drive the terminal.
 */
import type { ContractCoverage, DiffReport, Finding, RiskLevel, Severity, WhoCan } from './contract.js'
import { terminalText as t } from './escape.js'
import { groupByApplication } from './markdownPrincipals.js'
import { sortFindings } from './markdownSections.js'
import { viewPrincipals } from './principalRisk.js'
import {
  alignColumns,
  compareStrings,
  DEFAULT_CONFIDENTIAL_VALUES,
  grantColumns,
  isConfidentialValue,
  locationText,
  plural,
  scoreChange,
} from './words.js'

export interface TextOptions {
  color?: boolean
  confidentialValues?: string[]
}

export type Paint = (style: keyof typeof ANSI, text: string) => string

const ANSI = { red: 31, green: 32, yellow: 33, magenta: 35, bold: 1, dim: 2 } as const

export function painter(color: boolean | undefined): Paint {
  return (style, text) => (color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text)
}

export function levelStyle(level: RiskLevel | Severity): keyof typeof ANSI {
  if (level === 'critical') return 'magenta'
  if (level === 'high') return 'red'
  if (level === 'medium' || level === 'low') return 'yellow'
  return 'green'
}

export function renderText(report: DiffReport, options: TextOptions = {}): string {
  const paint = painter(options.color)
  const values = options.confidentialValues ?? DEFAULT_CONFIDENTIAL_VALUES
  const { risk, securityReview, blocking, reasons } = report.verdict
  const out = [
    `${paint('bold', 'access-diff:')} ${paint(levelStyle(risk), `${risk.toUpperCase()} risk`)} · ${
      securityReview ? paint('bold', 'security review requested') : 'no security review needed'
    }${blocking ? ` · ${paint('red', 'blocking')}` : ''}`,
    `Score ${scoreChange(report.score, true)} · ${
      report.principals.length === 0
        ? "no principal's effective access changed"
        : `${plural(report.principals.length, 'principal')} changed`
    }`,
  ]
  reasons.forEach((r, i) => {
    out.push(`  ${i + 1}. ${t(r)}`)
  })
  for (const [application, views] of groupByApplication(viewPrincipals(report, values))) {
    out.push('', paint('bold', t(application)))
    for (const view of views) {
      const { delta } = view
      out.push(
        `  ${paint(levelStyle(view.level), view.level.padEnd(8))} ${t(view.label)}  ${scoreChange(delta.score, true)}`,
      )
      const rows = [
        ...delta.added.map((g) => ['+', ...grantColumns(g).map((c) => t(c))]),
        ...delta.removed.map((g, i) => ['-', ...grantColumns(g, delta.removedBecause?.[i]).map((c) => t(c))]),
      ]
      for (const line of alignColumns(rows))
        out.push(`    ${line.startsWith('+') ? paint('red', line) : paint('green', line)}`)
    }
  }
  out.push(...dataLines(report, values, paint), ...findingLines(report.findings, paint))
  out.push(...coverageLines(report.coverage))
  return `${out.join('\n')}\n`
}

function dataLines(report: DiffReport, values: string[], paint: Paint): string[] {
  if (report.dataResources.length === 0) return []
  const out = ['', paint('bold', 'Who can access data (changed)')]
  const resources = [...report.dataResources].sort((a, b) => compareStrings(a.name, b.name))
  for (const r of resources) {
    const confidential = isConfidentialValue(r.confidentiality, values)
    const tag = r.confidentiality === null ? 'unclassified' : t(r.confidentiality)
    const was =
      r.baseConfidentiality !== undefined && r.baseConfidentiality !== r.confidentiality
        ? ` (was ${r.baseConfidentiality === null ? 'unclassified' : t(r.baseConfidentiality)})`
        : ''
    out.push(`  ${confidential ? paint('red', t(r.name)) : t(r.name)} ${tag}${was}`)
    out.push(`    before: ${whoCanText(r.whoCan.base)}`, `    after:  ${whoCanText(r.whoCan.head)}`)
  }
  return out
}

export function whoCanText(list: WhoCan[]): string {
  if (list.length === 0) return '-'
  return [...list]
    .sort((a, b) => compareStrings(a.principal, b.principal))
    .map(
      (w) =>
        `${t(w.principal)} (${[...w.capabilities]
          .sort()
          .map((c) => t(c))
          .join(', ')})`,
    )
    .join(', ')
}

function findingLines(findings: Finding[], paint: Paint): string[] {
  if (findings.length === 0) return []
  const count = (s: Finding['status']) => findings.filter((f) => f.status === s).length
  const out = [
    '',
    paint(
      'bold',
      `Findings: ${count('new')} new, ${count('resolved')} resolved, ${count('unchanged')} unchanged`,
    ),
  ]
  const rows = sortFindings(findings).map((f) => [
    f.status,
    f.severity,
    t(f.method === undefined ? f.rule : `${f.rule} ${f.method}`),
    t(locationText(f.location) || '-'),
    t(f.message),
  ])
  alignColumns(rows).forEach((line, i) => {
    const f = sortFindings(findings)[i]
    out.push(`  ${f?.status === 'new' ? paint(levelStyle(f.severity), line) : line}`)
  })
  return out
}

export function coverageLines(coverage: ContractCoverage): string[] {
  const out = [
    '',
    `Analysed ${plural(coverage.filesAnalyzed, 'file')} and ${plural(coverage.policiesAnalyzed, 'policy', 'policies')}.`,
  ]
  for (const e of coverage.errors) out.push(`  not analysed  ${t(locationText(e))}: ${t(e.message)}`)
  for (const u of coverage.unresolved) out.push(`  unresolved    ${t(locationText(u))}: ${t(u.expression)}`)
  for (const n of coverage.notAnalysed ?? [])
    out.push(`  not analysed  ${t(locationText(n))}: ${t(n.what)} (${t(n.reason)})`)
  return out
}

/** Also here, where the CLI looks for the one-revision renderers. */
export { renderAccessReportText } from './accessReportText.js'
