import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/types.js'
import { effectiveAccess } from '../../src/engine/access.js'
import type { Grant } from '../../src/engine/types.js'
import type { Model } from '../../src/model/types.js'
import { classifier, classify } from '../../src/risk/classification.js'
import { Scorer, scopeOf } from '../../src/risk/score.js'
import { bucket, HOME, model, OTHER, policy, role, trustService, user } from '../engine/modelBuilder.js'

const config = { ...defaultConfig(), homeAccounts: [HOME] }
const kyc = bucket('kyc-docs', undefined, { Confidentiality: 'Restricted' })

function scoreLines(m: Model, name: string): string[] {
  const access = effectiveAccess(m)
  const scorer = new Scorer({ model: m, access, config, classify: classifier(config) })
  const a = access.principals.find((p) => p.principal.name === name)!
  return scorer.principal(a, []).lines.map((l) => `${l.grant?.actions.join(',')}: ${l.line}`)
}

describe('golf score', () => {
  it('explains each grant in one line, with the default weights', () => {
    const p = policy('app', [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kyc-docs/*' },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:eu-west-1:${HOME}:orders-*` },
      { Effect: 'Allow', Action: 'iam:GetRole', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: `arn:aws:kms:eu-west-1:${OTHER}:key/abc`,
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
    ])
    expect(
      scoreLines(model([role('app', [p], trustService('ecs-tasks.amazonaws.com'))], [kyc]), 'app'),
    ).toEqual([
      'iam:GetRole: read-config 1 × every resource 4 × iam 10 = 40',
      'kms:Decrypt: use-resource 2 × account 222222222222 8 × kms 5 × strong condition 0.5 = 40',
      's3:GetObject: read-data 3 × one resource 1 × data store 3 × Restricted 8 = 72',
      'sqs:SendMessage: write-data 3 × a pattern 2 × data store 3 = 18',
    ])
  })

  it('a wildcard weighs with the most sensitive data it reaches', () => {
    const p = policy('reader', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }])
    expect(scoreLines(model([user('ops', [p])], [kyc, bucket('logs')]), 'ops')).toEqual([
      's3:GetObject: read-data 3 × every resource 4 × data store 3 × Restricted 8 = 288',
    ])
    // No resource of the tree: no known data, DATA leaves the product.
    expect(scoreLines(model([user('ops', [p])]), 'ops')).toEqual([
      's3:GetObject: read-data 3 × every resource 4 × data store 3 = 36',
    ])
  })

  it('a grant reached through a path weighs with the data it lets the holder touch', () => {
    const reportingArn = `arn:aws:iam::${HOME}:role/reporting`
    // The Restricted bucket keeps the reporting role out; ops reads it with its own grant.
    const guarded = bucket('kyc-docs', [
      {
        Effect: 'Deny',
        Principal: { AWS: reportingArn },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::kyc-docs/*',
      },
    ])
    guarded.tags = { Confidentiality: 'Restricted' }
    const reporting = role(
      'reporting',
      [policy('read-all', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }])],
      [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HOME}:user/ops` }, Action: 'sts:AssumeRole' }],
    )
    const ops = user('ops', [
      policy('ops', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kyc-docs/*' }]),
    ])
    const m = model([reporting, ops], [guarded, bucket('logs', undefined, { Confidentiality: 'Internal' })])
    expect(scoreLines(m, 'ops')).toEqual([
      // Through the role, ops reaches the logs, not the Restricted bucket the role is kept out of.
      's3:GetObject: read-data 3 × every resource 4 × data store 3 × Internal 2 = 72',
      's3:GetObject: read-data 3 × one resource 1 × data store 3 × Restricted 8 = 72',
    ])
  })

  it('scopes: one resource, pattern, every resource, another or any account', () => {
    const g = (resource: string, resourceAddress?: string): Grant => ({
      service: 's3',
      capability: 'read-data',
      resource,
      actions: [],
      conditional: false,
      via: '',
      sources: [],
      ...(resourceAddress ? { resourceAddress } : {}),
    })
    const homes = new Set([HOME])
    expect(scopeOf(g('arn:aws:s3:::kyc-docs/*', 'aws_s3_bucket.kyc'), homes).kind).toBe('resource')
    expect(scopeOf(g('arn:aws:s3:::kyc-*'), homes).kind).toBe('pattern')
    expect(scopeOf(g('arn:aws:logs:*:*:*'), homes).kind).toBe('service')
    expect(scopeOf(g(`arn:aws:sqs:eu-west-1:${OTHER}:q`), homes).kind).toBe('otherAccount')
    expect(scopeOf(g('arn:aws:sqs:eu-west-1:*:q'), homes).kind).toBe('otherAccount')
  })
})

describe('classification', () => {
  const tagged = (tags: Record<string, string>) => classify(bucket('b', undefined, tags), config)
  it.each([
    [{}, 'unclassified', false],
    [{ Confidentiality: 'Restricted' }, 'restricted', true],
    [{ confidentiality: 'confidential' }, 'confidential', true],
    [{ CONFIDENTIALITY: 'Internal' }, 'internal', false],
    [{ Confidentiality: 'public' }, 'public', false],
    [{ Confidentiality: 'Sensitive' }, 'internal', false],
  ])('%o is %s', (tags, level, confidential) => {
    expect(tagged(tags)).toMatchObject({ level, confidential })
  })
  it('uses the configured key and values', () => {
    const custom = { ...config, confidentiality: { tagKey: 'data-class', confidentialValues: ['secret'] } }
    expect(classify(bucket('b', undefined, { 'Data-Class': 'Secret' }), custom)).toMatchObject({
      level: 'confidential',
      value: 'Secret',
    })
  })
})
