import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/types.js'
import type { LoadResult } from '../../src/iac/types.js'
import { emptyCoverage } from '../../src/iac/types.js'
import type { Model } from '../../src/model/types.js'
import { analyze, report } from '../../src/risk/analyze.js'
import {
  bucket,
  HOME,
  model,
  OTHER,
  policy,
  role,
  trustAccount,
  trustService,
  user,
} from '../engine/modelBuilder.js'

const load = (m: Model): LoadResult => ({ model: m, coverage: emptyCoverage() })
const config = { ...defaultConfig(), homeAccounts: [HOME] }
const kyc = (tag = 'Restricted') =>
  bucket('kyc-docs', undefined, { Confidentiality: tag, Application: 'payments' })
const logs = () => bucket('app-logs')
const readKyc = policy('read-kyc', [
  { Sid: 'ReadKyc', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kyc-docs/*' },
])
const readLogs = policy('read-logs', [
  { Sid: 'ReadLogs', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-logs/*' },
])
const ecs = trustService('ecs-tasks.amazonaws.com')
const task = (policies = [readKyc]) =>
  role('payments-api-task', policies, ecs, { tags: { Application: 'payments' } })

describe('analyze', () => {
  it('a new read-data on a Restricted bucket requests review and names it', () => {
    const r = analyze(
      load(model([task([])], [kyc(), logs()])),
      load(model([task()], [kyc(), logs()])),
      config,
    )
    expect(r.verdict).toMatchObject({ securityReview: true, risk: 'medium', blocking: false })
    expect(r.verdict.reasons[0]).toBe(
      'Confidential data is affected: role payments-api-task can now read data in kyc-docs (Restricted)',
    )
    // The ECS service runs the role: it is not a second principal gaining access.
    expect(r.principals.map((p) => p.name)).toEqual(['payments-api-task'])
    const [delta] = r.principals
    expect(delta).toMatchObject({
      application: 'payments',
      score: { base: 0, head: 72, delta: 72 },
      removed: [],
    })
    expect(delta!.added).toMatchObject([
      {
        capability: 'read-data',
        resource: 'arn:aws:s3:::kyc-docs/*',
        location: { file: 'infra/iam.tf', line: 1 },
        statement: 'ReadKyc',
        score: 72,
      },
    ])
    expect(r.score).toEqual({ base: 0, head: 72, delta: 72 })
    expect(r.dataResources).toMatchObject([
      {
        name: 'kyc-docs',
        confidentiality: 'Restricted',
        whoCan: { base: [], head: [{ principal: 'payments-api-task', capabilities: ['read-data'] }] },
      },
    ])
    expect(r.findings).toMatchObject([{ rule: 'data-access', status: 'new', severity: 'medium' }])
  })

  it('removing access never requests review, and says which statement stopped allowing it', () => {
    const r = analyze(load(model([task()], [kyc()])), load(model([task([])], [kyc()])), config)
    expect(r.verdict).toMatchObject({
      securityReview: false,
      risk: 'none',
      reasons: ['1 principal loses access'],
    })
    expect(r.principals[0]!.removedBecause).toEqual(['policy read-kyc (infra/iam.tf:1) is gone'])
    expect(r.policyChanges).toMatchObject([{ name: 'role/payments-api-task inline read-kyc', head: null }])
    expect(r.policyChanges![0]!.base).toContain('"s3:GetObject"')
    expect(r.findings).toMatchObject([{ rule: 'data-access', status: 'resolved' }])
    expect(r.score.delta).toBe(-72)
  })

  it('a Deny that now blocks a grant is named as the reason', () => {
    const deny = policy('deny-kyc', [
      { Sid: 'NoKyc', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::kyc-docs/*' },
    ])
    const r = analyze(load(model([task()], [kyc()])), load(model([task([readKyc, deny])], [kyc()])), config)
    expect(r.principals[0]!.removedBecause).toEqual(['denied by deny-kyc NoKyc (infra/iam.tf:1)'])
    expect(r.verdict.securityReview).toBe(false)
  })

  it('a narrowing gives only removals: s3:* on * replaced by two precise statements', () => {
    const broad = policy('app', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])
    const precise = policy('app', [
      { Sid: 'ReadKyc', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kyc-docs/*' },
      { Sid: 'WriteLogs', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::app-logs/*' },
    ])
    const r = analyze(
      load(model([task([broad])], [kyc(), logs()])),
      load(model([task([precise])], [kyc(), logs()])),
      config,
    )
    expect(r.principals).toHaveLength(1)
    expect(r.principals[0]!.added).toEqual([])
    expect(r.principals[0]!.removed.length).toBeGreaterThan(0)
    expect(r.principals[0]!.removed.every((g) => g.resource === '*')).toBe(true)
    expect(new Set(r.principals[0]!.removedBecause)).toEqual(
      new Set(['statement #0 of policy app (infra/iam.tf:1) changed']),
    )
    expect(r.verdict).toMatchObject({ securityReview: false, risk: 'none' })
    expect(r.score.delta).toBeLessThan(0)
  })

  it('a tag downgrade requests review and is a finding', () => {
    const r = analyze(
      load(model([task()], [kyc('Restricted')])),
      load(model([task()], [kyc('Internal')])),
      config,
    )
    expect(r.verdict.securityReview).toBe(true)
    expect(r.verdict.reasons[0]).toBe(
      'Confidentiality downgraded: kyc-docs was downgraded from Restricted to Internal',
    )
    expect(r.findings.filter((f) => f.status === 'new')).toMatchObject([
      { rule: 'classification-downgrade', severity: 'high', resource: 'kyc-docs' },
    ])
    expect(r.verdict.risk).toBe('high')
    expect(r.dataResources).toMatchObject([
      { name: 'kyc-docs', confidentiality: 'Internal', baseConfidentiality: 'Restricted' },
    ])
    // Same access, less data weight: the score goes down, and the principal is listed for it.
    expect(r.principals[0]!.score).toEqual({ base: 72, head: 18, delta: -54 })
    const removedTag = analyze(
      load(model([], [kyc('Confidential')])),
      load(model([], [bucket('kyc-docs')])),
      config,
    )
    expect(removedTag.verdict.securityReview).toBe(true)
    expect(removedTag.verdict.reasons[0]).toBe(
      'Confidentiality downgraded: The Confidentiality tag (Confidential) was removed from kyc-docs',
    )
  })

  it('a new cross-account trust is a finding; with confidential data behind it, a review', () => {
    const partner = (policies = [readLogs]) => role('partner-reader', policies, trustAccount(OTHER))
    const r = analyze(load(model([], [kyc(), logs()])), load(model([partner()], [kyc(), logs()])), config)
    expect(r.findings.filter((f) => f.status === 'new' && f.rule === 'cross-account-access')).toMatchObject([
      {
        severity: 'high',
        message: `role partner-reader can be assumed from unknown account ${OTHER} (arn:aws:iam::${OTHER}:root) without an sts:ExternalId condition`,
      },
    ])
    expect(r.verdict).toMatchObject({ risk: 'high', securityReview: false })
    const withData = analyze(
      load(model([], [kyc(), logs()])),
      load(model([partner([readKyc])], [kyc(), logs()])),
      config,
    )
    expect(withData.verdict.securityReview).toBe(true)
    expect(withData.verdict.reasons[0]).toBe(
      `Confidential data is exposed: account ${OTHER} (outside the home accounts) can now read data in kyc-docs (Restricted)`,
    )
  })

  it('a new admin path while the tree holds confidential data requests review', () => {
    const admin = policy(
      'AdministratorAccess',
      [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      'aws-managed',
    )
    const launch = policy('deployer', [
      { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
    ])
    const pass = policy('deployer', [
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:aws:iam::${HOME}:role/high-priv` },
      { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
    ])
    const highPriv = role('high-priv', [admin], trustService('lambda.amazonaws.com'))
    const base = model([user('dev', [launch]), highPriv], [kyc()])
    const head = model([user('dev', [pass]), highPriv], [kyc()])
    const r = analyze(load(base), load(head), config)
    expect(r.verdict.securityReview).toBe(true)
    expect(r.verdict.reasons[0]).toBe(
      'Confidential data is affected: user dev can now read, write and delete data in kyc-docs (Restricted) and administer it',
    )
    expect(r.verdict.reasons[1]).toMatch(
      /^New effective administrator while the tree holds confidential data: user dev \(pass role high-priv to lambda/,
    )
    expect(r.findings.find((f) => f.rule === 'admin-access' && f.principal === 'dev')?.status).toBe('new')
    expect(r.principals.find((p) => p.name === 'dev')!.added.map((g) => g.service)).toEqual([
      '*',
      '*',
      '*',
      '*',
      '*',
      '*',
    ])
    // The escalation rule may rate it critical: at least high either way.
    expect(['high', 'critical']).toContain(r.verdict.risk)
    expect(analyze(load(base), load(head), { ...config, failOn: ['high'] }).verdict.blocking).toBe(true)
    expect(analyze(load(base), load(head), { ...config, failOn: ['admin-access'] }).verdict.blocking).toBe(
      true,
    )
    expect(analyze(load(base), load(head), { ...config, failOn: ['public-access'] }).verdict.blocking).toBe(
      false,
    )
  })

  it('a condition whose values change is a changed grant; one whose patterns widen is a gain only', () => {
    const delivery = (sourceArn: string) =>
      bucket(
        'waf-logs',
        [
          {
            Effect: 'Allow',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: 'arn:aws:s3:::waf-logs/*',
            Condition: { ArnLike: { 'aws:SourceArn': sourceArn } },
          },
        ],
        { Confidentiality: 'Internal' },
      )
    const inRegion = `arn:aws:logs:eu-west-1:${HOME}:*`
    const anyRegion = `arn:aws:logs:*:${HOME}:*`
    const otherAccount = `arn:aws:logs:eu-west-1:${OTHER}:*`
    const service = (r: ReturnType<typeof analyze>) =>
      r.principals.find((p) => p.name === 'delivery.logs.amazonaws.com')
    // Same statement, same values: nothing changes.
    const same = analyze(load(model([], [delivery(inRegion)])), load(model([], [delivery(inRegion)])), config)
    expect(service(same)).toBeUndefined()
    // Any region instead of one: the service can write from more sources, and loses nothing.
    const wider = service(
      analyze(load(model([], [delivery(inRegion)])), load(model([], [delivery(anyRegion)])), config),
    )
    expect(wider?.added.map((g) => [g.capability, g.conditions])).toEqual([['write-data', ['aws:SourceArn']]])
    expect(wider?.removed).toEqual([])
    // Another account instead: what was allowed is gone, and something else is allowed.
    const moved = service(
      analyze(load(model([], [delivery(inRegion)])), load(model([], [delivery(otherAccount)])), config),
    )
    expect(moved?.added.map((g) => g.capability)).toEqual(['write-data'])
    expect(moved?.removed.map((g) => g.capability)).toEqual(['write-data'])
    // Narrowing back to one region: a removal only.
    const narrower = service(
      analyze(load(model([], [delivery(anyRegion)])), load(model([], [delivery(inRegion)])), config),
    )
    expect(narrower?.added).toEqual([])
    expect(narrower?.removed.map((g) => g.capability)).toEqual(['write-data'])
  })

  it('a trust condition whose value changes changes the grants inherited through it', () => {
    const provider = `arn:aws:iam::${HOME}:oidc-provider/token.actions.githubusercontent.com`
    const deployer = (issuer: string) =>
      role(
        'deployer',
        [readLogs],
        [
          {
            Effect: 'Allow',
            Principal: { Federated: provider },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: { StringEquals: { 'token.actions.githubusercontent.com:iss': issuer } },
          },
        ],
      )
    const r = analyze(
      load(model([deployer('http://token.actions.githubusercontent.com')], [logs()])),
      load(model([deployer('https://token.actions.githubusercontent.com')], [logs()])),
      config,
    )
    const federated = r.principals.find((p) => p.type === 'federated')
    expect(federated?.added.map((g) => [g.capability, g.resource, g.conditional])).toEqual([
      ['read-data', 'arn:aws:s3:::app-logs/*', true],
    ])
    expect(federated?.removed.map((g) => g.capability)).toEqual(['read-data'])
    // The role itself is not changed.
    expect(r.principals.find((p) => p.name === 'deployer')).toBeUndefined()
  })

  it('unchanged trees give risk none and no principals', () => {
    const m = () => model([task(), role('partner-reader', [readLogs], trustAccount(OTHER))], [kyc(), logs()])
    const r = analyze(load(m()), load(m()), config)
    expect(r.verdict).toEqual({
      risk: 'none',
      securityReview: false,
      blocking: false,
      reasons: ['No change in effective access'],
    })
    expect(r.principals).toEqual([])
    expect(r.dataResources).toEqual([])
    expect(r.findings.every((f) => f.status === 'unchanged')).toBe(true)
    expect(r.score.delta).toBe(0)
  })

  it('is deterministic: same input, identical JSON, whatever the order of the model', () => {
    const base = model([task([]), user('analyst', [readLogs])], [kyc(), logs()])
    const head = model([task(), user('analyst', [readLogs, readKyc])], [kyc(), logs()])
    const reversed = (m: Model): Model => ({
      ...m,
      principals: [...m.principals].reverse(),
      resources: [...m.resources].reverse(),
    })
    const once = JSON.stringify(analyze(load(base), load(head), config))
    expect(JSON.stringify(analyze(load(base), load(head), config))).toBe(once)
    expect(JSON.stringify(analyze(load(reversed(base)), load(reversed(head)), config))).toBe(once)
  })
})

describe('report', () => {
  it('gives one revision’s access, scores and findings', () => {
    const r = report(load(model([task()], [kyc(), logs()])), config)
    expect(r.score).toBe(72)
    expect(r.principals.find((p) => p.name === 'payments-api-task')).toMatchObject({
      isAdmin: false,
      score: 72,
      application: 'payments',
    })
    expect(r.dataResources.map((d) => `${d.name} ${d.confidentiality}`)).toEqual([
      'app-logs null',
      'kyc-docs Restricted',
    ])
    expect(r.findings).toMatchObject([{ rule: 'data-access', principal: 'payments-api-task' }])
  })
})
