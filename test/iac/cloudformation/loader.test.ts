import { describe, expect, it } from 'vitest'
import { loadFixture, principal, resource } from './helpers.js'

describe('loadCloudFormation on a two-template tree', () => {
  const result = loadFixture('app')
  const role = principal(result, 'payments/PaymentsRole')

  it('finds both templates and ignores YAML that is not a template', () => {
    expect(result.coverage.filesAnalyzed).toBe(2)
    expect(result.coverage.errors).toEqual([])
    expect(result.model.homeAccounts).toEqual(['${AWS.AccountId}'])
  })

  it('prefixes a logical id that two templates define with the stack name', () => {
    expect(role.arn).toBe('arn:aws:iam::${AWS.AccountId}:role/app/payments-api-prod')
    const other = principal(result, 'shared/PaymentsRole')
    expect(other.id).toBe('arn:aws:iam::${AWS.AccountId}:role/${shared/PaymentsRole.RoleName}')
    expect(other.name).toBe('PaymentsRole')
    expect(other.location).toEqual({ file: 'shared.json', line: 8 })
  })

  it('gives a role its inline, AWS managed and customer managed policies, boundary and trust', () => {
    expect(role.name).toBe('payments-api-prod')
    expect(role.policies.map((p) => [p.origin, p.id])).toEqual([
      ['inline', 'payments/PaymentsRole.kyc-read'],
      ['aws-managed', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      ['customer-managed', 'PaymentsReadPolicy'],
      ['inline', 'SharedRead'],
    ])
    expect(role.boundary?.origin).toBe('boundary')
    expect(role.boundary?.name).toBe('payments-boundary')
    expect(role.trustPolicy?.document.statements[0]?.principal).toEqual([
      { kind: 'Service', value: 'lambda.amazonaws.com' },
    ])
    expect(role.tags).toEqual({ Application: 'payments' })
  })

  it('keeps the line of every statement', () => {
    const inline = role.policies[0]!
    expect(inline.statementLocations).toEqual({
      0: { file: 'payments.yaml', line: 36 },
      1: { file: 'payments.yaml', line: 42 },
    })
    expect(role.trustPolicy?.statementLocations?.[0]).toEqual({ file: 'payments.yaml', line: 24 })
    const json = principal(result, 'shared/PaymentsRole').trustPolicy!
    expect(json.statementLocations?.[0]).toEqual({ file: 'shared.json', line: 14 })
  })

  it('resolves an import through the export of another template', () => {
    const shared = role.policies.find((p) => p.id === 'SharedRead')!
    expect(shared.document.statements[0]?.resource).toEqual([
      'arn:aws:secretsmanager:${AWS.Region}:${AWS.AccountId}:secret:shared/db-${SecretSuffix}',
    ])
  })

  it('makes a bucket with a symbolic name, tags, objects and its bucket policy', () => {
    const bucket = resource(result, 'KycBucket')
    expect(bucket).toMatchObject({
      type: 'AWS::S3::Bucket',
      service: 's3',
      arn: 'arn:aws:s3:::${KycBucket.BucketName}',
      childArns: ['arn:aws:s3:::${KycBucket.BucketName}/*'],
      holdsData: true,
      tags: { Confidentiality: 'Restricted' },
      location: { file: 'payments.yaml', line: 68 },
    })
    expect(bucket.policy?.origin).toBe('resource')
    expect(bucket.policy?.document.statements.map((s) => s.sid)).toEqual([
      'DenyInsecureTransport',
      'AuditRead',
    ])
    // The account id parameter keeps its leading zero.
    expect(bucket.policy?.document.statements[1]?.principal).toEqual([
      { kind: 'AWS', value: 'arn:aws:iam::012345678901:root' },
    ])
    expect(bucket.policy?.statementLocations?.[1]).toEqual({ file: 'payments.yaml', line: 86 })
  })

  it('reads a KMS key policy and a queue policy written as JSON in !Sub', () => {
    const key = resource(result, 'KycKey')
    expect(key.arn).toBe('arn:aws:kms:${AWS.Region}:${AWS.AccountId}:key/${KycKey.KeyId}')
    expect(key.policy?.document.statements[0]?.action).toEqual(['kms:*'])
    const queue = resource(result, 'PaymentsQueue')
    expect(queue.name).toBe('payments')
    expect(queue.policy?.document.statements[0]?.resource).toEqual([
      'arn:aws:sqs:${AWS.Region}:${AWS.AccountId}:payments',
    ])
  })

  it('turns Lambda permissions into statements of the function policy, with conditions', () => {
    const fn = resource(result, 'PaymentsFunction')
    const [partner, events] = fn.policy!.document.statements
    expect(partner?.principal).toEqual([{ kind: 'AWS', value: '${PartnerAccount}' }])
    expect(events?.principal).toEqual([{ kind: 'Service', value: 'events.amazonaws.com' }])
    expect(events?.conditions.map((c) => [c.operator, c.key])).toEqual([['ArnLike', 'aws:SourceArn']])
    expect(events?.resource).toEqual(['arn:aws:lambda:${AWS.Region}:${AWS.AccountId}:function:payments-api'])
    expect(result.coverage.unresolved).toContainEqual({
      file: 'payments.yaml',
      line: 118,
      expression: 'Condition HasPartner (undecided: both branches kept)',
    })
  })

  it('attaches group policies and memberships from User.Groups and UserToGroupAddition', () => {
    const group = principal(result, 'Operators')
    expect(group.policies.map((p) => p.name)).toEqual(['operators-read'])
    expect(principal(result, 'Alice').groups).toEqual([group.id])
    expect(principal(result, 'Bob').groups).toEqual([group.id])
    expect(principal(result, 'Bob').arn).toBe('arn:aws:iam::${AWS.AccountId}:user/${Bob.UserName}')
  })

  it('uses the configured home account', () => {
    const configured = loadFixture('app', { homeAccount: '111111111111' })
    expect(configured.model.homeAccounts).toEqual(['111111111111'])
    expect(principal(configured, 'Alice').arn).toBe('arn:aws:iam::111111111111:user/alice')
  })

  it('honours include and exclude globs', () => {
    expect(loadFixture('app', { exclude: ['**/shared.json'] }).coverage.filesAnalyzed).toBe(1)
    expect(loadFixture('app', { include: ['*.json'] }).coverage.filesAnalyzed).toBe(1)
  })
})
