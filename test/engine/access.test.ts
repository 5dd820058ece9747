import { describe, expect, it } from 'vitest'
import { effectiveAccess } from '../../src/engine/access.js'
import type { AccessMap, Grant } from '../../src/engine/types.js'
import { bucket, HOME, model, OTHER, policy, role, trustAccount, trustService, user } from './modelBuilder.js'

const readKyc = policy('read-kyc', [
  {
    Sid: 'ReadKyc',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: ['arn:aws:s3:::kyc-docs', 'arn:aws:s3:::kyc-docs/*'],
  },
])

function grantsOf(map: AccessMap, name: string): Grant[] {
  const found = map.principals.find((p) => p.principal.name === name)
  if (found === undefined) throw new Error(`no principal ${name}`)
  return found.grants
}

function capabilitiesOn(map: AccessMap, resourceName: string): Record<string, string[]> {
  const resource = map.resources.find((r) => r.resource.name === resourceName)!
  return Object.fromEntries(resource.whoCan.map((w) => [w.principal, w.capabilities]))
}

describe('effective access', () => {
  it('groups a role’s actions as capabilities on each resource, with the statement that allows them', () => {
    const map = effectiveAccess(
      model([role('payments-api', [readKyc], trustService('ecs-tasks.amazonaws.com'))], [bucket('kyc-docs')]),
    )
    const grants = grantsOf(map, 'payments-api')
    const read = grants.find((g) => g.resource.endsWith('/*'))!
    expect(read).toMatchObject({
      service: 's3',
      resource: 'arn:aws:s3:::kyc-docs/*',
      actions: ['s3:GetObject'],
      conditional: false,
    })
    expect(read.resourceAddress).toBe('aws_s3_bucket.kyc_docs')
    expect(read.via).toBe('read-kyc ReadKyc (infra/iam.tf:1)')
    // ListBucket applies to the bucket, not to its objects: each action stays on its resource type.
    // Listing keys is reading data in k9's model.
    expect(grants.find((g) => g.resource === 'arn:aws:s3:::kyc-docs')).toMatchObject({
      capability: 'read-data',
      actions: ['s3:ListBucket'],
    })
    expect(grants).toHaveLength(2)
  })

  it('a Deny in a second policy removes access; a conditional Deny does not', () => {
    const deny = policy('deny-kyc', [
      { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::kyc-docs/*' },
    ])
    const conditionalDeny = policy('deny-kyc-unless-vpce', [
      {
        Effect: 'Deny',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::kyc-docs/*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c' } },
      },
    ])
    const denied = effectiveAccess(
      model([role('app', [readKyc, deny], trustAccount())], [bucket('kyc-docs')]),
    )
    expect(grantsOf(denied, 'app').flatMap((g) => g.actions)).toEqual(['s3:ListBucket'])
    const conditional = effectiveAccess(
      model([role('app', [readKyc, conditionalDeny], trustAccount())], [bucket('kyc-docs')]),
    )
    const read = grantsOf(conditional, 'app').find((g) => g.actions.includes('s3:GetObject'))!
    expect(read.limitedBy?.map((s) => s.policyName)).toEqual(['deny-kyc-unless-vpce'])
  })

  it('a permissions boundary without the action removes access (iam-vulnerable fp2 shape)', () => {
    const boundary = policy(
      'boundary',
      [{ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: '*' }],
      'boundary',
      'boundary',
    )
    const map = effectiveAccess(
      model([role('app', [readKyc], trustAccount(), { boundary })], [bucket('kyc-docs')]),
    )
    expect(grantsOf(map, 'app').map((g) => `${g.resource} ${g.actions.join(',')}`)).toEqual([
      'arn:aws:s3:::kyc-docs s3:ListBucket',
    ])
  })

  it('a grant on * is reported once and counts in who-can for every bucket', () => {
    const admin = policy('s3-admin', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])
    const map = effectiveAccess(model([user('ops', [admin])], [bucket('kyc-docs'), bucket('logs')]))
    const reads = grantsOf(map, 'ops').filter((g) => g.capability === 'read-data')
    expect(reads.map((g) => g.resource)).toEqual(['*'])
    expect(capabilitiesOn(map, 'kyc-docs').ops).toContain('read-data')
    expect(capabilitiesOn(map, 'logs').ops).toContain('delete-data')
  })

  it('a bucket policy naming another account gives that account access, with no identity policy in the tree', () => {
    const shared = bucket('kyc-docs', [
      {
        Sid: 'Partner',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${OTHER}:root` },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::kyc-docs/reports/*',
      },
    ])
    const map = effectiveAccess(model([], [shared]))
    const partner = map.principals.find((p) => p.principal.account === OTHER)!
    expect(partner.external).toBe(true)
    expect(partner.grants).toMatchObject([
      { capability: 'read-data', resource: 'arn:aws:s3:::kyc-docs/reports/*', actions: ['s3:GetObject'] },
    ])
    expect(capabilitiesOn(map, 'kyc-docs')[`account ${OTHER}`]).toEqual(['read-data'])
  })

  it('a bucket policy Deny removes a wildcard holder from who-can for that bucket only', () => {
    const admin = policy('s3-admin', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])
    const locked = bucket('kyc-docs', [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: ['arn:aws:s3:::kyc-docs', 'arn:aws:s3:::kyc-docs/*'],
      },
    ])
    const map = effectiveAccess(model([user('ops', [admin])], [locked, bucket('logs')]))
    expect(capabilitiesOn(map, 'kyc-docs').ops).toBeUndefined()
    expect(capabilitiesOn(map, 'logs').ops).toContain('read-data')
  })

  it('who-can through a path counts what the role reached can do on the resource, not what its grants say elsewhere', () => {
    // ops may assume reader; reader's s3:* on every bucket meets a bucket whose policy denies reader
    // everything but reads. Through reader, ops can read kyc-docs but not write it; it still writes logs.
    const admin = policy('s3-all', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])
    const assume = policy('assume-reader', [
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${HOME}:role/reader` },
    ])
    const locked = bucket('kyc-docs', [
      {
        Effect: 'Deny',
        Principal: { AWS: `arn:aws:iam::${HOME}:role/reader` },
        NotAction: ['s3:GetObject', 's3:ListBucket'],
        Resource: ['arn:aws:s3:::kyc-docs', 'arn:aws:s3:::kyc-docs/*'],
      },
    ])
    const map = effectiveAccess(
      model(
        [role('ops', [assume], trustAccount()), role('reader', [admin], trustAccount())],
        [locked, bucket('logs')],
      ),
    )
    const kyc = map.resources.find((r) => r.resource.name === 'kyc-docs')!.whoCan
    const viaReader = kyc.find((w) => w.principal === 'ops')!
    expect(viaReader.via).toBe('assume role reader')
    expect(viaReader.capabilities).toEqual(kyc.find((w) => w.principal === 'reader')!.capabilities)
    expect(viaReader.capabilities).toContain('read-data')
    expect(viaReader.capabilities).not.toContain('write-data')
    expect(capabilitiesOn(map, 'logs').ops).toContain('write-data')
  })

  it('symbolic ARNs match exactly the resource they refer to, never as policy variables', () => {
    const symbolic = {
      ...bucket('kyc'),
      arn: '${aws_s3_bucket.kyc.arn}',
      childArns: ['${aws_s3_bucket.kyc.arn}/*'],
    }
    const reader = policy('reader', [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '${aws_s3_bucket.kyc.arn}/*' },
    ])
    const map = effectiveAccess(model([role('app', [reader], trustAccount())], [symbolic, bucket('other')]))
    expect(capabilitiesOn(map, 'kyc').app).toEqual(['read-data'])
    expect(capabilitiesOn(map, 'other').app).toBeUndefined()
  })

  it('follows a three-hop assume-role chain and says how', () => {
    const assumeAny = (target: string) =>
      policy(`assume-${target}`, [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${HOME}:role/${target}` },
      ])
    const trust = (from: string) => [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HOME}:role/${from}` }, Action: 'sts:AssumeRole' },
    ]
    const map = effectiveAccess(
      model(
        [
          role('ci', [assumeAny('deployer')], trustAccount()),
          role('deployer', [assumeAny('operator')], trust('ci')),
          role('operator', [assumeAny('data-reader')], trust('deployer')),
          role('data-reader', [readKyc], trust('operator')),
        ],
        [bucket('kyc-docs')],
      ),
    )
    const read = grantsOf(map, 'ci').find((g) => g.capability === 'read-data')!
    expect(read.path).toEqual([
      `arn:aws:iam::${HOME}:role/deployer`,
      `arn:aws:iam::${HOME}:role/operator`,
      `arn:aws:iam::${HOME}:role/data-reader`,
    ])
    expect(read.via).toMatch(/^assume role deployer, then assume role operator, then assume role data-reader/)
    expect(capabilitiesOn(map, 'kyc-docs').ci).toEqual(['read-data'])
    // Without the identity allow, a trust naming the account is not enough.
    const noIdentity = effectiveAccess(
      model([role('ci', [], trustAccount()), role('data-reader', [readKyc], trustAccount())]),
    )
    expect(noIdentity.edges).toEqual([])
  })

  it('a same-account trust naming the principal suffices on its own', () => {
    const trust = [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HOME}:user/alice` }, Action: 'sts:AssumeRole' },
    ]
    const map = effectiveAccess(
      model([user('alice', []), role('data-reader', [readKyc], trust)], [bucket('kyc-docs')]),
    )
    expect(map.edges.map((e) => `${e.kind} ${e.description}`)).toEqual([
      'assume-role assume role data-reader',
    ])
  })

  it('finds a pass-role path to Lambda and an effective administrator behind it', () => {
    const admin = policy(
      'AdministratorAccess',
      [{ Effect: 'Allow', Action: '*', Resource: '*' }],
      'aws-managed',
    )
    const passer = policy('lambda-deployer', [
      { Effect: 'Allow', Action: ['iam:PassRole'], Resource: `arn:aws:iam::${HOME}:role/high-priv` },
      { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
    ])
    const map = effectiveAccess(
      model(
        [user('dev', [passer]), role('high-priv', [admin], trustService('lambda.amazonaws.com'))],
        [bucket('kyc-docs')],
      ),
    )
    const fromDev = map.edges.filter((e) => e.from === `arn:aws:iam::${HOME}:user/dev`)
    expect(fromDev).toMatchObject([{ kind: 'pass-role', actions: ['iam:PassRole', 'lambda:CreateFunction'] }])
    const dev = map.principals.find((p) => p.principal.name === 'dev')!
    expect(dev.isAdmin).toBe(true)
    expect(dev.adminReason).toMatch(/^pass role high-priv to lambda/)
    expect(capabilitiesOn(map, 'kyc-docs').dev).toContain('read-data')
    // Without lambda:CreateFunction there is no path.
    const noLaunch = policy('pass-only', [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }])
    const none = effectiveAccess(
      model([user('dev', [noLaunch]), role('high-priv', [admin], trustService('lambda.amazonaws.com'))]),
    )
    expect(none.edges.filter((e) => e.kind === 'pass-role')).toEqual([])
  })

  it('sees self-modification and credential creation as paths', () => {
    const selfEdit = policy('self-edit', [
      { Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: `arn:aws:iam::${HOME}:user/bob` },
    ])
    const keys = policy('keys', [
      { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${HOME}:user/*` },
    ])
    const map = effectiveAccess(
      model([user('bob', [selfEdit]), user('carol', [keys]), user('dave', [readKyc])], [bucket('kyc-docs')]),
    )
    expect(map.principals.find((p) => p.principal.name === 'bob')!.isAdmin).toBe(true)
    expect(
      map.edges
        .filter((e) => e.kind === 'user-credentials' && e.from.endsWith('carol'))
        .map((e) => e.to)
        .sort(),
    ).toEqual([`arn:aws:iam::${HOME}:user/bob`, `arn:aws:iam::${HOME}:user/dave`])
    // Keys for bob, who can rewrite his own policies, make carol an administrator too.
    const carol = map.principals.find((p) => p.principal.name === 'carol')!
    expect(carol.isAdmin).toBe(true)
    expect(carol.adminReason).toBe(
      'iam:CreateAccessKey for user bob: can change its own policies (iam:PutUserPolicy)',
    )
    expect(capabilitiesOn(map, 'kyc-docs').carol).toHaveLength(6)
    // Without bob, carol reaches dave's access only.
    const small = effectiveAccess(
      model([user('carol', [keys]), user('dave', [readKyc])], [bucket('kyc-docs')]),
    )
    expect(capabilitiesOn(small, 'kyc-docs').carol).toEqual(['read-data'])
    expect(grantsOf(small, 'carol').find((g) => g.capability === 'read-data')!.via).toMatch(
      /^iam:CreateAccessKey for user dave/,
    )
  })

  it('a public-read ACL opens the objects to everyone, with no policy saying so', () => {
    const open = {
      ...bucket('press-kit'),
      publicAccess: { capabilities: ['read-data'], reason: 'canned ACL public-read (infra/s3.tf:9)' },
    }
    const map = effectiveAccess(model([], [open, bucket('private')]))
    expect(capabilitiesOn(map, 'press-kit')['everyone (public)']).toEqual(['read-data'])
    expect(capabilitiesOn(map, 'private')['everyone (public)']).toBeUndefined()
    const objects = grantsOf(map, 'everyone (public)').find((g) => g.resource === 'arn:aws:s3:::press-kit/*')!
    expect(objects.actions).toContain('s3:GetObject')
    expect(objects.actions).not.toContain('s3:PutObject')
    expect(objects.via).toBe('canned ACL public-read (infra/s3.tf:9)')
  })

  it('a trust to everyone narrowed by aws:PrincipalArn admits only the principals it names', () => {
    const assume = policy('assume', [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }])
    const trust = [
      {
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 'sts:AssumeRole',
        Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${HOME}:role/ci-*` } },
      },
    ]
    const map = effectiveAccess(
      model(
        [
          role('ci-deploy', [assume], trustAccount()),
          role('app', [assume], trustAccount()),
          role('target', [readKyc], trust),
        ],
        [bucket('kyc-docs')],
      ),
    )
    const toTarget = map.edges.filter((e) => e.to.endsWith('role/target')).map((e) => e.from)
    expect(toTarget).toEqual([`arn:aws:iam::${HOME}:role/ci-deploy`])
    expect(capabilitiesOn(map, 'kyc-docs')['everyone (public)']).toBeUndefined()
  })
})
