/**
 * The before/after pairs of ../shared/corpus/pairs: for each, our verdict beside the first line of
 * PAIR.md's "Expected verdict", and how many agree where that can be judged mechanically.
 *
 * Matching rule. The expectation is read from the first line of "## Expected verdict":
 * - `error` when it says unparsable / parse error: we agree when base or head reports a coverage error;
 * - `none` when it says NO (effective|semantic|access) change or no delta, and names no GAIN or
 *   REDUCTION, or when it starts with "With defaults:" / "Examples:" followed by NO (what we analyse
 *   are the defaults and the shipped examples): we agree when no grant is added or removed;
 * - `mixed` when it starts with "Mixed": we agree when grants are both added and removed;
 * - `gain` when it says GAIN or "introduced": we agree when some grant is added;
 * - `reduction` when it says REDUCTION: we agree when grants are removed and none added;
 * - anything else (a Deny weakened with no grant changing, ...) is not judged.
 * Checked in this order, the first that applies wins.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyzeDiff } from '../../src/cli/core.js'
import { defaultConfig } from '../../src/config/types.js'
import { loadTree } from '../../src/iac/load.js'
import type { DiffReport } from '../../src/report/contract.js'
import { folderSnapshot } from '../../src/source/folder.js'

export type Expectation = 'error' | 'none' | 'mixed' | 'gain' | 'reduction'

export function expectedVerdict(pairMd: string): string {
  const lines = pairMd.split('\n')
  const at = lines.findIndex((l) => /^##\s+Expected verdict/i.test(l))
  if (at < 0) return ''
  return (
    lines
      .slice(at + 1)
      .find((l) => l.trim() !== '' && !l.startsWith('#'))
      ?.trim() ?? ''
  )
}

export function classifyExpectation(line: string): Expectation | undefined {
  if (/unparsable|parse error/i.test(line)) return 'error'
  const gain = /\bGAIN\b|\bintroduced\b/.test(line)
  const reduction = /\bREDUCTION\b/.test(line)
  if (/^(With (module )?defaults|(Shipped )?examples):\s*NO\b/i.test(line)) return 'none'
  if (/^Mixed\b/i.test(line)) return 'mixed'
  if (gain) return 'gain'
  if (reduction) return 'reduction'
  if (/\bNO (effective |semantic )?(access )?change\b|\bno delta\b/i.test(line)) return 'none'
  return undefined
}

export function agrees(expected: Expectation, report: DiffReport): boolean {
  const added = report.principals.reduce((n, p) => n + p.added.length, 0)
  const removed = report.principals.reduce((n, p) => n + p.removed.length, 0)
  switch (expected) {
    case 'error':
      return report.coverage.errors.length + (report.baseCoverage?.errors.length ?? 0) > 0
    case 'none':
      return added === 0 && removed === 0
    case 'mixed':
      return added > 0 && removed > 0
    case 'gain':
      return added > 0
    case 'reduction':
      return removed > 0 && added === 0
  }
}

function ours(report: DiffReport): string {
  const added = report.principals.reduce((n, p) => n + p.added.length, 0)
  const removed = report.principals.reduce((n, p) => n + p.removed.length, 0)
  const errors = report.coverage.errors.length + (report.baseCoverage?.errors.length ?? 0)
  return (
    `risk ${report.verdict.risk}, review ${report.verdict.securityReview ? 'yes' : 'no'}, ` +
    `+${added} -${removed} grants, ${errors} error${errors === 1 ? '' : 's'}`
  )
}

const shorten = (s: string, n = 110): string => (s.length > n ? `${s.slice(0, n - 3)}...` : s)

export async function evalPairs(corpusDir: string): Promise<string[]> {
  const root = join(corpusDir, 'pairs')
  if (!existsSync(root)) return [`pairs: missing (${root})`]
  const lines: string[] = []
  let analysed = 0
  let judged = 0
  let agreed = 0
  const config = defaultConfig()
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name)
    if (!existsSync(join(dir, 'PAIR.md'))) continue
    const expectedLine = expectedVerdict(readFileSync(join(dir, 'PAIR.md'), 'utf8'))
    const expected = classifyExpectation(expectedLine)
    let report: DiffReport
    try {
      const base = await loadTree(folderSnapshot(join(dir, 'base')))
      const head = await loadTree(folderSnapshot(join(dir, 'head')))
      report = await analyzeDiff(base, head, config)
    } catch (error) {
      lines.push(`${name}: FAILED ${error instanceof Error ? error.message : String(error)}`)
      continue
    }
    analysed++
    let mark = 'not judged'
    if (expected !== undefined) {
      judged++
      const ok = agrees(expected, report)
      if (ok) agreed++
      mark = `${ok ? 'agree' : 'DISAGREE'} (${expected})`
    }
    lines.push(`${name}: ${ours(report)}; ${mark}`)
    lines.push(`    expected: ${shorten(expectedLine)}`)
  }
  lines.push(`pairs: ${analysed} analysed; agreement ${agreed}/${judged} judged mechanically`)
  return lines
}
