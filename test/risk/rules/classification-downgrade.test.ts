import { describe, expect, it } from 'vitest'
import { classificationDowngrade } from '../../../src/risk/rules/classification-downgrade.js'
import { bucket, model } from '../../engine/modelBuilder.js'
import { lines, runRule } from '../ruleHarness.js'

const tagged = (value?: string) =>
  bucket('kyc-docs', undefined, value === undefined ? {} : { Confidentiality: value })
const cases: { name: string; before?: string; after?: string; expected: string[] }[] = [
  { name: 'valid: unchanged', before: 'Restricted', after: 'Restricted', expected: [] },
  { name: 'valid: upgraded', before: 'Confidential', after: 'Restricted', expected: [] },
  { name: 'valid: tagged for the first time', before: undefined, after: 'Internal', expected: [] },
  { name: 'valid: only the case changed', before: 'Restricted', after: 'RESTRICTED', expected: [] },
  {
    name: 'invalid: Restricted to Confidential',
    before: 'Restricted',
    after: 'Confidential',
    expected: ['medium kyc-docs was downgraded from Restricted to Confidential'],
  },
  {
    name: 'invalid: Confidential to Public',
    before: 'Confidential',
    after: 'Public',
    expected: ['high kyc-docs was downgraded from Confidential to Public'],
  },
  {
    name: 'invalid: the tag removed',
    before: 'Restricted',
    after: undefined,
    expected: ['high The Confidentiality tag (Restricted) was removed from kyc-docs'],
  },
  {
    name: 'invalid: an Internal tag removed',
    before: 'Internal',
    after: undefined,
    expected: ['medium The Confidentiality tag (Internal) was removed from kyc-docs'],
  },
]

describe('classification-downgrade', () => {
  it.each(cases)('$name', ({ before, after, expected }) => {
    const found = runRule(
      classificationDowngrade,
      model([], [tagged(after)]),
      undefined,
      model([], [tagged(before)]),
    )
    expect(lines(found)).toEqual(expected)
  })
  it('says nothing without a base revision', () => {
    expect(runRule(classificationDowngrade, model([], [tagged()]))).toEqual([])
  })
})
