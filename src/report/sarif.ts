/**
 * SARIF 2.1.0 for code scanning. Results are the findings present at head (new and unchanged):
 * code scanning compares runs itself, and closes an alert when its result no longer appears, so
 * resolved findings are left out. `baselineState` still says which are new in this change.
 */
import { createHash } from 'node:crypto'
import type { DiffReport, Finding, Severity } from './contract.js'
import { sortFindings } from './markdownSections.js'
import { ruleHelp } from './ruleHelp.js'
import { compareStrings, riskRank } from './words.js'

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
}

/** GitHub's security-severity scale: critical ≥ 9, high ≥ 7, medium ≥ 4, low below. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '2.0',
}

export interface SarifOptions {
  toolVersion?: string
}

export function renderSarif(report: DiffReport, options: SarifOptions = {}): object {
  const present = sortFindings(report.findings.filter((f) => f.status !== 'resolved'))
  const ruleIds = [...new Set(present.map((f) => f.rule))].sort(compareStrings)
  const rules = ruleIds.map((id) => {
    const help = ruleHelp(id)
    const worst = present
      .filter((f) => f.rule === id)
      .reduce<Severity>((w, f) => (riskRank(f.severity) > riskRank(w) ? f.severity : w), 'low')
    return {
      id,
      name: help.name,
      shortDescription: { text: help.description },
      fullDescription: { text: help.description },
      help: { text: help.help, markdown: help.help },
      defaultConfiguration: { level: LEVEL[worst] },
      properties: { tags: ['security', 'iam'], 'security-severity': SECURITY_SEVERITY[worst] },
    }
  })
  const driver: Record<string, unknown> = { name: 'access-diff' }
  if (options.toolVersion !== undefined) driver.version = options.toolVersion
  driver.rules = rules
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver },
        results: present.map((f) => result(f, ruleIds.indexOf(f.rule))),
      },
    ],
  }
}

function result(finding: Finding, ruleIndex: number): object {
  const out: Record<string, unknown> = {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
  }
  if (finding.location !== undefined)
    out.locations = [
      {
        physicalLocation: {
          artifactLocation: { uri: relativeUri(finding.location.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: Math.max(1, finding.location.line ?? 1) },
        },
      },
    ]
  out.partialFingerprints = { 'accessDiffFinding/v1': fingerprint(finding) }
  out.baselineState = finding.status === 'new' ? 'new' : 'unchanged'
  const properties: Record<string, string> = { severity: finding.severity }
  if (finding.method !== undefined) properties.method = finding.method
  if (finding.principal !== undefined) properties.principal = finding.principal
  if (finding.resource !== undefined) properties.resource = finding.resource
  out.properties = properties
  return out
}

/** Repository-relative, forward slashes, each segment percent-encoded as a URI requires. */
function relativeUri(file: string): string {
  const path = file
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+/, '')
  return path.split('/').map(encodeURIComponent).join('/')
}

/** Identifies a finding across runs whatever line it moves to (line numbers in messages are ignored). */
function fingerprint(f: Finding): string {
  const key = [
    f.rule,
    f.method ?? '',
    f.principal ?? '',
    f.resource ?? '',
    f.location?.file ?? '',
    f.message.replace(/:\d+/g, ''),
  ].join('\u0000')
  return createHash('sha256').update(key).digest('hex').slice(0, 32)
}
