/**
 * A deterministic, realistic organisation for the engine benchmark: roles, users and groups in one
 * home account with trust from services, the account and a partner account; buckets, tables,
 * queues, keys and secrets; identity statements spread over inline and shared managed policies.
 */
import { parsePolicy } from '../../src/iam/policy.js'
import type { PolicyKind } from '../../src/iam/types.js'
import type { Model, Policy, PolicyOrigin, Principal, Resource } from '../../src/model/types.js'

export const HOME = '111111111111'
export const PARTNER = '222222222222'
const REGION = 'eu-west-1'

export interface OrgSize {
  principals: number
  resources: number
  statements: number
}

type Json = Record<string, unknown>

/** mulberry32: small, fast, good enough for test data; a seed always gives the same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const TEAMS = [
  'payments',
  'kyc',
  'ledger',
  'search',
  'checkout',
  'identity',
  'reporting',
  'fraud',
  'notifications',
  'catalog',
  'billing',
  'analytics',
  'platform',
  'support',
  'marketing',
  'risk',
]

function makePolicy(id: string, statements: Json[], origin: PolicyOrigin, kind: PolicyKind): Policy {
  const parsed = parsePolicy({ Version: '2012-10-17', Statement: statements }, { kind })
  const errors = parsed.problems.filter((p) => p.severity === 'error')
  if (errors.length > 0) {
    throw new Error(
      `generated policy ${id} is invalid: ${errors.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    )
  }
  return {
    id,
    name: id.split('.').pop() ?? id,
    origin,
    document: parsed.policy,
    location: { file: 'infra/iam.tf', line: 1 },
  }
}

export function generateOrg(
  seed: number,
  size: OrgSize = { principals: 1000, resources: 2000, statements: 5000 },
): Model {
  const rnd = prng(seed)
  const int = (n: number): number => Math.floor(rnd() * n)
  const chance = (p: number): boolean => rnd() < p
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!
  const pickSome = <T>(items: readonly T[], n: number): T[] => {
    const out = new Set<T>()
    for (let i = 0; i < n * 3 && out.size < n; i++) out.add(pick(items))
    return [...out]
  }

  // ---- Resources -------------------------------------------------------------------------------
  const resources: Resource[] = []
  const byKind: Record<'bucket' | 'table' | 'queue' | 'key' | 'secret', Resource[]> = {
    bucket: [],
    table: [],
    queue: [],
    key: [],
    secret: [],
  }
  const kindFor = (i: number): keyof typeof byKind => {
    const r = (i * 7919) % 100
    if (r < 40) return 'bucket'
    if (r < 60) return 'table'
    if (r < 78) return 'queue'
    if (r < 85) return 'key'
    return 'secret'
  }
  for (let i = 0; i < size.resources; i++) {
    const kind = kindFor(i)
    const team = pick(TEAMS)
    const name = `${team}-${kind}-${i}`
    const address = (type: string) => `${type}.${name.replaceAll('-', '_')}`
    let resource: Resource
    switch (kind) {
      case 'bucket': {
        const arn = `arn:aws:s3:::${name}`
        resource = {
          id: address('aws_s3_bucket'),
          address: address('aws_s3_bucket'),
          type: 'aws_s3_bucket',
          service: 's3',
          name,
          arn,
          childArns: [`${arn}/*`],
          holdsData: true,
        }
        break
      }
      case 'table': {
        const arn = `arn:aws:dynamodb:${REGION}:${HOME}:table/${name}`
        resource = {
          id: address('aws_dynamodb_table'),
          address: address('aws_dynamodb_table'),
          type: 'aws_dynamodb_table',
          service: 'dynamodb',
          name,
          arn,
          childArns: [`${arn}/index/*`],
          holdsData: true,
        }
        break
      }
      case 'queue':
        resource = {
          id: address('aws_sqs_queue'),
          address: address('aws_sqs_queue'),
          type: 'aws_sqs_queue',
          service: 'sqs',
          name,
          arn: `arn:aws:sqs:${REGION}:${HOME}:${name}`,
          holdsData: true,
        }
        break
      case 'key':
        resource = {
          id: `${name}Key`,
          address: `${name}Key`,
          type: 'AWS::KMS::Key',
          service: 'kms',
          name,
          arn: `arn:aws:kms:${REGION}:${HOME}:key/${(0x10000000 + i).toString(16)}-0000-4000-8000-${i.toString().padStart(12, '0')}`,
          holdsData: false,
        }
        break
      case 'secret':
        resource = {
          id: address('aws_secretsmanager_secret'),
          address: address('aws_secretsmanager_secret'),
          type: 'aws_secretsmanager_secret',
          service: 'secretsmanager',
          name,
          arn: `arn:aws:secretsmanager:${REGION}:${HOME}:secret:${name}-Ab${i.toString(36)}`,
          holdsData: true,
        }
        break
    }
    resource.account = HOME
    resource.tags = { team }
    resource.location = { file: `infra/${team}.tf`, line: 1 + i }
    resources.push(resource)
    byKind[kind].push(resource)
  }

  // ---- Principals (names first, so policies can name roles) ------------------------------------
  const groupCount = Math.max(3, Math.round(size.principals * 0.01))
  const userCount = Math.round(size.principals * 0.15)
  const roleCount = size.principals - groupCount - userCount
  const roleArn = (name: string) => `arn:aws:iam::${HOME}:role/${name}`
  const roleNames = Array.from({ length: roleCount }, (_, i) => `${TEAMS[i % TEAMS.length]}-role-${i}`)
  const userNames = Array.from({ length: userCount }, (_, i) => `${TEAMS[i % TEAMS.length]}-user-${i}`)
  const groupNames = Array.from({ length: groupCount }, (_, i) => `${TEAMS[i % TEAMS.length]}-group-${i}`)

  // ---- Identity statements ---------------------------------------------------------------------
  const ACTIONS = {
    bucket: [
      ['s3:GetObject'],
      ['s3:GetObject', 's3:PutObject'],
      ['s3:ListBucket'],
      ['s3:PutObject', 's3:DeleteObject'],
    ],
    table: [
      ['dynamodb:GetItem', 'dynamodb:Query'],
      ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
      ['dynamodb:*'],
    ],
    queue: [['sqs:SendMessage'], ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], ['sqs:*']],
    key: [['kms:Decrypt'], ['kms:Encrypt', 'kms:GenerateDataKey'], ['kms:Decrypt', 'kms:DescribeKey']],
    secret: [
      ['secretsmanager:GetSecretValue'],
      ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    ],
  } as const
  const resourceArns = (r: Resource, kind: keyof typeof byKind, actions: readonly string[]): string[] =>
    kind === 'bucket' ? (actions.some((a) => a.endsWith('Object')) ? [`${r.arn}/*`] : [r.arn]) : [r.arn]

  const specific = (): Json => {
    const kind = kindFor(int(1000))
    const r = pick(byKind[kind])
    const actions: readonly string[] = pick<readonly string[]>(ACTIONS[kind])
    return { Effect: 'Allow', Action: [...actions], Resource: resourceArns(r, kind, actions) }
  }
  const bucketPattern = (): Json => {
    const team = pick(TEAMS)
    return {
      Effect: 'Allow',
      Action: chance(0.5) ? 's3:Get*' : ['s3:Get*', 's3:List*'],
      Resource: [`arn:aws:s3:::${team}-*`, `arn:aws:s3:::${team}-*/*`],
    }
  }
  const star = (): Json => ({
    Effect: 'Allow',
    Action: pick([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      ['cloudwatch:PutMetricData'],
      ['ec2:Describe*'],
      ['xray:PutTraceSegments'],
      ['s3:ListAllMyBuckets'],
      ['sqs:ListQueues'],
      ['dynamodb:ListTables'],
    ]),
    Resource: '*',
  })
  const deny = (): Json =>
    chance(0.5)
      ? { Effect: 'Deny', Action: ['s3:DeleteBucket', 's3:PutBucketPolicy'], Resource: '*' }
      : {
          Effect: 'Deny',
          Action: pick([
            ['dynamodb:DeleteTable'],
            ['kms:ScheduleKeyDeletion'],
            ['secretsmanager:DeleteSecret'],
          ]),
          Resource: '*',
        }
  const notAction = (): Json =>
    chance(0.5)
      ? {
          Effect: 'Deny',
          NotAction: ['iam:*', 'sts:*', 'support:*'],
          Resource: '*',
          Condition: { StringNotEquals: { 'aws:RequestedRegion': [REGION, 'us-east-1'] } },
        }
      : {
          Effect: 'Allow',
          NotAction: ['iam:*', 'organizations:*', 'account:*'],
          Resource: `arn:aws:s3:::${pick(TEAMS)}-*`,
        }
  const conditional = (): Json => {
    const team = pick(TEAMS)
    return chance(0.5)
      ? {
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'],
          Resource: `arn:aws:dynamodb:${REGION}:${HOME}:table/${team}-*`,
          Condition: { StringEquals: { 'aws:ResourceTag/team': team } },
        }
      : {
          Effect: 'Allow',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${team}-*/*`],
          Condition: { StringEquals: { 'aws:SourceVpce': `vpce-${int(1e6)}` } },
        }
  }
  const assume = (): Json => ({
    Effect: 'Allow',
    Action: 'sts:AssumeRole',
    Resource: chance(0.7) ? roleArn(pick(roleNames)) : `arn:aws:iam::${HOME}:role/${pick(TEAMS)}-role-*`,
  })
  const passRole = (): Json[] => [
    { Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn(pick(roleNames)) },
    { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
  ]
  /** One or two statements of the realistic mix. */
  const statement = (): Json[] => {
    const r = rnd()
    if (r < 0.4) return [specific()]
    if (r < 0.55) return [bucketPattern()]
    if (r < 0.67) return [star()]
    if (r < 0.74) return [deny()]
    if (r < 0.77) return [notAction()]
    if (r < 0.87) return [conditional()]
    if (r < 0.95) return [assume()]
    return passRole()
  }
  const statements = (n: number): Json[] => {
    const out: Json[] = []
    while (out.length < n) out.push(...statement())
    return out
  }

  // Shared customer-managed policies take about a fifth of the statements, inline ones the rest.
  let budget = size.statements
  const sharedCount = Math.max(4, Math.round(size.principals / 15))
  const sharedBudget = Math.round(size.statements * 0.2)
  const shared: Policy[] = []
  for (let i = 0; i < sharedCount; i++) {
    const n = Math.max(1, Math.round(sharedBudget / sharedCount))
    const docs = statements(n)
    budget -= docs.length
    shared.push(
      makePolicy(
        `aws_iam_policy.${TEAMS[i % TEAMS.length]}_shared_${i}`,
        docs,
        'customer-managed',
        'identity',
      ),
    )
  }
  const admin = makePolicy(
    'aws_iam_policy.administrator',
    [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    'customer-managed',
    'identity',
  )
  const powerUser = makePolicy(
    'aws_iam_policy.power_user',
    [
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      { Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' },
    ],
    'customer-managed',
    'identity',
  )
  budget -= 3
  const boundaries = [
    makePolicy(
      'aws_iam_policy.boundary_app',
      [
        {
          Effect: 'Allow',
          Action: ['s3:*', 'dynamodb:*', 'sqs:*', 'kms:Decrypt', 'secretsmanager:GetSecretValue', 'logs:*'],
          Resource: '*',
        },
        { Effect: 'Deny', Action: 'iam:*', Resource: '*' },
      ],
      'boundary',
      'boundary',
    ),
    makePolicy(
      'aws_iam_policy.boundary_readonly',
      [
        {
          Effect: 'Allow',
          Action: ['s3:Get*', 's3:List*', 'dynamodb:Get*', 'dynamodb:Query'],
          Resource: '*',
        },
      ],
      'boundary',
      'boundary',
    ),
  ]

  // Inline policies: spread what is left over the non-admin principals.
  const holders = size.principals
  let inlineIndex = 0
  const inline = (owner: string, left: number): Policy[] => {
    if (left <= 0 || budget <= 0) return []
    const n = Math.min(budget, Math.max(1, Math.round((budget / left) * (0.5 + rnd()))))
    const docs = statements(n)
    budget -= docs.length
    return [
      makePolicy(
        `aws_iam_role_policy.${owner.replaceAll('-', '_')}_${inlineIndex++}`,
        docs,
        'inline',
        'identity',
      ),
    ]
  }
  const attachShared = (): Policy[] => pickSome(shared, int(3))

  const principals: Principal[] = []
  let left = holders
  const adminRoles = new Set([0, 1, 2].map((i) => (i * 97) % roleCount))
  for (let i = 0; i < roleCount; i++) {
    const name = roleNames[i]!
    const arn = roleArn(name)
    const r = rnd()
    let trust: Json[]
    if (r < 0.35)
      trust = [
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]
    else if (r < 0.6)
      trust = [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]
    else if (r < 0.88)
      trust = [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HOME}:root` }, Action: 'sts:AssumeRole' }]
    else
      trust = [
        {
          Effect: 'Allow',
          Principal: {
            AWS: chance(0.5) ? `arn:aws:iam::${PARTNER}:root` : `arn:aws:iam::${PARTNER}:role/deployer`,
          },
          Action: 'sts:AssumeRole',
          ...(chance(0.5) ? { Condition: { StringEquals: { 'sts:ExternalId': `ext-${i}` } } } : {}),
        },
      ]
    const policies = adminRoles.has(i)
      ? [admin]
      : i % 50 === 7
        ? [powerUser, ...attachShared()]
        : attachShared()
    if (!adminRoles.has(i)) policies.push(...inline(name, left))
    left--
    const principal: Principal = {
      id: arn,
      type: 'role',
      name,
      arn,
      account: HOME,
      address: `aws_iam_role.${name.replaceAll('-', '_')}`,
      policies,
      trustPolicy: makePolicy(`aws_iam_role.${name.replaceAll('-', '_')}.trust`, trust, 'trust', 'trust'),
      location: { file: 'infra/iam.tf', line: 1 + i },
    }
    if (chance(0.05)) principal.boundary = pick(boundaries)
    principals.push(principal)
  }
  const groupIds = groupNames.map((n) => `arn:aws:iam::${HOME}:group/${n}`)
  for (let i = 0; i < userCount; i++) {
    const name = userNames[i]!
    const arn = `arn:aws:iam::${HOME}:user/${name}`
    const policies = i === 0 ? [admin] : [...attachShared(), ...inline(name, left)]
    left--
    const user: Principal = {
      id: arn,
      type: 'user',
      name,
      arn,
      account: HOME,
      address: `aws_iam_user.${name.replaceAll('-', '_')}`,
      policies,
    }
    if (chance(0.7)) user.groups = pickSome(groupIds, 1 + int(2))
    principals.push(user)
  }
  for (let i = 0; i < groupCount; i++) {
    const name = groupNames[i]!
    const policies = [...attachShared(), ...inline(name, left)]
    left--
    principals.push({ id: groupIds[i]!, type: 'group', name, arn: groupIds[i]!, account: HOME, policies })
  }

  // ---- Resource policies -----------------------------------------------------------------------
  for (const b of byKind.bucket) {
    if (!chance(0.3)) continue
    const docs: Json[] = [
      {
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [b.arn, `${b.arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]
    if (chance(0.5))
      docs.push({
        Effect: 'Allow',
        Principal: { AWS: roleArn(pick(roleNames)) },
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: `${b.arn}/*`,
      })
    if (chance(0.2))
      docs.push({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${PARTNER}:root` },
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: [b.arn, `${b.arn}/*`],
      })
    if (chance(0.2))
      docs.push({
        Effect: 'Deny',
        NotPrincipal: { AWS: roleArn(pick(roleNames)) },
        Action: 's3:DeleteObject',
        Resource: `${b.arn}/*`,
      })
    b.policy = makePolicy(`${b.id}.policy`, docs, 'resource', 'resource')
  }
  for (const k of byKind.key) {
    const docs: Json[] = []
    if (chance(0.8))
      docs.push({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${HOME}:root` },
        Action: 'kms:*',
        Resource: '*',
      })
    docs.push({
      Effect: 'Allow',
      Principal: { AWS: pickSome(roleNames, 1 + int(3)).map(roleArn) },
      Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
      Resource: '*',
    })
    if (chance(0.1))
      docs.push({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${PARTNER}:root` },
        Action: 'kms:Decrypt',
        Resource: '*',
      })
    k.policy = makePolicy(`${k.id}.policy`, docs, 'resource', 'resource')
  }
  for (const q of byKind.queue) {
    if (!chance(0.15)) continue
    q.policy = makePolicy(
      `${q.id}.policy`,
      [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: q.arn,
        },
      ],
      'resource',
      'resource',
    )
  }

  return {
    homeAccounts: [HOME],
    partition: 'aws',
    principals,
    resources,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }
}

/** Identity statements of a model, each distinct policy counted once. */
export function countIdentityStatements(model: Model): number {
  const seen = new Set<Policy>()
  for (const p of model.principals) for (const policy of p.policies) seen.add(policy)
  let n = 0
  for (const policy of seen) n += policy.document.statements.length
  return n
}
