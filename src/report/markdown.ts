/**
 * The PR comment: verdict first (risk, score, review yes/no and why), a table per application, a
 * golf card per changed principal, who can access data, findings, policy diffs, coverage, legend.
 * It always fits `maxLength`: the lowest-risk principals lose their golf card, then their row,
 * and every omission is counted in the comment.
 */
import type { DiffReport } from './contract.js'
import { mdText } from './escape.js'
import { fitMarkdown, type Limits } from './markdownLimits.js'
import { accessGraph, applicationTables, principalDetails } from './markdownPrincipals.js'
import {
  coverageSection,
  dataAccess,
  findingsSection,
  legend,
  markerLine,
  policyDiffs,
} from './markdownSections.js'
import { type PrincipalView, viewPrincipals } from './principalRisk.js'
import {
  capitalize,
  DEFAULT_CONFIDENTIAL_VALUES,
  num,
  plural,
  RISK_EMOJI,
  riskRank,
  signed,
} from './words.js'

export interface MarkdownOptions {
  /** Extra text in the hidden marker (e.g. `head=9f3c2ab base=4e1d0c7`, or a config name). */
  marker?: string
  /** Upper bound on the comment's length in characters; default 60,000 (GitHub allows 65,536). */
  maxLength?: number
  /** Add a Mermaid graph of the changed access edges. */
  mermaid?: boolean
  /** Confidentiality tag values that mean confidential; default Confidential, Restricted. */
  confidentialValues?: string[]
}

export function renderMarkdown(report: DiffReport, options: MarkdownOptions = {}): string {
  const values = options.confidentialValues ?? DEFAULT_CONFIDENTIAL_VALUES
  const views = viewPrincipals(report, values)
  // The sections after the principals depend only on the list length: fitting tries many limits.
  const tails = new Map<number, string[]>()
  const tail = (listItems: number): string[] => {
    let lines = tails.get(listItems)
    if (lines === undefined) {
      lines = [
        ...dataAccess(report.dataResources, values, listItems),
        ...findingsSection(report.findings, listItems),
        ...policyDiffs(report.policyChanges, listItems),
        ...coverageSection(report.coverage, report.baseCoverage, listItems),
        ...legend(),
      ]
      tails.set(listItems, lines)
    }
    return lines
  }
  const render = (limits: Limits) => compose(report, views, limits, options, tail(limits.listItems))
  const important = views.filter((v) => riskRank(v.level) >= riskRank('medium')).length
  return fitMarkdown(render, views.length, options.maxLength ?? 60_000, important)
}

function compose(
  report: DiffReport,
  views: PrincipalView[],
  limits: Limits,
  options: MarkdownOptions,
  tail: string[],
): string {
  const lines = [markerLine(options.marker), ...verdict(report, limits.listItems)]
  if (views.length > 0) lines.push(...applicationTables(views, limits))
  if (options.mermaid) lines.push(...accessGraph(views.slice(0, limits.rows)))
  if (views.length > 0) lines.push(...principalDetails(views, limits))
  lines.push(...tail)
  return `${lines.join('\n')}\n`
}

function verdict(report: DiffReport, maxReasons: number): string[] {
  const { risk, securityReview, blocking, reasons } = report.verdict
  const review = securityReview ? 'security review requested' : 'no security review needed'
  const title = `### 🔐 Access diff: ${RISK_EMOJI[risk]} ${risk === 'none' ? 'No' : capitalize(risk)} risk · ${review}${blocking ? ' · ⛔ blocks merge' : ''}`
  const out = [title, '']
  if (reasons.length > 0) {
    out.push(`**Why ${risk === 'none' ? 'no risk' : risk}${securityReview ? ', and why a review' : ''}**`, '')
    reasons.slice(0, maxReasons).forEach((r, i) => {
      out.push(`${i + 1}. ${mdText(r, 400)}`)
    })
    if (reasons.length > maxReasons) out.push(`${maxReasons + 1}. …and ${reasons.length - maxReasons} more`)
    out.push('')
  }
  out.push(summaryLine(report), '')
  return out
}

function summaryLine(report: DiffReport): string {
  const { score, principals, findings } = report
  const added = principals.reduce((n, p) => n + p.added.length, 0)
  const removed = principals.reduce((n, p) => n + p.removed.length, 0)
  const parts = [`Score ${num(score.base)} → ${num(score.head)} (**${signed(score.delta)}**)`]
  parts.push(
    principals.length === 0
      ? "no principal's effective access changed"
      : `${plural(principals.length, 'principal')} changed: ${plural(added, 'grant')} added, ${removed.toLocaleString('en-US')} removed`,
  )
  const count = (s: string) => findings.filter((f) => f.status === s).length
  if (findings.length > 0)
    parts.push(
      `findings: ${count('new')} new, ${count('resolved')} resolved, ${count('unchanged')} unchanged`,
    )
  return `${parts.join(' · ')}.`
}

/** Also here, where the CLI looks for the one-revision renderers. */
export { renderAccessReportMarkdown } from './accessReportMarkdown.js'
