import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileWildcard, hasWildcard, wildcardMatch } from '../../src/iam/wildcard.js'

/** Textbook dynamic-programming matcher: slow but obviously right, the oracle for property tests. */
function reference(pattern: string, value: string): boolean {
  let row = new Array<boolean>(value.length + 1).fill(false)
  row[0] = true
  for (const p of pattern) {
    const next = new Array<boolean>(value.length + 1).fill(false)
    next[0] = p === '*' && row[0] === true
    for (let j = 1; j <= value.length; j++) {
      if (p === '*') next[j] = row[j] === true || next[j - 1] === true
      else next[j] = row[j - 1] === true && (p === '?' || p === value[j - 1])
    }
    row = next
  }
  return row[value.length] === true
}

describe('wildcardMatch', () => {
  it.each([
    ['s3:Get*', 's3:GetObject', true],
    ['s3:Get*', 's3:PutObject', false],
    ['s3:*Object', 's3:GetObject', true],
    ['s3:?etObject', 's3:GetObject', true],
    ['s3:?etObject', 's3:etObject', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['arn:aws:s3:::kyc-docs/*', 'arn:aws:s3:::kyc-docs/2024/passport.pdf', true],
    ['arn:aws:s3:::kyc-docs/*', 'arn:aws:s3:::kyc-docs', false],
    ['arn:aws:s3:::kyc-*', 'arn:aws:s3:::kyc-docs', true],
    ['arn:aws:iam::*:role/deploy-*', 'arn:aws:iam::123456789012:role/deploy-prod', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['*a*a*', 'aa', true],
    ['ab*ba', 'aba', false],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected)
  })

  it('compares actions case-insensitively and resources case-sensitively', () => {
    expect(wildcardMatch('S3:getobject', 's3:GetObject', { caseInsensitive: true })).toBe(true)
    expect(wildcardMatch('s3:Get*', 'S3:GETOBJECT', { caseInsensitive: true })).toBe(true)
    expect(wildcardMatch('arn:aws:s3:::Reports/*', 'arn:aws:s3:::reports/a')).toBe(false)
  })

  it('treats regular-expression characters as plain text', () => {
    expect(wildcardMatch('arn:aws:s3:::a.b/(x)+[y]', 'arn:aws:s3:::a.b/(x)+[y]')).toBe(true)
    expect(wildcardMatch('arn:aws:s3:::a.b/*', 'arn:aws:s3:::aXb/key')).toBe(false)
    expect(wildcardMatch('^$|\\', '^$|\\')).toBe(true)
  })

  it('says whether a pattern has wildcards', () => {
    expect(hasWildcard('s3:GetObject')).toBe(false)
    expect(hasWildcard('s3:Get?bject')).toBe(true)
    expect(compileWildcard('s3:*').hasWildcard).toBe(true)
  })

  it('agrees with the reference matcher on random patterns over a small alphabet', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 14 })
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '*', '?'), maxLength: 10 })
    fc.assert(
      fc.property(pattern, text, (p, v) => wildcardMatch(p, v) === reference(p, v)),
      { numRuns: 20_000, seed: 20261130 },
    )
  })

  it('agrees with the reference matcher on long segments that span several 32-bit words', () => {
    const unit = fc.constantFrom('a', 'b')
    const text = fc.string({ unit, minLength: 30, maxLength: 200 })
    const segment = fc.string({ unit: fc.constantFrom('a', 'b', '?'), minLength: 20, maxLength: 90 })
    fc.assert(
      fc.property(text, segment, segment, (v, s1, s2) => {
        const p = `*${s1}*${s2}*`
        return wildcardMatch(p, v) === reference(p, v)
      }),
      { numRuns: 2_000, seed: 7 },
    )
  })

  it('a pattern matches every value built by filling its wildcards', () => {
    const piece = fc.string({ unit: fc.constantFrom('x', 'y', ':', '/'), maxLength: 5 })
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, fc.constantFrom('*', '?'), piece), { maxLength: 6 }), (parts) => {
        const pattern = parts.map(([a, w]) => `${a}${w}`).join('')
        const value = parts.map(([a, w, fill]) => `${a}${w === '?' ? 'z' : fill}`).join('')
        return wildcardMatch(pattern, value)
      }),
      { numRuns: 5_000, seed: 42 },
    )
  })

  it('stays linear on adversarial input: 10,000-character pattern and value', () => {
    // The classic traps for backtracking matchers: many stars before a final mismatch.
    const cases: [string, string, boolean][] = [
      [`${'*a'.repeat(4_999)}*b`, 'a'.repeat(10_000), false],
      [`${'a*'.repeat(4_999)}b`, 'a'.repeat(10_000), false],
      [`*${'a'.repeat(4_999)}?${'a'.repeat(4_999)}b*`, 'a'.repeat(10_000), false],
      [`*${'?'.repeat(9_998)}b`, 'a'.repeat(10_000), false],
      ['*?'.repeat(5_000), 'ab'.repeat(5_000), true],
      [`${'*a'.repeat(4_999)}*`, 'a'.repeat(10_000), true],
    ]
    for (const [pattern, value, expected] of cases) {
      let fastest = Number.POSITIVE_INFINITY
      // Compiling and matching, best of ten so that a busy machine does not fail the test.
      for (let run = 0; run < 10; run++) {
        const started = performance.now()
        expect(compileWildcard(pattern).matches(value)).toBe(expected)
        fastest = Math.min(fastest, performance.now() - started)
      }
      expect(fastest).toBeLessThan(10)
    }
  })
})
