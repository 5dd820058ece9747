import { describe, expect, it } from 'vitest'
import type { Grant } from '../../src/engine/types.js'
import { uncoveredActions } from '../../src/risk/delta.js'

const grant = (resource: string, actions: string[], extra: Partial<Grant> = {}): Grant => ({
  service: 's3',
  capability: 'read-data',
  resource,
  actions,
  conditional: false,
  via: '',
  sources: [],
  ...extra,
})

/** A grant's conditions, as the engine writes them: operator, key and values, one text each. */
const under = (operator: string, ...values: string[]): Partial<Grant> => ({
  conditional: true,
  conditionValues: [[operator, 'aws:sourcevpce', ...values].join('\u0000')],
})
const kyc = (extra: Partial<Grant>): Grant => grant('arn:aws:s3:::kyc/*', ['s3:GetObject'], extra)

describe('grant coverage', () => {
  it.each([
    [
      'a narrower grant is covered by a wildcard one',
      grant('arn:aws:s3:::kyc/*', ['s3:GetObject']),
      [grant('*', ['s3:GetObject', 's3:GetObjectVersion'])],
      [],
    ],
    [
      'a new action on the same resource is new',
      grant('arn:aws:s3:::kyc/*', ['s3:GetObject', 's3:GetObjectVersion']),
      [grant('arn:aws:s3:::kyc/*', ['s3:GetObject'])],
      ['s3:GetObjectVersion'],
    ],
    [
      'an administrator covers everything',
      grant('arn:aws:s3:::kyc/*', ['s3:GetObject']),
      [grant('*', ['*'], { service: '*' })],
      [],
    ],
    [
      'a conditional grant does not cover an unconditional one',
      grant('arn:aws:s3:::kyc/*', ['s3:GetObject']),
      [grant('*', ['s3:GetObject'], { conditional: true })],
      ['s3:GetObject'],
    ],
    [
      'a conditional grant covers one under the same conditions',
      kyc(under('StringEquals', 'vpce-1')),
      [kyc(under('StringEquals', 'vpce-1'))],
      [],
    ],
    [
      'but not one under another value',
      kyc(under('StringEquals', 'vpce-2')),
      [kyc(under('StringEquals', 'vpce-1'))],
      ['s3:GetObject'],
    ],
    [
      'a negated test with more values is not weaker',
      kyc(under('StringNotEquals', 'vpce-1')),
      [kyc(under('StringNotEquals', 'vpce-1', 'vpce-2'))],
      ['s3:GetObject'],
    ],
    [
      'an Equals test with more values is weaker',
      kyc(under('StringEquals', 'vpce-1')),
      [kyc(under('StringEquals', 'vpce-1', 'vpce-2'))],
      [],
    ],
    [
      'a wider grant is not covered by a narrower one',
      grant('*', ['s3:GetObject']),
      [grant('arn:aws:s3:::kyc/*', ['s3:GetObject'])],
      ['s3:GetObject'],
    ],
  ])('%s', (_name, g, others, expected) => {
    expect(uncoveredActions(g, others)).toEqual(expected)
  })
})
