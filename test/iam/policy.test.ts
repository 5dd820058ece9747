import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type ParsedPolicy, parseConditionOperator, parsePolicy, policyToJson } from '../../src/iam/policy.js'

const V = '2012-10-17'
const problemsOf = (r: ParsedPolicy, severity: 'error' | 'warning') =>
  r.problems.filter((p) => p.severity === severity).map((p) => p.path)
const errors = (r: ParsedPolicy) => problemsOf(r, 'error')
const warnings = (r: ParsedPolicy) => problemsOf(r, 'warning')
const messageAt = (r: ParsedPolicy, path: string) => r.problems.find((p) => p.path === path)?.message ?? ''
const policyOf = (...statements: unknown[]) => ({ Version: V, Statement: statements })

describe('realistic policies', () => {
  it('parses an S3 bucket policy that denies insecure transport', () => {
    const r = parsePolicy(
      policyOf(
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['arn:aws:s3:::kyc-docs', 'arn:aws:s3:::kyc-docs/*'],
          Condition: { Bool: { 'aws:SecureTransport': false } },
        },
        {
          Sid: 'AppReads',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:role/payments-api' },
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: ['arn:aws:s3:::kyc-docs', 'arn:aws:s3:::kyc-docs/*'],
        },
      ),
      { kind: 'resource' },
    )
    expect(r.problems).toEqual([])
    const [deny, allow] = r.policy.statements
    expect(deny).toMatchObject({
      index: 0,
      path: '$.Statement[0]',
      sid: 'DenyInsecureTransport',
      effect: 'Deny',
    })
    expect(deny?.principal).toEqual([{ kind: 'AWS', value: '*' }])
    expect(deny?.conditions).toEqual([
      {
        operator: 'Bool',
        baseOperator: 'Bool',
        ifExists: false,
        key: 'aws:SecureTransport',
        values: ['false'],
      },
    ])
    expect(allow?.action).toEqual(['s3:GetObject', 's3:ListBucket'])
  })

  it('parses a KMS key policy with root, admin, user and service statements', () => {
    const r = parsePolicy(
      {
        Version: V,
        Id: 'key-policy-1',
        Statement: [
          {
            Sid: 'EnableRoot',
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'KeyUsers',
            Effect: 'Allow',
            Principal: { AWS: ['arn:aws:iam::111122223333:role/app', '444455556666'] },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
          },
          {
            Sid: 'Logs',
            Effect: 'Allow',
            Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
            Action: ['kms:Encrypt*', 'kms:Describe*'],
            Resource: '*',
            Condition: {
              ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111122223333:*' },
            },
          },
        ],
      },
      { kind: 'resource' },
    )
    expect(r.problems).toEqual([])
    expect(r.policy.id).toBe('key-policy-1')
    expect(r.policy.statements.map((s) => s.sid)).toEqual(['EnableRoot', 'KeyUsers', 'Logs'])
    expect(r.policy.statements[1]?.principal?.map((p) => p.value)).toEqual([
      'arn:aws:iam::111122223333:role/app',
      '444455556666',
    ])
  })

  it('parses trust policies for Lambda and for GitHub OIDC', () => {
    const lambda = parsePolicy(
      policyOf({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
      { kind: 'trust' },
    )
    expect(lambda.problems).toEqual([])
    expect(lambda.policy.statements[0]?.principal).toEqual([
      { kind: 'Service', value: 'lambda.amazonaws.com' },
    ])

    const oidc = parsePolicy(
      policyOf({
        Effect: 'Allow',
        Principal: {
          Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: {
            'token.actions.githubusercontent.com:sub': ['repo:acme/payments:ref:refs/heads/main'],
          },
        },
      }),
      { kind: 'trust' },
    )
    expect(oidc.problems).toEqual([])
    const sub = oidc.policy.statements[0]?.conditions[1]
    expect(sub).toMatchObject({ baseOperator: 'StringLike', key: 'token.actions.githubusercontent.com:sub' })
    expect(sub?.values).toEqual(['repo:acme/payments:ref:refs/heads/main'])
  })

  it('parses an SCP with NotAction', () => {
    const r = parsePolicy(
      policyOf({
        Sid: 'DenyOutsideEU',
        Effect: 'Deny',
        NotAction: ['iam:*', 'organizations:*', 'sts:*', 'support:*'],
        Resource: '*',
        Condition: {
          StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] },
          ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/OrgAdmin' },
        },
      }),
      { kind: 'scp' },
    )
    expect(r.problems).toEqual([])
    expect(r.policy.statements[0]?.notAction).toEqual(['iam:*', 'organizations:*', 'sts:*', 'support:*'])
    expect(r.policy.statements[0]?.action).toBeUndefined()
  })
})

describe('principals', () => {
  const principalOf = (Principal: unknown) =>
    parsePolicy(policyOf({ Effect: 'Allow', Principal, Action: 's3:GetObject', Resource: '*' }))

  it('reads every principal form', () => {
    expect(principalOf('*').policy.statements[0]?.principal).toEqual([{ kind: 'AWS', value: '*' }])
    expect(principalOf({ AWS: '*' }).policy.statements[0]?.principal).toEqual([{ kind: 'AWS', value: '*' }])
    const all = principalOf({
      AWS: ['arn:aws:iam::111122223333:root', '444455556666'],
      Service: ['ec2.amazonaws.com', 'ecs-tasks.amazonaws.com'],
      Federated: 'cognito-identity.amazonaws.com',
      CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
    })
    expect(all.problems).toEqual([])
    expect(all.policy.statements[0]?.principal?.map((p) => `${p.kind}=${p.value}`)).toEqual([
      'AWS=arn:aws:iam::111122223333:root',
      'AWS=444455556666',
      'Service=ec2.amazonaws.com',
      'Service=ecs-tasks.amazonaws.com',
      'Federated=cognito-identity.amazonaws.com',
      'CanonicalUser=79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
    ])
  })

  it('accepts account IDs that YAML turned into numbers, keeping leading zeros', () => {
    expect(principalOf({ AWS: 12345678901 }).policy.statements[0]?.principal).toEqual([
      { kind: 'AWS', value: '012345678901' },
    ])
  })

  it('reports malformed principals at their path', () => {
    expect(errors(principalOf('arn:aws:iam::111122223333:root'))).toEqual(['$.Statement[0].Principal'])
    expect(errors(principalOf({}))).toEqual(['$.Statement[0].Principal'])
    expect(errors(principalOf({ Services: 'x.amazonaws.com' }))).toEqual([
      '$.Statement[0].Principal.Services',
    ])
    expect(messageAt(principalOf({ aws: '*' }), '$.Statement[0].Principal.aws')).toContain('"AWS"')
    expect(errors(principalOf({ AWS: ['*', null] }))).toEqual(['$.Statement[0].Principal.AWS[1]'])
    expect(errors(principalOf({ AWS: [] }))).toEqual(['$.Statement[0].Principal.AWS'])
    expect(warnings(principalOf({ AWS: 'payments-role' }))).toEqual(['$.Statement[0].Principal.AWS'])
  })

  it('reads NotPrincipal and warns when it is used with Allow', () => {
    const r = parsePolicy(
      policyOf({ Effect: 'Allow', NotPrincipal: { AWS: '111122223333' }, Action: 's3:*', Resource: '*' }),
    )
    expect(r.policy.statements[0]?.notPrincipal).toEqual([{ kind: 'AWS', value: '111122223333' }])
    expect(warnings(r)).toEqual(['$.Statement[0].NotPrincipal'])
    const both = parsePolicy(
      policyOf({ Effect: 'Deny', Principal: '*', NotPrincipal: { AWS: '*' }, Action: 's3:*', Resource: '*' }),
    )
    expect(errors(both)).toEqual(['$.Statement[0]'])
  })
})

describe('JSON text input', () => {
  it('parses a policy given as a JSON string', () => {
    const r = parsePolicy(
      JSON.stringify(policyOf({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' })),
    )
    expect(r.problems).toEqual([])
    expect(r.policy.statements[0]?.action).toEqual(['sqs:SendMessage'])
  })

  it('names the JSON error with its line and column', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Allow", } ]\n}'
    const r = parsePolicy(text)
    expect(r.policy).toEqual({ statements: [] })
    expect(r.problems).toHaveLength(1)
    expect(r.problems[0]).toMatchObject({ path: '$', severity: 'error' })
    expect(r.problems[0]?.message).toMatch(/not valid JSON: .+ at line 3, column 39\.$/)
  })

  it('locates errors V8 reports without a position', () => {
    expect(parsePolicy('{"Version": tru}').problems[0]?.message).toContain(
      "Unexpected token '}' at line 1, column 16",
    )
    expect(parsePolicy('{"Statement": [1,}').problems[0]?.message).toContain('line 1, column 18')
    expect(parsePolicy('').problems[0]?.message).toContain('line 1, column 1')
  })
})

describe('document problems', () => {
  it('reports document-level problems at $', () => {
    expect(errors(parsePolicy(['not', 'an', 'object']))).toEqual(['$'])
    expect(errors(parsePolicy({ Version: V }))).toEqual(['$'])
    expect(warnings(parsePolicy({ Statement: [] }))).toEqual(['$'])
    expect(errors(parsePolicy({ Version: V, Statement: [] }))).toEqual(['$.Statement'])
    expect(errors(parsePolicy({ Version: V, Statement: 'Allow all' }))).toEqual(['$.Statement'])
    expect(errors(parsePolicy({ Version: 20121017, Statement: [] }))).toContain('$.Version')
    expect(errors(parsePolicy({ Version: V, Id: 7, Statement: [] }))).toContain('$.Id')
  })

  it('warns about an unknown Version and reports unknown top-level keys', () => {
    const r = parsePolicy({
      Version: '2012-10-18',
      statement: [],
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    })
    expect(warnings(r)).toEqual(['$.Version'])
    expect(errors(r)).toEqual(['$.statement'])
    expect(messageAt(r, '$.statement')).toContain('"Statement"')
    expect(r.policy.statements).toHaveLength(1)
  })

  it('keeps a single statement object with index 0 and path $.Statement', () => {
    const r = parsePolicy({ Version: V, Statement: { Effect: 'Allow', Action: '*', Resource: '*' } })
    expect(r.policy.statements[0]).toMatchObject({ index: 0, path: '$.Statement' })
  })
})

describe('statement problems', () => {
  it('keeps the good statements around a bad one', () => {
    const r = parsePolicy(
      policyOf(
        { Sid: 'A', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        {
          Sid: 'B',
          Effect: 'allow',
          Action: ['s3:GetObject', 's3:PutObject', 's3 GetObject'],
          Resource: '*',
        },
        'not a statement',
        { Sid: 'D', Effect: 'Deny', Action: 's3:DeleteObject', Resource: '*' },
      ),
    )
    expect(r.policy.statements.map((s) => [s.sid, s.index, s.path])).toEqual([
      ['A', 0, '$.Statement[0]'],
      ['D', 3, '$.Statement[3]'],
    ])
    expect(errors(r)).toEqual(['$.Statement[1].Effect', '$.Statement[1].Action[2]', '$.Statement[2]'])
    expect(messageAt(r, '$.Statement[1].Effect')).toBe(
      'Effect must be written exactly "Allow", not "allow"; AWS rejects other spellings.',
    )
  })

  it('reports malformed actions with their path', () => {
    const actionsOf = (Action: unknown) =>
      errors(parsePolicy(policyOf({ Effect: 'Allow', Action, Resource: '*' })))
    expect(actionsOf(['s3:GetObject', 'ec2:Describe*', 's3GetObject'])).toEqual(['$.Statement[0].Action[2]'])
    expect(actionsOf('s3:Get Object')).toEqual(['$.Statement[0].Action'])
    expect(
      actionsOf(['*', 'execute-api:Invoke', 's3:Get?bject', ':GetObject', 's3:', 's3:Get/Object', '']),
    ).toEqual([
      '$.Statement[0].Action[3]',
      '$.Statement[0].Action[4]',
      '$.Statement[0].Action[5]',
      '$.Statement[0].Action[6]',
    ])
    expect(actionsOf([])).toEqual(['$.Statement[0].Action'])
  })

  it('reports missing and conflicting elements at the statement', () => {
    const one = (statement: object, kind?: 'identity') => errors(parsePolicy(policyOf(statement), { kind }))
    expect(one({ Action: '*', Resource: '*' })).toEqual(['$.Statement[0]'])
    expect(one({ Effect: 'Allow', Resource: '*' })).toEqual(['$.Statement[0]'])
    expect(one({ Effect: 'Allow', Action: '*', NotAction: 's3:*', Resource: '*' })).toEqual([
      '$.Statement[0]',
    ])
    expect(one({ Effect: 'Allow', Action: '*', Resource: '*', NotResource: 'arn:aws:s3:::b' })).toEqual([
      '$.Statement[0]',
    ])
    expect(one({ Effect: 'Allow', Action: '*', Resource: '*', Condtion: {} })).toEqual([
      '$.Statement[0].Condtion',
    ])
    expect(one({ Effect: 'Allow', Action: '*', Resource: '*', Sid: 1 })).toEqual(['$.Statement[0].Sid'])
  })

  it('applies the rules of each policy kind', () => {
    const withPrincipal = policyOf({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' })
    const noResource = policyOf({ Effect: 'Allow', Action: 's3:GetObject' })
    const noPrincipal = policyOf({ Effect: 'Allow', Action: 'sts:AssumeRole' })
    expect(errors(parsePolicy(withPrincipal, { kind: 'identity' }))).toEqual(['$.Statement[0].Principal'])
    expect(errors(parsePolicy(withPrincipal, { kind: 'scp' }))).toEqual(['$.Statement[0].Principal'])
    expect(errors(parsePolicy(noResource, { kind: 'identity' }))).toEqual(['$.Statement[0]'])
    expect(errors(parsePolicy(noPrincipal, { kind: 'trust' }))).toEqual(['$.Statement[0]'])
    expect(errors(parsePolicy(noPrincipal, { kind: 'resource' }))).toEqual(['$.Statement[0]'])
    const trustWithResource = policyOf({
      Effect: 'Allow',
      Principal: '*',
      Action: 'sts:AssumeRole',
      Resource: '*',
    })
    expect(errors(parsePolicy(trustWithResource, { kind: 'trust' }))).toEqual(['$.Statement[0].Resource'])
    // Without a kind only the grammar counts.
    for (const doc of [withPrincipal, noResource, noPrincipal, trustWithResource])
      expect(errors(parsePolicy(doc))).toEqual([])
  })

  it('warns about duplicate Sids, odd Sids in identity policies and non-ARN resources', () => {
    const r = parsePolicy(
      policyOf(
        { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
        { Sid: 'Read', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'my-bucket' },
        { Sid: 'Write data', Effect: 'Allow', Action: 's3:PutObject', Resource: '*' },
      ),
      { kind: 'identity' },
    )
    expect(r.policy.statements).toHaveLength(3)
    expect(warnings(r)).toEqual(['$.Statement[1].Sid', '$.Statement[1].Resource', '$.Statement[2].Sid'])
    expect(messageAt(r, '$.Statement[1].Sid')).toContain('$.Statement[0]')
  })

  it('warns that policy variables are literal text outside Version 2012-10-17', () => {
    const home = 'home/${aws:username}/'
    const statement = {
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${home}*`,
      Condition: { StringLike: { 's3:prefix': [home] } },
    }
    expect(warnings(parsePolicy({ Version: '2008-10-17', Statement: [statement] }))).toEqual([
      '$.Statement[0].Resource',
      "$.Statement[0].Condition.StringLike['s3:prefix'][0]",
    ])
    expect(parsePolicy(policyOf(statement)).problems).toEqual([])
  })
})

describe('conditions', () => {
  const conditionOf = (Condition: unknown) =>
    parsePolicy(policyOf({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition }))

  it('splits set operators and IfExists', () => {
    expect(parseConditionOperator('ForAnyValue:StringLikeIfExists')).toEqual({
      baseOperator: 'StringLike',
      setOperator: 'ForAnyValue',
      ifExists: true,
    })
    expect(parseConditionOperator('NumericLessThanEquals')).toEqual({
      baseOperator: 'NumericLessThanEquals',
      ifExists: false,
    })
    for (const bad of [
      'NullIfExists',
      'ForSomeValues:StringLike',
      'StringEqualz',
      'stringequals',
      'IfExists',
    ]) {
      expect(typeof parseConditionOperator(bad)).toBe('string')
    }
  })

  it('reads conditions, turning numbers and booleans into text', () => {
    const r = conditionOf({
      'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['team-*', 'cost?center'] },
      NumericLessThan: { 's3:max-keys': 10 },
      DateGreaterThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' },
      IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] },
      Null: { 'aws:TokenIssueTime': true },
      'ForAllValues:StringEqualsIgnoreCase': { 'aws:TagKeys': 'Team' },
    })
    expect(r.problems).toEqual([])
    const conditions = r.policy.statements[0]?.conditions ?? []
    expect(conditions[0]).toEqual({
      operator: 'ForAnyValue:StringLikeIfExists',
      baseOperator: 'StringLike',
      setOperator: 'ForAnyValue',
      ifExists: true,
      key: 'aws:TagKeys',
      values: ['team-*', 'cost?center'],
    })
    expect(conditions.map((c) => c.values.join(','))).toEqual([
      'team-*,cost?center',
      '10',
      '2025-01-01T00:00:00Z',
      '203.0.113.0/24,2001:db8::/32',
      'true',
      'Team',
    ])
  })

  it('rejects unknown operators and bad values, leaving the statement out', () => {
    const unknown = conditionOf({ StringEqualz: { 'aws:PrincipalOrgID': 'o-abc' } })
    expect(unknown.policy.statements).toEqual([])
    expect(errors(unknown)).toEqual(['$.Statement[0].Condition.StringEqualz'])
    expect(errors(conditionOf({ 'ForAnyValue:NullIfExists': { 'aws:x': 'true' } }))).toEqual([
      "$.Statement[0].Condition['ForAnyValue:NullIfExists']",
    ])
    expect(errors(conditionOf({ StringEquals: { 'aws:PrincipalTag/team': null } }))).toEqual([
      "$.Statement[0].Condition.StringEquals['aws:PrincipalTag/team']",
    ])
    expect(errors(conditionOf({ StringEquals: { 'aws:SourceVpce': ['vpce-1', { Ref: 'Vpce' }] } }))).toEqual([
      "$.Statement[0].Condition.StringEquals['aws:SourceVpce'][1]",
    ])
    expect(errors(conditionOf({ StringEquals: 'aws:SourceVpce' }))).toEqual([
      '$.Statement[0].Condition.StringEquals',
    ])
    expect(errors(conditionOf(['StringEquals']))).toEqual(['$.Statement[0].Condition'])
  })

  it('warns about values that cannot match their operator', () => {
    const r = conditionOf({
      Bool: { 'aws:MultiFactorAuthPresent': 'yes' },
      NumericLessThan: { 's3:max-keys': 'ten' },
      DateLessThan: { 'aws:CurrentTime': 'tomorrow' },
      NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '10.0.0.300'] },
      StringEquals: { SourceAccount: [] },
    })
    expect(r.policy.statements).toHaveLength(1)
    expect(warnings(r)).toEqual([
      "$.Statement[0].Condition.Bool['aws:MultiFactorAuthPresent']",
      "$.Statement[0].Condition.NumericLessThan['s3:max-keys']",
      "$.Statement[0].Condition.DateLessThan['aws:CurrentTime']",
      "$.Statement[0].Condition.NotIpAddress['aws:SourceIp'][1]",
      '$.Statement[0].Condition.StringEquals.SourceAccount',
      '$.Statement[0].Condition.StringEquals.SourceAccount',
    ])
  })
})

describe('policyToJson', () => {
  it('gives a normalized document with stable key order, lists and sorted values', () => {
    const r = parsePolicy({
      Statement: {
        Condition: {
          StringLike: { 'aws:b': ['y', 'x'], 'aws:a': 'z' },
          Bool: { 'aws:SecureTransport': 'true' },
        },
        Resource: 'arn:aws:s3:::b/*',
        Action: ['s3:PutObject', 's3:GetObject', 's3:GetObject'],
        Principal: { Service: 'b.amazonaws.com', AWS: '111122223333' },
        Effect: 'Allow',
        Sid: 'S',
      },
      Id: 'P',
      Version: V,
    })
    expect(JSON.stringify(policyToJson(r.policy))).toBe(
      JSON.stringify({
        Version: V,
        Id: 'P',
        Statement: [
          {
            Sid: 'S',
            Effect: 'Allow',
            Principal: { AWS: ['111122223333'], Service: ['b.amazonaws.com'] },
            Action: ['s3:GetObject', 's3:PutObject'],
            Resource: ['arn:aws:s3:::b/*'],
            Condition: {
              Bool: { 'aws:SecureTransport': ['true'] },
              StringLike: { 'aws:a': ['z'], 'aws:b': ['x', 'y'] },
            },
          },
        ],
      }),
    )
  })

  it('round-trips through parsePolicy', () => {
    const r = parsePolicy(
      policyOf(
        { Effect: 'Deny', NotPrincipal: { AWS: ['*'] }, NotAction: 'iam:*', NotResource: '*' },
        {
          Effect: 'Allow',
          Principal: { Federated: 'accounts.google.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
        },
      ),
    )
    const again = parsePolicy(policyToJson(r.policy))
    expect(again.problems).toEqual([])
    expect(again.policy).toEqual(r.policy)
  })
})

describe('robustness', () => {
  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.json(), fc.string()), (input) => {
        const r = parsePolicy(input, { kind: 'identity' })
        expect(Array.isArray(r.policy.statements)).toBe(true)
        policyToJson(r.policy)
      }),
      { numRuns: 500 },
    )
  })
})
