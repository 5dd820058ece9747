/**
 * The report-wide parts of the PR comment: who can access data, findings, synthesized policy
 * diffs, coverage and the legend. Everything from the tree is escaped.
 */
import type { ContractCoverage, DataResourceDelta, Finding, PolicyChange, WhoCan } from './contract.js'
import { codeBlock, commentText, mdCode, mdText, oneLine } from './escape.js'
import { unifiedDiff } from './lineDiff.js'
import { compareStrings, isConfidentialValue, locationText, plural, RISK_EMOJI, riskRank } from './words.js'

export function dataAccess(
  resources: DataResourceDelta[],
  confidentialValues: string[],
  max: number,
): string[] {
  if (resources.length === 0) return []
  const isConfidential = (r: DataResourceDelta) =>
    isConfidentialValue(r.confidentiality, confidentialValues) ||
    isConfidentialValue(r.baseConfidentiality, confidentialValues)
  const sorted = [...resources].sort(
    (a, b) => Number(isConfidential(b)) - Number(isConfidential(a)) || compareStrings(a.name, b.name),
  )
  const confidential = sorted.filter(isConfidential).length
  const counts = [`${confidential} confidential`, `${sorted.length - confidential} other`]
  const out = [
    `<details><summary>🔒 Who can access data (changed): ${counts.join(', ')}</summary>`,
    '',
    '| resource | confidentiality | before | after |',
    '|---|---|---|---|',
  ]
  for (const r of sorted.slice(0, max)) {
    const lock = isConfidential(r) ? '🔒 ' : ''
    const cells = [
      `${lock}${mdCode(r.name, { inTable: true, max: 80 })}`,
      classification(r),
      whoCanCell(r.whoCan.base, r.whoCan.head, '~~'),
      whoCanCell(r.whoCan.head, r.whoCan.base, '**'),
    ]
    out.push(`| ${cells.join(' | ')} |`)
  }
  out.push('')
  if (sorted.length > max)
    out.push(`…and ${plural(sorted.length - max, 'more data resource')} not shown.`, '')
  out.push('</details>', '')
  return out
}

function classification(r: DataResourceDelta): string {
  const now = r.confidentiality === null ? 'unclassified' : mdText(r.confidentiality, 40)
  if (r.baseConfidentiality === undefined || r.baseConfidentiality === r.confidentiality) return now
  const before = r.baseConfidentiality === null ? 'unclassified' : mdText(r.baseConfidentiality, 40)
  return `⚠️ ~~${before}~~ → ${now}`
}

/** Entries of `list`; those that differ from `other` are marked (bold: gained, struck: lost). */
function whoCanCell(list: WhoCan[], other: WhoCan[], mark: string): string {
  if (list.length === 0) return '—'
  const key = (w: WhoCan) => `${w.principal}\u0000${[...w.capabilities].sort().join(',')}`
  const otherKeys = new Set(other.map(key))
  const sorted = [...list].sort((a, b) => compareStrings(a.principal, b.principal))
  const changed = sorted.filter((w) => !otherKeys.has(key(w)))
  const same = sorted.filter((w) => otherKeys.has(key(w)))
  const entries = [...changed, ...same].slice(0, 8).map((w) => {
    const text = `${mdText(w.principal, 80)} (${mdText([...w.capabilities].sort().join(', '), 120)})`
    return otherKeys.has(key(w)) ? text : `${mark}${text}${mark}`
  })
  if (list.length > 8) entries.push(`+${list.length - 8} more`)
  return entries.join('<br>')
}

const STATUS_ORDER: Finding['status'][] = ['new', 'resolved', 'unchanged']
const STATUS_LABEL: Record<Finding['status'], string> = {
  new: '🆕 new',
  resolved: '✅ resolved',
  unchanged: 'unchanged',
}

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      riskRank(b.severity) - riskRank(a.severity) ||
      compareStrings(a.rule, b.rule) ||
      compareStrings(a.principal ?? '', b.principal ?? '') ||
      compareStrings(a.message, b.message),
  )
}

export function findingsSection(findings: Finding[], max: number): string[] {
  if (findings.length === 0) return []
  const sorted = sortFindings(findings)
  const count = (s: Finding['status']) => sorted.filter((f) => f.status === s).length
  const out = [
    `#### Findings: ${count('new')} new, ${count('resolved')} resolved, ${count('unchanged')} unchanged`,
    '',
  ]
  const open = sorted.filter((f) => f.status !== 'unchanged')
  out.push(...findingTable(open, max))
  const unchanged = sorted.filter((f) => f.status === 'unchanged')
  if (unchanged.length > 0)
    out.push(
      `<details><summary>${plural(unchanged.length, 'unchanged finding')} (present at base and head)</summary>`,
      '',
      ...findingTable(unchanged, max),
      '</details>',
      '',
    )
  return out
}

export function findingTable(findings: Omit<Finding, 'status'>[], max: number, status = true): string[] {
  if (findings.length === 0) return []
  const head = ['severity', 'rule', 'principal', 'where', 'finding']
  const out = [
    `| ${status ? ' | ' : ''}${head.join(' | ')} |`,
    `|${'---|'.repeat(head.length + Number(status))}`,
  ]
  for (const f of findings.slice(0, max)) {
    const rule = f.method === undefined ? f.rule : `${f.rule} ${f.method}`
    const cells = [
      ...('status' in f && status ? [STATUS_LABEL[(f as Finding).status]] : []),
      `${RISK_EMOJI[f.severity]} ${f.severity}`,
      mdCode(rule, { inTable: true, max: 60 }),
      f.principal === undefined ? '—' : mdCode(f.principal, { inTable: true, max: 80 }),
      f.location === undefined ? '—' : mdCode(locationText(f.location), { inTable: true, max: 120 }),
      mdText(f.message, 300),
    ]
    out.push(`| ${cells.join(' | ')} |`)
  }
  out.push('')
  if (findings.length > max) out.push(`…and ${plural(findings.length - max, 'more finding')} not shown.`, '')
  return out
}

export function policyDiffs(changes: PolicyChange[] | undefined, max: number): string[] {
  if (changes === undefined || changes.length === 0) return []
  const sorted = [...changes].sort((a, b) => compareStrings(a.name, b.name))
  const out = [`<details><summary>Synthesized policies that changed (${sorted.length})</summary>`, '']
  for (const change of sorted.slice(0, max)) {
    const where = change.location === undefined ? '' : ` in ${mdCode(locationText(change.location))}`
    const state = change.base === null ? ' (new)' : change.head === null ? ' (deleted)' : ''
    out.push(`${mdCode(change.name)}${where}${state}`, '')
    const lines = unifiedDiff(change.base ?? '', change.head ?? '').map((l) => oneLine(l, 300))
    const shown = lines.slice(0, 80)
    if (lines.length > shown.length) shown.push(` … ${lines.length - shown.length} more lines`)
    out.push(codeBlock(shown.join('\n'), 'diff'), '')
  }
  if (sorted.length > max)
    out.push(`…and ${plural(sorted.length - max, 'more policy', 'more policies')} not shown.`, '')
  out.push('</details>', '')
  return out
}

export function coverageSection(coverage: ContractCoverage, base: ContractCoverage | undefined, max: number) {
  const out = [
    `Analysed ${plural(coverage.filesAnalyzed, 'file')} and ${plural(coverage.policiesAnalyzed, 'policy', 'policies')}.`,
  ]
  const list = (icon: string, title: string, items: string[]) => {
    if (items.length === 0) return
    out.push('', `${icon} ${title}:`)
    for (const item of items.slice(0, max)) out.push(`- ${item}`)
    if (items.length > max) out.push(`- …and ${items.length - max} more`)
  }
  const at = (loc: { file: string; line?: number }) => mdCode(locationText(loc), { max: 120 })
  list(
    '❌',
    `${plural(coverage.errors.length, 'file')} not analysed (could not be parsed)`,
    coverage.errors.map((e) => `${at(e)}: ${mdText(e.message, 200)}`),
  )
  list(
    '⚠️',
    `${plural(coverage.unresolved.length, 'value')} not resolved (treated as unknown)`,
    coverage.unresolved.map((u) => `${mdCode(u.expression, { max: 120 })} in ${at(u)}`),
  )
  const notAnalysed = coverage.notAnalysed ?? []
  list(
    '⚠️',
    `${plural(notAnalysed.length, 'thing')} that may grant access not analysed`,
    notAnalysed.map((n) => `${mdText(n.what, 120)} in ${at(n)}: ${mdText(n.reason, 200)}`),
  )
  if (base !== undefined && base.errors.length > 0)
    out.push('', `At base, ${plural(base.errors.length, 'file')} could not be parsed.`)
  out.push('')
  return out
}

export function legend(updatedOnPush = true): string[] {
  const updated = updatedOnPush ? ' This comment is updated on every push.' : ''
  return [
    '<sub>Capabilities: read-config · read-data · write-data · delete-data · use-resource · administer-resource. ' +
      'Golf score: lower is better; each grant costs capability × scope × criticality × data × condition strokes, ' +
      `plus flat strokes per hazard. 🔒 confidential data. ⛔ critical · 🔴 high · 🟠 medium · 🟡 low · 🟢 none.${updated}</sub>`,
  ]
}

/** The first line of the comment, which finds it again for updating in place. */
export function markerLine(marker: string | undefined): string {
  const extra = marker === undefined ? '' : ` ${commentText(marker)}`
  return `<!-- access-diff:comment${extra} -->`
}
