import { describe, expect, it } from 'vitest'
import { dataAccess } from '../../../src/risk/rules/data-access.js'
import { bucket, HOME, model, policy, role, trustAccount, trustService } from '../../engine/modelBuilder.js'
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

describe('data-access through paths', () => {
  it('says once per capability and tier what a principal reaches through paths, not once per resource', () => {
    const names = ['kyc-a', 'kyc-b', 'kyc-c', 'kyc-d']
    const reader = role(
      'kyc-reader',
      [
        policy('read', [
          { Effect: 'Allow', Action: 's3:GetObject', Resource: names.map((n) => `arn:aws:s3:::${n}/*`) },
        ]),
      ],
      trustAccount(),
    )
    const ops = role(
      'ops',
      [
        policy('assume', [
          { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${HOME}:role/kyc-reader` },
        ]),
      ],
      trustAccount(),
    )
    const buckets = names.map((n) => bucket(n, undefined, { confidentiality: 'Restricted' }))
    const found = lines(runRule(dataAccess, model([reader, ops], buckets)))
    // The reader holds the access: one finding per resource, so each new bucket shows as new.
    expect(found.filter((l) => l.includes('kyc-reader can'))).toHaveLength(4)
    // ops reaches it by assuming the reader: one finding that names the resources and the route.
    expect(found.filter((l) => l.includes('role ops'))).toEqual([
      'medium role ops can read data in 4 resources (kyc-a (Restricted), kyc-b (Restricted), kyc-c (Restricted), …) through paths (assume role kyc-reader)',
    ])
  })
})
