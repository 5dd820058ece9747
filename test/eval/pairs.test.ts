import { describe, expect, it } from 'vitest'
import {
  agrees,
  classifyExpectation,
  disagreement,
  documentChange,
  expectedVerdict,
} from '../../scripts/eval/pairs.js'
import { analyzeDiff } from '../../src/cli/core.js'
import { defaultConfig } from '../../src/config/types.js'
import { loadTree } from '../../src/iac/load.js'
import type { PolicyChange } from '../../src/report/contract.js'
import { memorySnapshot } from '../../src/source/folder.js'

const diffOf = async (base: Record<string, string>, head: Record<string, string>) => {
  const b = await loadTree(memorySnapshot(base))
  const h = await loadTree(memorySnapshot(head))
  return { base: b, head: h, report: await analyzeDiff(b, h, defaultConfig()) }
}

const policy = (statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements })

describe('reading the expected verdict', () => {
  it('takes the first line under the heading', () => {
    const md =
      '# P\n\n## What changed\nx\n\n## Expected verdict\n\nREDUCTION (s3:GetObject etc. removed).\nmore\n'
    expect(expectedVerdict(md)).toBe('REDUCTION (s3:GetObject etc. removed).')
  })

  it.each([
    [
      'REDUCTION intended (admin removed), but head policy is unparsable: tool must report a parse error',
      'error',
    ],
    ['Large access REDUCTION; removes an admin/privesc-capable principal. No new access.', 'reduction'],
    [
      'Large REDUCTION (admin removed from an EC2-assumable role); one new role (hard path) with SSM core + ec2:Describe*; honeytoken users lose group permissions.',
      'net-reduction',
    ],
    [
      'With defaults: NO change. With the flag on: permissions-management GAIN on all instance profiles.',
      'none',
    ],
    [
      'Only affects callers that set attach_analytics_destination_policy = true and no other attach_* flag: their bucket policy (granting s3.amazonaws.com PutObject for analytics export) is now actually attached = GAIN. Shipped examples also set attach_policy = true, so no delta there.',
      'none',
    ],
    [
      'Examples: NO effective change (same SourceArn). Latent regression for callers still passing only "arn".',
      'none',
    ],
    [
      'Small REDUCTION (one write action removed) for roles created with attach_cluster_autoscaler_policy = true.',
      'reduction',
    ],
    ['Mixed: explicit-deny scope widened (good) + per-principal GAINs for the listed principals.', 'mixed'],
    [
      'Trust policy: NO semantic change (must not be reported). Permissions: small GAIN (ec2:CreateNetworkInterface).',
      'gain',
    ],
    ['Deny WEAKENED: principals of other accounts are no longer caught by DenyEveryoneElse.', undefined],
  ])('%s -> %s', (line, expected) => {
    expect(classifyExpectation(line)).toBe(expected)
  })
})

describe('a net reduction with a new principal', () => {
  const admin = policy([{ Effect: 'Allow', Action: '*', Resource: '*' }])
  const describe = policy([{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }])

  it('agrees when an administrator goes and a small role comes', async () => {
    const { report } = await diffOf({ 'policies/admin.json': admin }, { 'policies/ssm-core.json': describe })
    expect(agrees('net-reduction', report)).toBe(true)
    expect(agrees('reduction', report)).toBe(false)
  })

  it('disagrees when the new role holds more than what went', async () => {
    const { report } = await diffOf({ 'policies/ssm-core.json': describe }, { 'policies/admin.json': admin })
    expect(agrees('net-reduction', report)).toBe(false)
  })
})

describe('what changed in a policy document without changing a grant', () => {
  const trust = (iss: string, sid?: string): object => ({
    ...(sid ? { Sid: sid } : {}),
    Effect: 'Allow',
    Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com' },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      'ForAllValues:StringEquals': {
        'token.actions.githubusercontent.com:iss': [iss],
        'token.actions.githubusercontent.com:aud': ['sts.amazonaws.com'],
      },
      StringLike: { 'token.actions.githubusercontent.com:sub': ['repo:acme/app:*'] },
    },
  })
  const change = (base: object[], head: object[]): PolicyChange => ({
    name: 'role/github trust policy',
    base: policy(base),
    head: policy(head),
  })

  it('names the condition keys whose values changed, and only those', () => {
    const c = documentChange(
      change(
        [trust('http://token.actions.githubusercontent.com')],
        [trust('https://token.actions.githubusercontent.com')],
      ),
    )
    expect(c?.conditionValues).toEqual(['token.actions.githubusercontent.com:iss'])
    expect(c?.conditionalDenies).toEqual([])
  })

  it('says nothing when only a Sid changed', () => {
    expect(documentChange(change([trust('x', 'A')], [trust('x', 'B')]))).toBeUndefined()
  })

  it('names a Deny under a condition that the head drops or changes', () => {
    const deny = (principal: string): object => ({
      Sid: 'DenyEveryoneElse',
      Effect: 'Deny',
      Principal: { AWS: principal },
      Action: 's3:*',
      Resource: ['arn:aws:s3:::acme-data', 'arn:aws:s3:::acme-data/*'],
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': ['arn:aws:iam::111122223333:role/app'] } },
    })
    expect(documentChange(change([deny('111122223333')], [deny('*')]))?.conditionalDenies).toEqual([
      'changes Deny DenyEveryoneElse (only under aws:PrincipalArn)',
    ])
    expect(documentChange(change([deny('*')], []))?.conditionalDenies).toEqual([
      'drops Deny DenyEveryoneElse (only under aws:PrincipalArn)',
    ])
  })
})

describe('why we disagree', () => {
  it('names what the head grants beside what it removes', async () => {
    const read = (extra: string[]): string =>
      policy([{ Effect: 'Allow', Action: ['s3:GetObject', 'iam:GetRole', ...extra], Resource: '*' }])
    const { report, base, head } = await diffOf(
      { 'policies/ReadOnly.json': read([]) },
      {
        'policies/ReadOnly.json': policy([
          { Effect: 'Allow', Action: ['iam:GetRole', 'sts:Get*'], Resource: '*' },
        ]),
      },
    )
    expect(agrees('reduction', report)).toBe(false)
    const why = disagreement('reduction', 'REDUCTION of many read actions', report, { base, head })
    expect(why).toMatch(
      /^the head also grants what base did not: .*ReadOnly: use-resource .*sts:GetFederationToken/,
    )
  })

  it('says that no policy document differs, and which assumed input the tree does not set', async () => {
    const tf = (actions: string[]): string => `
variable "attach_autoscaler_policy" {
  type    = bool
  default = false
}
resource "aws_iam_role" "this" {
  name               = "autoscaler"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }] })
}
resource "aws_iam_role_policy" "autoscaler" {
  count  = var.attach_autoscaler_policy ? 1 : 0
  role   = aws_iam_role.this.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ${JSON.stringify(actions)}, Resource = "*" }] })
}
`
    const headFiles = { 'main.tf': tf(['autoscaling:SetDesiredCapacity']) }
    const { report, base, head } = await diffOf(
      { 'main.tf': tf(['autoscaling:SetDesiredCapacity', 'autoscaling:UpdateAutoScalingGroup']) },
      headFiles,
    )
    const line = 'Small REDUCTION for roles created with attach_autoscaler_policy = true.'
    expect(agrees('reduction', report)).toBe(false)
    expect(
      disagreement('reduction', line, report, { base, head, headFiles: new Map(Object.entries(headFiles)) }),
    ).toBe(
      'no policy document differs between base and head, and every principal holds the same policies; ' +
        'the expectation assumes attach_autoscaler_policy = true, which no file of the tree sets',
    )
  })

  it('tells a file that was not analysed', async () => {
    const bucketPolicy = (actions: string[]): string =>
      policy([
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
          Action: actions,
          Resource: 'arn:aws:s3:::acme-data/*',
        },
      ])
    const { report } = await diffOf(
      { 'examples/bucket-policy.json': bucketPolicy(['s3:GetObject']) },
      { 'examples/bucket-policy.json': bucketPolicy(['s3:GetObject', 's3:GetObjectAttributes']) },
    )
    expect(
      disagreement('gain', 'GAIN', report, { changedFiles: new Set(['examples/bucket-policy.json']) }),
    ).toMatch(/^not analysed: examples\/bucket-policy\.json \(a resource-based policy/)
  })
})
