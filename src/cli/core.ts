/**
 * The analysis core and the renderers as the CLI (and the eval and bench scripts) call them:
 * one place that picks the renderer for a format.
 */
import type { Config } from '../config/types.js'
import type { LoadResult } from '../iac/types.js'
import { renderAccessReportMarkdown } from '../report/accessReportMarkdown.js'
import { renderAccessReportText } from '../report/accessReportText.js'
import type { AccessReport, DiffReport } from '../report/contract.js'
import { renderJson } from '../report/json.js'
import { renderMarkdown } from '../report/markdown.js'
import { renderSarif } from '../report/sarif.js'
import { renderText } from '../report/text.js'
import { report as accessReport, analyze } from '../risk/analyze.js'

export type Format = 'text' | 'markdown' | 'json' | 'sarif'
export const FORMATS: Format[] = ['text', 'markdown', 'json', 'sarif']

/** What the renderers take from the run: colour, and the configured confidentiality values. */
export interface RenderOptions {
  color: boolean
  confidentialValues: string[]
}

export async function analyzeDiff(base: LoadResult, head: LoadResult, config: Config): Promise<DiffReport> {
  return analyze(base, head, config)
}

export async function analyzeOne(result: LoadResult, config: Config): Promise<AccessReport> {
  return accessReport(result, config)
}

const withNewline = (s: string | object): string =>
  typeof s !== 'string' ? `${JSON.stringify(s, null, 2)}\n` : s.endsWith('\n') ? s : `${s}\n`

export async function renderDiff(
  report: DiffReport,
  format: Format,
  options: RenderOptions,
): Promise<string> {
  switch (format) {
    case 'markdown':
      return withNewline(renderMarkdown(report, { confidentialValues: options.confidentialValues }))
    case 'text':
      return withNewline(renderText(report, options))
    case 'json':
      return withNewline(renderJson(report))
    case 'sarif':
      return withNewline(renderSarif(report))
  }
}

export async function renderAccess(
  report: AccessReport,
  format: Format,
  options: RenderOptions,
): Promise<string> {
  switch (format) {
    case 'markdown':
      return withNewline(
        renderAccessReportMarkdown(report, { confidentialValues: options.confidentialValues }),
      )
    case 'text':
      return withNewline(renderAccessReportText(report, options))
    case 'json':
      return withNewline(renderJson(report))
    case 'sarif':
      // Code scanning shows the current state: every finding of the revision, as unchanged.
      return withNewline(renderSarif(asDiff(report)))
  }
}

function asDiff(r: AccessReport): DiffReport {
  return {
    schemaVersion: 1,
    verdict: { risk: 'none', securityReview: false, blocking: false, reasons: [] },
    score: { base: r.score, head: r.score, delta: 0 },
    principals: [],
    findings: r.findings.map((f) => ({ ...f, status: 'unchanged' })),
    dataResources: [],
    coverage: r.coverage,
  }
}
