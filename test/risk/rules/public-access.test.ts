import { describe, expect, it } from 'vitest'
import type { Resource } from '../../../src/model/types.js'
import { publicAccess } from '../../../src/risk/rules/public-access.js'
import { bucket, model, role, trustAccount } from '../../engine/modelBuilder.js'
import { lines, runRule } from '../ruleHarness.js'

const read = (condition?: Record<string, unknown>) => [
  {
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::site/*',
    ...(condition ? { Condition: condition } : {}),
  },
]
const lambdaUrl: Resource = {
  id: 'aws_lambda_function.hook',
  address: 'aws_lambda_function.hook',
  type: 'aws_lambda_function',
  service: 'lambda',
  name: 'hook',
  arn: 'arn:aws:lambda:eu-west-1:111111111111:function:hook',
  holdsData: false,
  publicAccess: { capabilities: ['use-resource'], reason: 'function URL with AuthType NONE' },
}

describe('public-access', () => {
  const cases: { name: string; resources: Resource[]; expected: string[] }[] = [
    { name: 'valid: a bucket without policy', resources: [bucket('site')], expected: [] },
    {
      name: 'valid: everyone, but only from the organisation',
      resources: [bucket('site', read({ StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }))],
      expected: [],
    },
    {
      name: 'invalid: everyone can read objects of a website bucket',
      resources: [bucket('site', read())],
      expected: ['high Anyone can read data in site'],
    },
    {
      name: 'invalid: a condition that does not narrow who (TLS only) still leaves it public',
      resources: [bucket('site', read({ Bool: { 'aws:SecureTransport': 'true' } }))],
      expected: ['high Anyone can read data in site'],
    },
    {
      name: 'invalid: public and Confidential is critical',
      resources: [bucket('site', read(), { Confidentiality: 'Confidential' })],
      expected: ['critical Anyone can read data in site (Confidential)'],
    },
    {
      name: 'invalid: a Lambda URL without auth',
      resources: [lambdaUrl],
      expected: ['medium Anyone can use hook (function URL with AuthType NONE)'],
    },
  ]
  it.each(cases)('$name', ({ resources, expected }) => {
    expect(lines(runRule(publicAccess, model([], resources)))).toEqual(expected)
  })

  it('a role that trusts everyone can be assumed by anyone; one that trusts its account cannot', () => {
    const everyone = [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }]
    const findings = runRule(
      publicAccess,
      model([role('pipeline', [], everyone), role('app', [], trustAccount())]),
    )
    expect(lines(findings)).toEqual([
      'high Anyone can assume role pipeline: its trust policy admits every principal',
    ])
  })
})
