import { describe, expect, it } from 'vitest'
import { unknownAction } from '../../../src/risk/rules/unknown-action.js'
import { model, policy, user } from '../../engine/modelBuilder.js'
import { lines, runRule } from '../ruleHarness.js'

const cases = [
  {
    name: 'valid: real actions and wildcards',
    statements: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:List*'], Resource: '*' }],
    expected: [],
  },
  {
    name: 'invalid: a typo in an Allow',
    statements: [{ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObjcet', Resource: '*' }],
    expected: ['low app Read: s3:GetObjcet is not an action of s3 (did you mean s3:GetObject?)'],
  },
  {
    name: 'invalid, worse: a typo in a Deny denies nothing',
    statements: [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:DeleteBuckett', Resource: '*' },
    ],
    expected: [
      'medium app #1: s3:DeleteBuckett is not an action of s3 (did you mean s3:DeleteBucket?); the Deny does not apply to it',
    ],
  },
]

describe('unknown-action', () => {
  it.each(cases)('$name', ({ statements, expected }) => {
    expect(lines(runRule(unknownAction, model([user('dev', [policy('app', statements)])])))).toEqual(expected)
  })
})

describe('unknown-action across revisions', () => {
  it('the same typo moved from a managed to an inline policy of the same principal is not new', () => {
    const deny = [{ Effect: 'Deny', Action: 's3:HeadObject', Resource: '*' }]
    const before = runRule(
      unknownAction,
      model([user('dev', [policy('aws_iam_policy.extra', deny, 'customer-managed')])]),
    )
    const after = runRule(unknownAction, model([user('dev', [policy('aws_iam_role_policy.extra', deny)])]))
    expect(after.map((f) => f.key)).toEqual(before.map((f) => f.key))
  })
})
