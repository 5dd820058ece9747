import { describe, expect, it } from 'vitest'
import { resourcePolicyControl } from '../../../src/risk/rules/resource-policy-control.js'
import { bucket, model, policy, user } from '../../engine/modelBuilder.js'
import { lines, runRule } from '../ruleHarness.js'

const kyc = bucket('kyc-docs', undefined, { Confidentiality: 'Restricted' })
const logs = bucket('logs')
const cases = [
  {
    name: 'valid: reading objects does not control the bucket policy',
    statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kyc-docs/*' }],
    expected: [],
  },
  {
    name: 'invalid: PutBucketPolicy on a Restricted bucket',
    statements: [{ Effect: 'Allow', Action: 's3:PutBucketPolicy', Resource: 'arn:aws:s3:::kyc-docs' }],
    expected: ['high user dev can rewrite who may access kyc-docs (Restricted) (s3:PutBucketPolicy)'],
  },
  {
    name: 'invalid: a wildcard reaches every bucket of the tree',
    statements: [{ Effect: 'Allow', Action: ['s3:PutBucketPolicy', 's3:PutBucketAcl'], Resource: '*' }],
    expected: [
      'high user dev can rewrite who may access kyc-docs (Restricted) (s3:PutBucketAcl, s3:PutBucketPolicy)',
      'medium user dev can rewrite who may access logs (s3:PutBucketAcl, s3:PutBucketPolicy)',
    ],
  },
]

describe('resource-policy-control', () => {
  it.each(cases)('$name', ({ statements, expected }) => {
    const m = model([user('dev', [policy('dev', statements)])], [kyc, logs])
    expect(lines(runRule(resourcePolicyControl, m))).toEqual(expected)
  })
})
