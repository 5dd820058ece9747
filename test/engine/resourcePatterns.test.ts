import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  patternCovers,
  patternsIntersect,
  policyVariablesAsWildcards,
  symbolsAsWildcards,
  templateIntersects,
} from '../../src/engine/resourcePatterns.js'
import { wildcardMatch } from '../../src/iam/wildcard.js'

/** Every string over {a, b, /} up to a length: enough witnesses for patterns this short. */
function strings(maxLength: number): string[] {
  let level = ['']
  const all = ['']
  for (let n = 0; n < maxLength; n++) {
    level = level.flatMap((s) => ['a', 'b', '/'].map((c) => s + c))
    all.push(...level)
  }
  return all
}
const universe = strings(6)
const pattern = fc.string({ unit: fc.constantFrom('a', 'b', '/', '*', '?'), maxLength: 4 })

describe('resource pattern relations', () => {
  it('patternsIntersect agrees with a brute-force search for a common resource', () => {
    fc.assert(
      fc.property(pattern, pattern, (p, q) => {
        const witness = universe.some((s) => wildcardMatch(p, s) && wildcardMatch(q, s))
        return patternsIntersect(p, q) === witness
      }),
      { numRuns: 3_000, seed: 11 },
    )
  })

  it('patternCovers never claims a cover that a resource disproves', () => {
    fc.assert(
      fc.property(pattern, pattern, (outer, inner) => {
        if (!patternCovers(outer, inner)) return true
        return universe.every((s) => !wildcardMatch(inner, s) || wildcardMatch(outer, s))
      }),
      { numRuns: 3_000, seed: 12 },
    )
  })

  it.each([
    ['arn:aws:s3:::kyc/*', 'arn:aws:s3:::kyc/reports/*', true],
    ['arn:aws:s3:::kyc/reports/*', 'arn:aws:s3:::kyc/*', false],
    ['*', 'arn:aws:s3:::kyc', true],
    ['arn:aws:s3:::kyc/?', 'arn:aws:s3:::kyc/*', false],
    ['arn:aws:s3:::kyc*', 'arn:aws:s3:::kyc-*/reports', true],
    ['arn:aws:s3:::*/reports', 'arn:aws:s3:::kyc-*/reports', true],
    ['arn:aws:s3:::*/reports', 'arn:aws:s3:::kyc-*/report*', false],
    ['arn:aws:s3:::kyc-docs*', 'arn:aws:s3:::kyc-*', false],
    ['arn:aws:s3:::k?c-*', 'arn:aws:s3:::kyc-*', true],
  ])('%s covers %s: %s', (outer, inner, expected) => {
    expect(patternCovers(outer, inner)).toBe(expected)
  })

  it.each([
    ['arn:aws:s3:::acme-app07-prod-data/*', 'arn:aws:s3:::acme-app08-prod-data/*', false],
    ['arn:aws:s3:::acme-*-data/*', 'arn:aws:s3:::acme-app08-prod-data/*', true],
    ['arn:aws:s3:::acme-*/logs', 'arn:aws:s3:::acme-app08-*/data', false],
    ['arn:aws:s3:::acme-*/logs', 'arn:aws:s3:::*-app08-*', true],
    ['arn:aws:s3:::acme-?', 'arn:aws:s3:::acme-*b', true],
  ])('%s and %s share a resource: %s', (a, b, expected) => {
    expect(patternsIntersect(a, b)).toBe(expected)
    expect(patternsIntersect(b, a)).toBe(expected)
  })

  it.each([
    ['arn:${Partition}:s3:::${BucketName}', 'arn:aws:s3:::kyc-docs', true],
    ['arn:${Partition}:s3:::${BucketName}', 'arn:aws:s3:::kyc-docs/*', false],
    ['arn:${Partition}:s3:::${BucketName}/${ObjectName}', 'arn:aws:s3:::kyc-docs/*', true],
    ['arn:${Partition}:s3:::${BucketName}/${ObjectName}', 'arn:aws:s3:::kyc-docs/a/b/c.pdf', true],
    ['arn:${Partition}:s3:::${BucketName}/${ObjectName}', 'arn:aws:s3:::*', true],
    [
      'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}',
      'arn:aws:iam::111111111111:role/app/api',
      true,
    ],
    [
      'arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}',
      'arn:aws:dynamodb:eu-west-1:1:table/t/index/*',
      false,
    ],
    [
      'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}',
      'arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/x:*',
      true,
    ],
  ])('template %s can name %s: %s', (template, subject, expected) => {
    expect(templateIntersects(template, subject)).toBe(expected)
  })

  it('widens IAM policy variables but keeps symbols exact', () => {
    expect(policyVariablesAsWildcards('arn:aws:s3:::home/${aws:username}/*')).toEqual({
      pattern: 'arn:aws:s3:::home/*/*',
      hasVariables: true,
    })
    expect(policyVariablesAsWildcards('${aws_s3_bucket.kyc.arn}/*')).toEqual({
      pattern: '${aws_s3_bucket.kyc.arn}/*',
      hasVariables: false,
    })
    expect(symbolsAsWildcards('${aws_s3_bucket.kyc.arn}/*')).toBe('*/*')
  })
})
