import { describe, expect, it } from 'vitest'
import { crossAccountAccess } from '../../../src/risk/rules/cross-account-access.js'
import { bucket, HOME, model, OTHER, policy, role } from '../../engine/modelBuilder.js'
import { lines, runRule, testConfig } from '../ruleHarness.js'

const readLogs = policy('read-logs', [
  { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*' },
])
const trust = (account: string, condition?: Record<string, unknown>) => [
  {
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  },
]
const sharedBucket = (tags: Record<string, string> = {}) =>
  bucket(
    'logs',
    [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::logs/*',
      },
    ],
    tags,
  )

describe('cross-account-access', () => {
  const known = testConfig({ knownAccounts: [{ id: OTHER, name: 'audit' }] })
  const cases = [
    {
      name: 'valid: a trust within the home account',
      m: model([role('app', [readLogs], trust(HOME))]),
      config: testConfig(),
      expected: [],
    },
    {
      name: 'invalid: another account may assume a role, no ExternalId',
      m: model([role('partner', [readLogs], trust(OTHER))]),
      config: testConfig(),
      expected: [
        `high role partner can be assumed from unknown account ${OTHER} (arn:aws:iam::${OTHER}:root) without an sts:ExternalId condition`,
      ],
    },
    {
      name: 'invalid, lower: with an ExternalId',
      m: model([role('partner', [readLogs], trust(OTHER, { StringEquals: { 'sts:ExternalId': 'x' } }))]),
      config: testConfig(),
      expected: [
        `medium role partner can be assumed from unknown account ${OTHER} (arn:aws:iam::${OTHER}:root)`,
      ],
    },
    {
      name: 'invalid, lowest: a known account',
      m: model([role('partner', [readLogs], trust(OTHER))]),
      config: known,
      expected: [
        `low role partner can be assumed from known account audit (arn:aws:iam::${OTHER}:root) without an sts:ExternalId condition`,
      ],
    },
    {
      name: 'invalid: a bucket policy opens a bucket to another account',
      m: model([], [sharedBucket()]),
      config: testConfig(),
      expected: [`medium account ${OTHER} (unknown account ${OTHER}) can read data in logs`],
    },
    {
      name: 'invalid: to another account, on Confidential data',
      m: model([], [sharedBucket({ Confidentiality: 'Confidential' })]),
      config: testConfig(),
      expected: [`high account ${OTHER} (unknown account ${OTHER}) can read data in logs (Confidential)`],
    },
  ]
  it.each(cases)('$name', ({ m, config, expected }) => {
    expect(lines(runRule(crossAccountAccess, m, config))).toEqual(expected)
  })
})
