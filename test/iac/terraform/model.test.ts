import { describe, expect, it } from 'vitest'
import { effectiveAccess } from '../../../src/engine/access.js'
import { loadFixture, principal, resource } from './helpers.js'

const KYC_ARN = 'arn:aws:s3:::${aws_s3_bucket.kyc.bucket}'

describe('the app fixture', async () => {
  const result = await loadFixture('app')
  const { model, coverage } = result

  it('a role with trust, inline, attached, AWS managed and boundary policies, each located', () => {
    const app = principal(result, 'aws_iam_role.app')
    expect(app.id).toBe('arn:aws:iam::${AWS.AccountId}:role/payments-prod-app')
    expect(app.location).toEqual({ file: 'iam.tf', line: 35 })
    expect(app.tags).toEqual({ Application: 'payments' })
    expect(app.trustPolicy?.statementLocations?.[0]).toEqual({ file: 'iam.tf', line: 2 })
    expect(app.policies.map((p) => [p.name, p.origin])).toEqual([
      ['logs', 'inline'],
      ['ReadOnlyAccess', 'aws-managed'],
      ['payments-prod-kyc-read', 'customer-managed'],
      ['tmp', 'inline'],
    ])
    expect(app.boundary?.name).toBe('payments-prod-boundary')
    expect(app.boundary?.statementLocations?.[0]).toEqual({ file: 'policies/boundary.json', line: 4 })
    const kyc = app.policies.find((p) => p.name === 'payments-prod-kyc-read')!
    expect(kyc.document.statements.map((s) => s.sid)).toEqual([
      'ReadKyc',
      'Paramanalytics',
      'Paramaudit',
      'OwnPrefix',
    ])
    expect(kyc.document.statements[0]?.resource).toEqual([KYC_ARN, `${KYC_ARN}/*`])
    expect(kyc.document.statements[1]?.resource).toEqual([
      'arn:aws:ssm:eu-west-1:${AWS.AccountId}:parameter/reports-reader',
    ])
    expect(kyc.document.statements[3]?.resource).toEqual([
      'arn:aws:s3:::payments-prod-reports/home/${aws:username}/*',
    ])
    expect(kyc.statementLocations?.[0]).toEqual({ file: 'iam.tf', line: 13 })
    expect(kyc.statementLocations?.[1]).toEqual({ file: 'iam.tf', line: 21 })
    const tmp = app.policies.find((p) => p.name === 'tmp')!
    expect(tmp.document.statements[0]?.resource).toEqual(['arn:aws:s3:::tmp-${aws:username}/*'])
    expect(tmp.statementLocations?.[0]).toEqual({ file: 'iam.tf', line: 76 })
    expect(app.policies[0]?.statementLocations?.[0]).toEqual({ file: 'iam.tf', line: 45 })
  })

  it('count instances, group membership and group policies', () => {
    const alice = principal(result, 'aws_iam_user.alice[0]')
    expect(alice.name).toBe('alice-0')
    principal(result, 'aws_iam_user.alice[1]')
    const group = principal(result, 'aws_iam_group.auditors')
    expect(alice.groups).toEqual([group.id])
    expect(group.policies.map((p) => p.name)).toEqual(['SecurityAudit'])
  })

  it('buckets with tags, symbolic names and their separate bucket policy', () => {
    const kyc = resource(result, 'aws_s3_bucket.kyc')
    expect(kyc).toMatchObject({ arn: KYC_ARN, childArns: [`${KYC_ARN}/*`], holdsData: true, service: 's3' })
    expect(kyc.tags).toEqual({ Application: 'payments', Confidentiality: 'Restricted' })
    const reports = resource(result, 'aws_s3_bucket.reports')
    expect(reports.policy?.document.statements[0]?.principal).toEqual([
      { kind: 'AWS', value: 'arn:aws:iam::${var.partner_account}:root' },
    ])
    expect(reports.policy?.statementLocations?.[0]).toEqual({ file: 'main.tf', line: 52 })
    expect(coverage.unresolved).toContainEqual({
      file: 'main.tf',
      line: 22,
      expression: 'var.partner_account (no value: no default, no tfvars, no input)',
    })
  })

  it('a lambda permission is a statement of the function policy', () => {
    const fn = resource(result, 'aws_lambda_function.report')
    expect(fn.arn).toBe('arn:aws:lambda:eu-west-1:${AWS.AccountId}:function:payments-prod-report')
    const s = fn.policy?.document.statements[0]
    expect(s?.sid).toBe('AllowS3')
    expect(s?.principal).toEqual([{ kind: 'Service', value: 's3.amazonaws.com' }])
    expect(fn.policy?.statementLocations?.[0]).toEqual({ file: 'iam.tf', line: 110 })
  })

  it('a local module with for_each, inputs and its queue policy', () => {
    const orders = resource(result, 'module.queues["orders"].aws_sqs_queue.this')
    expect(orders.arn).toBe('arn:aws:sqs:eu-west-1:${AWS.AccountId}:payments-prod-orders')
    expect(orders.policy?.document.statements[0]?.principal).toEqual([
      { kind: 'AWS', value: 'arn:aws:iam::${AWS.AccountId}:role/payments-prod-app' },
    ])
    expect(orders.policy?.statementLocations?.[0]).toEqual({ file: 'modules/queue/main.tf', line: 13 })
    resource(result, 'module.queues["refunds"].aws_sqs_queue.this')
  })

  it('no errors, and the home account is symbolic', () => {
    expect(coverage.errors).toEqual([])
    expect(model.homeAccounts).toEqual(['${AWS.AccountId}'])
    expect(coverage.filesAnalyzed).toBe(3)
  })

  it('end to end: the role reads the symbolic kyc bucket, and who-can lists it', async () => {
    // Without ReadOnlyAccess, whose s3:GetObject on * would hide the grant on the bucket itself.
    const fresh = await loadFixture('app')
    const role = principal(fresh, 'aws_iam_role.app')
    role.policies = role.policies.filter((p) => p.origin !== 'aws-managed')
    const map = effectiveAccess(fresh.model)
    const app = map.principals.find((p) => p.principal.address === 'aws_iam_role.app')!
    const onKyc = app.grants.filter((g) => g.resourceAddress === 'aws_s3_bucket.kyc')
    const objects = onKyc.find((g) => g.resource === `${KYC_ARN}/*` && g.capability === 'read-data')
    expect(objects?.actions).toContain('s3:GetObject')
    expect(objects?.via).toMatch(/payments-prod-kyc-read ReadKyc \(iam\.tf:13\)/)
    const whoCan = map.resources.find((r) => r.resource.address === 'aws_s3_bucket.kyc')!.whoCan
    expect(whoCan.find((w) => w.principal === 'payments-prod-app')?.capabilities).toContain('read-data')
  })
})

describe('home account configured', () => {
  it('puts the account in ARNs and data.aws_caller_identity', async () => {
    const result = await loadFixture('app', { homeAccount: '123456789012' })
    expect(principal(result, 'aws_iam_role.app').arn).toBe('arn:aws:iam::123456789012:role/payments-prod-app')
    expect(result.model.homeAccounts).toEqual(['123456789012'])
  })
})
