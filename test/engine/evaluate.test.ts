/**
 * Hand-written cases of the evaluation logic (src/engine/evaluate.ts), one per rule of AWS's policy
 * evaluation, plus one focused case per engine fix found by the differential test
 * (test/engine/differential.test.ts, docs/engine.md).
 */
import { describe, expect, it } from 'vitest'
import { type Decision, EvaluationContext } from '../../src/engine/context.js'
import { evaluateScope } from '../../src/engine/evaluate.js'
import type { Model, Principal, Resource } from '../../src/model/types.js'
import { bucket, HOME, model, OTHER, policy, role, trustAccount, user } from './modelBuilder.js'

const OBJECT = 'arn:aws:s3:::kyc-docs/2024/passport.pdf'
const KEY_ARN = `arn:aws:kms:us-east-1:${HOME}:key/1234abcd-12ab-34cd-56ef-1234567890ab`

const readKyc = policy('read-kyc', [
  {
    Sid: 'ReadKyc',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: 'arn:aws:s3:::kyc-docs/*',
  },
])

function decide(
  m: Model,
  principal: Principal,
  action: string,
  resource: string,
  target?: Resource,
): Decision {
  return new EvaluationContext(m).decide({ principal, action, resource, ...(target ? { target } : {}) })
}

function app(policies = [readKyc], extra: Partial<Principal> = {}): Principal {
  return role('app', policies, trustAccount(), extra)
}

function key(statements: Record<string, unknown>[]): Resource {
  return {
    id: 'aws_kms_key.kyc',
    type: 'AWS::KMS::Key',
    service: 'kms',
    name: 'kyc',
    arn: KEY_ARN,
    account: HOME,
    holdsData: false,
    policy: policy('kyc-key-policy', statements, 'resource', 'resource'),
  }
}

function otherAccountBucket(statements?: Record<string, unknown>[]): Resource {
  return { ...bucket('kyc-docs', statements), account: OTHER }
}

describe('evaluation logic', () => {
  it('an explicit Deny in a second policy removes what the first allows', () => {
    const deny = policy('no-kyc', [
      { Sid: 'NoKyc', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::kyc-docs/*' },
    ])
    const principal = app([readKyc, deny])
    const decision = decide(model([principal]), principal, 's3:GetObject', OBJECT)
    expect(decision.decision).toBe('explicit-deny')
    expect(decision.deniedBy.map((s) => `${s.policyId} ${s.statement}`)).toEqual(['no-kyc NoKyc'])
  })

  it('a permissions boundary without the action removes what the identity policy allows', () => {
    const boundary = policy('queues-only', [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }], 'boundary')
    const principal = app([readKyc], { boundary })
    expect(decide(model([principal]), principal, 's3:GetObject', OBJECT).decision).toBe('implicit-deny')
    const unbounded = app()
    expect(decide(model([unbounded]), unbounded, 's3:GetObject', OBJECT).decision).toBe('allow')
  })

  it('a Deny in the permissions boundary is an explicit deny', () => {
    const boundary = policy(
      'no-kyc-boundary',
      [
        { Effect: 'Allow', Action: '*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kyc-*' },
      ],
      'boundary',
    )
    const principal = app([readKyc], { boundary })
    expect(decide(model([principal]), principal, 's3:GetObject', OBJECT).decision).toBe('explicit-deny')
  })

  it('across accounts both the identity policy and the resource policy must allow', () => {
    const grant = {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${HOME}:role/app` },
      Action: 's3:GetObject',
    }
    const withPolicy = otherAccountBucket([{ ...grant, Resource: 'arn:aws:s3:::kyc-docs/*' }])
    const identityOnly = otherAccountBucket()
    const principal = app()
    const bare = app([])
    expect(decide(model([principal]), principal, 's3:GetObject', OBJECT, identityOnly).decision).toBe(
      'implicit-deny',
    )
    expect(decide(model([bare]), bare, 's3:GetObject', OBJECT, withPolicy).decision).toBe('implicit-deny')
    expect(decide(model([principal]), principal, 's3:GetObject', OBJECT, withPolicy).decision).toBe('allow')
  })

  it('across accounts a resource policy naming the account delegates to its IAM policies', () => {
    const target = otherAccountBucket([
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${HOME}:root` },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::kyc-docs/*',
      },
    ])
    const principal = app()
    const bare = app([])
    expect(decide(model([principal]), principal, 's3:GetObject', OBJECT, target).decision).toBe('allow')
    expect(decide(model([bare]), bare, 's3:GetObject', OBJECT, target).decision).toBe('implicit-deny')
  })

  it('within the account a resource policy naming the role suffices alone; naming the account does not', () => {
    const principal = app([])
    const naming = (who: string): Resource =>
      bucket('kyc-docs', [
        {
          Effect: 'Allow',
          Principal: { AWS: who },
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::kyc-docs/*',
        },
      ])
    const m = model([principal])
    expect(decide(m, principal, 's3:GetObject', OBJECT, naming(principal.arn!)).decision).toBe('allow')
    expect(decide(m, principal, 's3:GetObject', OBJECT, naming(`arn:aws:iam::${HOME}:root`)).decision).toBe(
      'implicit-deny',
    )
  })

  it('a KMS key policy without root delegation makes an identity allow insufficient', () => {
    const decrypt = policy('decrypt', [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN }])
    const principal = app([decrypt])
    const adminOnly = key([
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${HOME}:role/key-admin` },
        Action: 'kms:*',
        Resource: '*',
      },
    ])
    const delegating = key([
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HOME}:root` }, Action: 'kms:*', Resource: '*' },
    ])
    const m = model([principal])
    expect(decide(m, principal, 'kms:Decrypt', KEY_ARN, adminOnly).decision).toBe('implicit-deny')
    expect(decide(m, principal, 'kms:Decrypt', KEY_ARN, delegating).decision).toBe('allow')
  })

  it('a conditional Deny does not remove access; a conditional Allow is reported as conditional', () => {
    const denyOutsideVpc = policy('deny-outside-vpc', [
      {
        Effect: 'Deny',
        Action: 's3:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      },
    ])
    const principal = app([readKyc, denyOutsideVpc])
    expect(decide(model([principal]), principal, 's3:GetObject', OBJECT)).toMatchObject({
      decision: 'allow',
      conditional: false,
    })
    const onlyFromVpc = policy('read-from-vpc', [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
      },
    ])
    const conditional = app([onlyFromVpc])
    expect(decide(model([conditional]), conditional, 's3:GetObject', OBJECT)).toMatchObject({
      decision: 'allow',
      conditional: true,
    })
  })

  it('NotResource allows everything but the resources it names', () => {
    const allButKyc = policy('all-but-kyc', [
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        NotResource: ['arn:aws:s3:::kyc-docs', 'arn:aws:s3:::kyc-docs/*'],
      },
    ])
    const principal = app([allButKyc])
    const m = model([principal])
    expect(decide(m, principal, 's3:GetObject', 'arn:aws:s3:::logs/app.log').decision).toBe('allow')
    expect(decide(m, principal, 's3:GetObject', OBJECT).decision).toBe('implicit-deny')
  })
})

describe('fixes found by the differential test', () => {
  const notPrincipalDeny = (who: string[]): Resource =>
    bucket('kyc-docs', [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HOME}:role/app` }, Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', NotPrincipal: { AWS: who }, Action: 's3:*', Resource: 'arn:aws:s3:::kyc-docs/*' },
    ])

  it('a resource-policy Deny with NotPrincipal always applies to a principal with a boundary', () => {
    const target = notPrincipalDeny([`arn:aws:iam::${HOME}:role/app`, `arn:aws:iam::${HOME}:root`])
    const boundary = policy('all', [{ Effect: 'Allow', Action: '*', Resource: '*' }], 'boundary')
    const free = app()
    const bounded = app([readKyc], { boundary })
    expect(decide(model([free]), free, 's3:GetObject', OBJECT, target).decision).toBe('allow')
    expect(decide(model([bounded]), bounded, 's3:GetObject', OBJECT, target).decision).toBe('explicit-deny')
  })

  it('a grant to "*" reaches a role past its boundary; a grant to the role ARN does not', () => {
    const boundary = policy('queues-only', [{ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }], 'boundary')
    const principal = app([], { boundary })
    const grantTo = (who: unknown): Resource =>
      bucket('kyc-docs', [
        { Effect: 'Allow', Principal: who, Action: 's3:GetObject', Resource: 'arn:aws:s3:::kyc-docs/*' },
      ])
    const m = model([principal])
    expect(decide(m, principal, 's3:GetObject', OBJECT, grantTo('*')).decision).toBe('allow')
    expect(decide(m, principal, 's3:GetObject', OBJECT, grantTo({ AWS: principal.arn })).decision).toBe(
      'implicit-deny',
    )
    // A user's boundary never limits what a same-account resource policy grants to it.
    const alice = user('alice', [], { boundary })
    expect(decide(model([alice]), alice, 's3:GetObject', OBJECT, grantTo({ AWS: alice.arn })).decision).toBe(
      'allow',
    )
  })

  it('actions without resource types are matched against the literal resource "*"', () => {
    const onlyKyc = policy('only-kyc', [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::kyc-docs', 'arn:aws:s3:::kyc-docs/*'] },
    ])
    const principal = app([onlyKyc])
    const m = model([principal])
    // The Deny names everything but the bucket: the request on `*` is not the bucket, so it is denied.
    expect(decide(m, principal, 's3:ListAllMyBuckets', '*').decision).toBe('explicit-deny')
    expect(decide(m, principal, 's3:GetObject', OBJECT).decision).toBe('allow')
    // An ARN pattern, even `arn:aws:s3:::*`, does not name the resource `*`.
    const bucketsOnly = app([
      policy('buckets', [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::*' }]),
    ])
    expect(decide(model([bucketsOnly]), bucketsOnly, 's3:ListAllMyBuckets', '*').decision).toBe(
      'implicit-deny',
    )
    expect(decide(model([bucketsOnly]), bucketsOnly, 's3:GetObject', OBJECT).decision).toBe('allow')
  })

  it('on the scope "*", actions with resource types keep the pattern reading', () => {
    const onlyKyc = policy('only-kyc', [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::kyc-docs/*' },
    ])
    const ctx = new EvaluationContext(model([app([onlyKyc])]))
    const who = ctx.principal(ctx.model.principals[0]!)
    const result = evaluateScope(ctx.index, who, '*')
    const at = (name: string): number => ctx.index.indexOf(ctx.index.catalog.action(name)!)!
    // GetObject is denied on part of every resource only, so it stays allowed on the scope.
    expect(result.allowed.has(at('s3:GetObject'))).toBe(true)
    expect(result.denied.has(at('s3:ListAllMyBuckets'))).toBe(true)
    expect(result.allowed.has(at('s3:ListAllMyBuckets'))).toBe(false)
  })

  it('an RCP limits by its Denies only (RCPFullAWSAccess is always attached)', () => {
    const principal = app()
    const rcp = policy(
      'deny-deletes',
      [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteObject', Resource: '*' }],
      'rcp',
      'rcp',
    )
    const target = bucket('kyc-docs')
    const deleteToo = app([
      readKyc,
      policy('delete', [{ Effect: 'Allow', Action: 's3:DeleteObject', Resource: '*' }]),
    ])
    const m = model([principal], [target], { resourceControlPolicies: [{ policy: rcp }] })
    expect(decide(m, principal, 's3:GetObject', OBJECT, target).decision).toBe('allow')
    const m2 = model([deleteToo], [target], { resourceControlPolicies: [{ policy: rcp }] })
    expect(decide(m2, deleteToo, 's3:DeleteObject', OBJECT, target).decision).toBe('explicit-deny')
  })
})
