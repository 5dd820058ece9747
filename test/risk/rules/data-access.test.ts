import { describe, expect, it } from 'vitest'
import { dataAccess } from '../../../src/risk/rules/data-access.js'
import { bucket, model, policy, role, trustService } from '../../engine/modelBuilder.js'
import { lines, runRule } from '../ruleHarness.js'

const task = (actions: string[]) =>
  role(
    'payments-api',
    [policy('app', [{ Effect: 'Allow', Action: actions, Resource: 'arn:aws:s3:::kyc-docs/*' }])],
    trustService('ecs-tasks.amazonaws.com'),
  )

const cases = [
  { name: 'valid: data that is not confidential', tag: 'Internal', actions: ['s3:GetObject'], expected: [] },
  {
    name: 'valid: an untagged bucket (unclassified)',
    tag: undefined,
    actions: ['s3:GetObject'],
    expected: [],
  },
  {
    name: 'invalid: read on Confidential',
    tag: 'Confidential',
    actions: ['s3:GetObject'],
    expected: ['low role payments-api can read data in kyc-docs (Confidential)'],
  },
  {
    name: 'invalid: read and write on Restricted, one finding each (tag value in any case)',
    tag: 'restricted',
    actions: ['s3:GetObject', 's3:PutObject'],
    expected: [
      'medium role payments-api can read data in kyc-docs (restricted)',
      'medium role payments-api can write data in kyc-docs (restricted)',
    ],
  },
]

describe('data-access', () => {
  it.each(cases)('$name', ({ tag, actions, expected }) => {
    const kyc = bucket('kyc-docs', undefined, tag === undefined ? {} : { confidentiality: tag })
    expect(lines(runRule(dataAccess, model([task(actions)], [kyc]))).sort()).toEqual(expected)
  })
})
