/**
 * Terminal output of one revision's effective access (`access-diff report`): principals by
 * application with their grants in capability words, who can access confidential data, findings.
 */
import { rank } from './accessReportMarkdown.js'
import type { AccessReport } from './contract.js'
import { terminalText as t } from './escape.js'
import { coverageLines, levelStyle, painter, type TextOptions, whoCanText } from './text.js'
import {
  alignColumns,
  compareStrings,
  DEFAULT_CONFIDENTIAL_VALUES,
  grantColumns,
  isConfidentialValue,
  locationText,
  num,
  plural,
  riskRank,
} from './words.js'

export function renderAccessReportText(report: AccessReport, options: TextOptions = {}): string {
  const paint = painter(options.color)
  const values = options.confidentialValues ?? DEFAULT_CONFIDENTIAL_VALUES
  const views = rank(report, values)
  const out = [
    `${paint('bold', 'access-diff report:')} ${plural(views.length, 'principal')} · score ${num(report.score)}`,
  ]
  const groups = new Map<string, typeof views>()
  for (const v of views) groups.set(v.application, [...(groups.get(v.application) ?? []), v])
  for (const [application, group] of groups) {
    out.push('', paint('bold', t(application)))
    for (const v of group) {
      const notes = [
        v.principal.isAdmin ? paint('red', 'administrator') : '',
        v.confidential.length > 0
          ? paint('red', `confidential: ${v.confidential.map((n) => t(n)).join(', ')}`)
          : '',
      ].filter((n) => n !== '')
      out.push(
        `  ${t(v.label)}  ${num(v.principal.score)} strokes${notes.length > 0 ? `  ${notes.join(' · ')}` : ''}`,
      )
      for (const line of alignColumns(v.principal.grants.map((g) => grantColumns(g).map((c) => t(c)))))
        out.push(`    ${line}`)
    }
  }
  const confidential = report.dataResources
    .filter((r) => isConfidentialValue(r.confidentiality, values))
    .sort((a, b) => compareStrings(a.name, b.name))
  if (confidential.length > 0) {
    out.push('', paint('bold', 'Who can access confidential data'))
    for (const r of confidential)
      out.push(`  ${t(r.name)} (${t(r.confidentiality ?? '')}): ${whoCanText(r.whoCan)}`)
  }
  if (report.findings.length > 0) {
    out.push('', paint('bold', `Findings (${report.findings.length})`))
    const findings = [...report.findings].sort(
      (a, b) =>
        riskRank(b.severity) - riskRank(a.severity) ||
        compareStrings(a.rule, b.rule) ||
        compareStrings(a.message, b.message),
    )
    const rows = findings.map((f) => [
      f.severity,
      t(f.rule),
      t(locationText(f.location) || '-'),
      t(f.message),
    ])
    alignColumns(rows).forEach((line, i) => {
      out.push(`  ${paint(levelStyle(findings[i]?.severity ?? 'low'), line)}`)
    })
  }
  out.push(...coverageLines(report.coverage))
  return `${out.join('\n')}\n`
}
