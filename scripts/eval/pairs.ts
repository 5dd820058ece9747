/**
 * The before/after pairs in the `pairs` folder of the corpus folder given with --corpus: for each,
 * our verdict beside the first line of PAIR.md's "Expected verdict", and how many agree where that
 * can be judged mechanically.
 *
 * Matching rule. The expectation is read from the first line of "## Expected verdict":
 * - `error` when it says unparsable / parse error: we agree when base or head reports a coverage error;
 * - `none` when it says what the module's defaults or its shipped examples give ("With defaults:
 *   NO change", "Shipped examples ... no delta there"): that is what the tree holds and what we
 *   analyse; we agree when no grant is added or removed;
 * - `mixed` when it starts with "Mixed": we agree when grants are both added and removed;
 * - `gain` when it says GAIN or "introduced": we agree when some grant is added;
 * - `net-reduction` when it says REDUCTION and also names a new role, user or principal: we agree
 *   when grants are both added and removed and the tree's golf score goes down;
 * - `reduction` when it says REDUCTION: we agree when grants are removed and none added;
 * - `none` when it says NO (effective|semantic|access) change or no delta: as above;
 * - anything else (a Deny weakened with no grant changing, ...) is not judged.
 * Checked in this order, the first that applies wins.
 *
 * Where we disagree, `disagreement` says why in one line, from our result only: what the head
 * grants that base did not, what changed in the policy documents without changing a grant
 * (condition values, Denies that hold only under conditions), files not analysed, or that no
 * policy document differs at all.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyzeDiff } from '../../src/cli/core.js'
import { defaultConfig } from '../../src/config/types.js'
import { loadTree } from '../../src/iac/load.js'
import type { LoadResult } from '../../src/iac/types.js'
import type { ContractGrant, DiffReport, PolicyChange } from '../../src/report/contract.js'
import { folderSnapshot } from '../../src/source/folder.js'

export type Expectation = 'error' | 'none' | 'mixed' | 'gain' | 'net-reduction' | 'reduction'

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

const NO_CHANGE = String.raw`(?:NO (?:effective |semantic )?(?:access )?change|no delta)\b`

export function classifyExpectation(line: string): Expectation | undefined {
  if (/unparsable|parse error/i.test(line)) return 'error'
  const gain = /\bGAIN\b|\bintroduced\b/.test(line)
  const reduction = /\bREDUCTION\b/.test(line)
  // What the defaults or the shipped examples give, within one sentence.
  if (
    new RegExp(
      String.raw`\b(?:with (?:module )?defaults|(?:shipped )?examples)\b[^.]*?\b${NO_CHANGE}`,
      'i',
    ).test(line)
  )
    return 'none'
  if (/^Mixed\b/i.test(line)) return 'mixed'
  if (gain) return 'gain'
  if (reduction) return /\bnew (?:role|user|principal)s?\b/i.test(line) ? 'net-reduction' : 'reduction'
  if (new RegExp(String.raw`\b${NO_CHANGE}`, 'i').test(line)) return 'none'
  return undefined
}

function counts(report: DiffReport): { added: number; removed: number; errors: number } {
  return {
    added: report.principals.reduce((n, p) => n + p.added.length, 0),
    removed: report.principals.reduce((n, p) => n + p.removed.length, 0),
    errors: report.coverage.errors.length + (report.baseCoverage?.errors.length ?? 0),
  }
}

export function agrees(expected: Expectation, report: DiffReport): boolean {
  const { added, removed, errors } = counts(report)
  switch (expected) {
    case 'error':
      return errors > 0
    case 'none':
      return added === 0 && removed === 0
    case 'mixed':
      return added > 0 && removed > 0
    case 'gain':
      return added > 0
    case 'net-reduction':
      return added > 0 && removed > 0 && report.score.delta < 0
    case 'reduction':
      return removed > 0 && added === 0
  }
}

// ---------------------------------------------------------------------------------------------
// Why we disagree, from our result.

interface Statement {
  Sid?: string
  Effect?: string
  Condition?: Record<string, Record<string, unknown>>
  [key: string]: unknown
}

function statementsOf(text: string | null): Statement[] {
  if (text === null) return []
  try {
    const doc = JSON.parse(text) as { Statement?: unknown }
    const list = Array.isArray(doc.Statement)
      ? doc.Statement
      : doc.Statement === undefined
        ? []
        : [doc.Statement]
    return list.filter((s): s is Statement => typeof s === 'object' && s !== null)
  } catch {
    return []
  }
}

/** Key-sorted JSON with sorted arrays: two statements that mean the same print the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).sort().join(',')}]`
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(value)
}

const conditionKeys = (s: Statement): string[] =>
  [...new Set(Object.values(s.Condition ?? {}).flatMap((byKey) => Object.keys(byKey)))].sort()

/** The statement without its Sid and with its condition values left out. */
function shape(s: Statement): string {
  const { Sid: _sid, Condition, ...rest } = s
  const keysOnly = Object.fromEntries(
    Object.entries(Condition ?? {}).map(([op, byKey]) => [op, Object.keys(byKey).sort()]),
  )
  return canonical({ ...rest, Condition: keysOnly })
}

const withoutSid = (s: Statement): string => {
  const { Sid: _sid, ...rest } = s
  return canonical(rest)
}

const label = (s: Statement, i: number): string => s.Sid ?? `#${i}`

/** Condition keys whose values differ between two statements of the same shape. */
function changedConditionKeys(a: Statement, b: Statement): string[] {
  const out: string[] = []
  for (const [op, byKey] of Object.entries(a.Condition ?? {}))
    for (const [key, value] of Object.entries(byKey))
      if (canonical(value) !== canonical(b.Condition?.[op]?.[key])) out.push(key)
  return out
}

export interface DocumentChange {
  /** The policy, as the report names it. */
  name: string
  /** Condition keys whose values changed in statements that are otherwise the same. */
  conditionValues: string[]
  /** Deny statements under conditions that the head drops or changes. */
  conditionalDenies: string[]
}

/** What changed in one policy document, statement by statement, that grants cannot show. */
export function documentChange(change: PolicyChange): DocumentChange | undefined {
  const base = statementsOf(change.base)
  const head = statementsOf(change.head)
  // Statements that are the same but for their Sid are no change.
  const left = [...head]
  const gone: { s: Statement; i: number }[] = []
  base.forEach((s, i) => {
    const same = left.findIndex((h) => withoutSid(h) === withoutSid(s))
    if (same >= 0) left.splice(same, 1)
    else gone.push({ s, i })
  })
  const conditionValues = new Set<string>()
  const conditionalDenies: string[] = []
  for (const { s, i } of gone) {
    const twin = left.findIndex((h) => shape(h) === shape(s))
    if (twin >= 0) {
      for (const k of changedConditionKeys(s, left[twin]!)) conditionValues.add(k)
      left.splice(twin, 1)
      continue
    }
    if (s.Effect === 'Deny' && s.Condition !== undefined) {
      const sameSid = s.Sid === undefined ? -1 : left.findIndex((h) => h.Sid === s.Sid && h.Effect === 'Deny')
      if (sameSid >= 0) left.splice(sameSid, 1)
      conditionalDenies.push(
        `${sameSid >= 0 ? 'changes' : 'drops'} Deny ${label(s, i)} (only under ${conditionKeys(s).join(', ')})`,
      )
    }
  }
  if (conditionValues.size === 0 && conditionalDenies.length === 0) return undefined
  return { name: change.name, conditionValues: [...conditionValues].sort(), conditionalDenies }
}

function documentChangesSaid(changes: DocumentChange[]): string | undefined {
  if (changes.length === 0) return undefined
  const each = changes.map((c) => {
    const parts = [...c.conditionalDenies]
    if (c.conditionValues.length > 0)
      parts.unshift(`only the values of ${c.conditionValues.join(', ')} change`)
    return `${c.name}: ${parts.join('; ')}`
  })
  const rules: string[] = []
  const valuesChanged = changes.filter((c) => c.conditionValues.length > 0)
  if (valuesChanged.some((c) => c.name.endsWith('trust policy')))
    rules.push('a trust policy counts through the grants of the role it admits to')
  if (valuesChanged.some((c) => !c.name.endsWith('trust policy')))
    rules.push('no grant holds only under those values')
  if (changes.some((c) => c.conditionalDenies.length > 0))
    rules.push('a Deny under a condition is never assumed to apply')
  return `${each.join('; ')} (${rules.join('; ')})`
}

function grantLine(principal: string, g: ContractGrant): string {
  const shown = g.actions.slice(0, 3).join(', ')
  const more = g.actions.length > 3 ? ` and ${g.actions.length - 3} more` : ''
  return `${principal}: ${g.capability} ${shown}${more} on ${g.resource}`
}

function grantsSaid(report: DiffReport, side: 'added' | 'removed', shown = 2): string {
  const all = report.principals.flatMap((p) => p[side].map((g) => grantLine(p.name, g)))
  const more = all.length - shown
  return `${all.slice(0, shown).join('; ')}${more > 0 ? `; ${more} more grant${more === 1 ? '' : 's'}` : ''}`
}

/** Inputs the expectation assumes (`with attach_x = true`) that no file of the tree sets. */
function assumedInputs(expectedLine: string, files: Map<string, string>): string[] {
  const out: string[] = []
  for (const m of expectedLine.matchAll(/\b([a-z][a-z0-9_]*)\s*=\s*(true|false|\d+|"[^"]*")/g)) {
    const [, name, value] = m
    const set = new RegExp(String.raw`(^|\n)\s*${name}\s*=\s*${value!.replace(/"/g, '"?')}\s*(#.*)?(\n|$)`)
    if (![...files.values()].some((text) => set.test(text))) out.push(`${name} = ${value}`)
  }
  return out
}

function samePolicies(base: LoadResult, head: LoadResult): boolean {
  const held = (r: LoadResult): string =>
    canonical(
      Object.fromEntries(
        r.model.principals.map((p) => [p.id, [...new Set(p.policies.map((x) => canonical(x.document)))]]),
      ),
    )
  return held(base) === held(head)
}

export interface PairInputs {
  base?: LoadResult
  head?: LoadResult
  /** The head's Terraform files, to tell whether an input the expectation assumes is set anywhere. */
  headFiles?: Map<string, string>
  /** Files that differ between base and head. */
  changedFiles?: Set<string>
}

/** One line: why our result is not what PAIR.md expects, said from what we found. */
export function disagreement(
  expected: Expectation,
  expectedLine: string,
  report: DiffReport,
  inputs: PairInputs = {},
): string {
  const { added, removed, errors } = counts(report)
  if (expected === 'error') return 'no file fails to parse at base or head'
  const said: string[] = []
  if (added > 0 && (expected === 'none' || expected === 'reduction'))
    said.push(`the head also grants what base did not: ${grantsSaid(report, 'added')}`)
  if (removed > 0 && added === 0 && expected !== 'reduction')
    said.push(`the head only takes away: ${grantsSaid(report, 'removed', 1)}`)
  if (added > 0 && removed === 0 && (expected === 'mixed' || expected === 'net-reduction'))
    said.push(`the head only adds: ${grantsSaid(report, 'added', 1)}`)
  if (expected === 'net-reduction' && added > 0 && removed > 0)
    said.push(`the score goes up (${report.score.base} -> ${report.score.head})`)
  // Where the grants do not show both directions, what changed in the documents may.
  if (added === 0 || removed === 0) {
    const changes = documentChangesSaid((report.policyChanges ?? []).flatMap((c) => documentChange(c) ?? []))
    if (changes !== undefined) said.push(changes)
    if (added === 0 && removed === 0) {
      const changed = inputs.changedFiles ?? new Set<string>()
      const notAnalysed = [
        ...(report.coverage.notAnalysed ?? []),
        ...(report.baseCoverage?.notAnalysed ?? []),
      ]
      const skipped = notAnalysed.find((n) => changed.has(n.file))
      if (skipped !== undefined) said.push(`not analysed: ${skipped.file} (${skipped.reason})`)
      else if ((report.policyChanges ?? []).length === 0) {
        const same = inputs.base && inputs.head && samePolicies(inputs.base, inputs.head)
        said.push(
          `no policy document differs between base and head${same ? ', and every principal holds the same policies' : ''}`,
        )
      }
      const assumed = assumedInputs(expectedLine, inputs.headFiles ?? new Map())
      if (assumed.length > 0)
        said.push(`the expectation assumes ${assumed.join(', ')}, which no file of the tree sets`)
    }
  }
  if (errors > 0 && said.length === 0)
    said.push(`${errors} file error${errors === 1 ? '' : 's'} at base or head`)
  return said.length > 0 ? said.join('; ') : 'no reason found in our result'
}

function ours(report: DiffReport): string {
  const { added, removed, errors } = counts(report)
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
    let base: LoadResult
    let head: LoadResult
    const baseSnapshot = folderSnapshot(join(dir, 'base'))
    const headSnapshot = folderSnapshot(join(dir, 'head'))
    try {
      base = await loadTree(baseSnapshot)
      head = await loadTree(headSnapshot)
      report = await analyzeDiff(base, head, config)
    } catch (error) {
      lines.push(`${name}: FAILED ${error instanceof Error ? error.message : String(error)}`)
      continue
    }
    analysed++
    let mark = 'not judged'
    let why: string | undefined
    if (expected !== undefined) {
      judged++
      const ok = agrees(expected, report)
      if (ok) agreed++
      else {
        const headFiles = new Map<string, string>()
        for (const p of headSnapshot.paths())
          if (/\.(tf|tfvars)$/.test(p)) headFiles.set(p, headSnapshot.read(p) ?? '')
        const changedFiles = new Set<string>()
        for (const p of new Set([...baseSnapshot.paths(), ...headSnapshot.paths()]))
          if (baseSnapshot.read(p) !== headSnapshot.read(p)) changedFiles.add(p)
        why = disagreement(expected, expectedLine, report, { base, head, headFiles, changedFiles })
      }
      mark = `${ok ? 'agree' : 'DISAGREE'} (${expected})`
    }
    lines.push(`${name}: ${ours(report)}; ${mark}`)
    lines.push(`    expected: ${shorten(expectedLine)}`)
    if (why !== undefined) lines.push(`    why: ${why}`)
  }
  lines.push(`pairs: ${analysed} analysed; agreement ${agreed}/${judged} judged mechanically`)
  return lines
}
