/**
 * Generators of evaluation scenarios shared by the differential test against
 * @cloud-copilot/iam-simulate (test/engine/differential.test.ts) and the bench
 * (scripts/bench/engineVsSimulator.ts). iam-simulate is AGPL-licensed: it is a devDependency used
 * from tests and the bench only, never from src/.
 *
 * A scenario is a small model (roles and a user of account 111111111111, buckets, queues, tables,
 * KMS keys and functions of 111111111111 or 222222222222, identity policies inline and managed,
 * group policies, permissions boundaries, resource policies, SCPs) written as raw policy JSON, so
 * both evaluators read the very same documents, plus a dozen requests on concrete ARNs.
 */
import type { Simulation } from '@cloud-copilot/iam-simulate'
import fc from 'fast-check'
import { parsePolicy } from '../../src/iam/policy.js'
import type { PolicyKind } from '../../src/iam/types.js'
import type {
  Model,
  OrganizationPolicy,
  Policy,
  PolicyOrigin,
  Principal,
  Resource,
} from '../../src/model/types.js'

export const HOME = '111111111111'
export const OTHER = '222222222222'
const REGION = 'us-east-1'

// ---------------------------------------------------------------------------------------------
// Policy JSON

export type JsonPrincipal = '*' | { AWS?: string | string[]; Service?: string | string[] }
export type JsonCondition = Record<string, Record<string, string | string[]>>

export interface JsonStatement {
  Sid?: string
  Effect: 'Allow' | 'Deny'
  Principal?: JsonPrincipal
  NotPrincipal?: JsonPrincipal
  Action?: string | string[]
  NotAction?: string | string[]
  Resource?: string | string[]
  NotResource?: string | string[]
  Condition?: JsonCondition
}

export interface JsonPolicy {
  Version: '2012-10-17'
  Statement: JsonStatement[]
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

interface ResourceKind {
  type: string
  service: string
  names: readonly string[]
  arn(name: string, account: string): string
  /** Actions on the resource's own ARN. */
  actions: readonly string[]
  /** Actions on ARNs below it (S3 objects), with the keys requests use. */
  children?: { arn(name: string, key: string): string; keys: readonly string[]; actions: readonly string[] }
  /** Hand-written patterns that policies use for this kind. */
  patterns(name: string, account: string): string[]
}

export const RESOURCE_KINDS: readonly ResourceKind[] = [
  {
    type: 'AWS::S3::Bucket',
    service: 's3',
    names: ['data-prod', 'logs'],
    arn: (name) => `arn:aws:s3:::${name}`,
    actions: [
      's3:ListBucket',
      's3:GetBucketPolicy',
      's3:PutBucketPolicy',
      's3:GetBucketTagging',
      's3:DeleteBucket',
    ],
    children: {
      arn: (name, key) => `arn:aws:s3:::${name}/${key}`,
      keys: ['reports/q1.csv', 'app/2024/01.log', 'readme'],
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:GetObjectTagging', 's3:GetObjectAcl'],
    },
    patterns: (name) => [
      `arn:aws:s3:::${name}`,
      `arn:aws:s3:::${name}/*`,
      `arn:aws:s3:::${name}/reports/*`,
      `arn:aws:s3:::${name}*`,
      'arn:aws:s3:::data-*',
      'arn:aws:s3:::*/reports/*',
      'arn:aws:s3:::log?',
      'arn:aws:s3:::*',
    ],
  },
  {
    type: 'AWS::SQS::Queue',
    service: 'sqs',
    names: ['orders', 'orders-dlq'],
    arn: (name, account) => `arn:aws:sqs:${REGION}:${account}:${name}`,
    actions: [
      'sqs:SendMessage',
      'sqs:ReceiveMessage',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:SetQueueAttributes',
      'sqs:PurgeQueue',
    ],
    patterns: (name, account) => [
      `arn:aws:sqs:${REGION}:${account}:${name}`,
      `arn:aws:sqs:${REGION}:${account}:orders*`,
      `arn:aws:sqs:*:${account}:*`,
      'arn:aws:sqs:*:*:*',
      `arn:aws:sqs:${REGION}:*:${name}`,
    ],
  },
  {
    type: 'AWS::DynamoDB::Table',
    service: 'dynamodb',
    names: ['orders', 'users'],
    arn: (name, account) => `arn:aws:dynamodb:${REGION}:${account}:table/${name}`,
    actions: [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:DeleteItem',
      'dynamodb:UpdateItem',
      'dynamodb:DescribeTable',
    ],
    patterns: (name, account) => [
      `arn:aws:dynamodb:${REGION}:${account}:table/${name}`,
      `arn:aws:dynamodb:${REGION}:${account}:table/*`,
      `arn:aws:dynamodb:*:*:table/${name}`,
      `arn:aws:dynamodb:${REGION}:${account}:table/${name}/*`,
    ],
  },
  {
    type: 'AWS::KMS::Key',
    service: 'kms',
    names: ['1234abcd-12ab-34cd-56ef-1234567890ab', '0f9e8d7c-6b5a-4321-8765-fedcba987654'],
    arn: (name, account) => `arn:aws:kms:${REGION}:${account}:key/${name}`,
    actions: [
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:DescribeKey',
      'kms:PutKeyPolicy',
      'kms:ScheduleKeyDeletion',
    ],
    patterns: (name, account) => [
      `arn:aws:kms:${REGION}:${account}:key/${name}`,
      `arn:aws:kms:*:${account}:key/*`,
      `arn:aws:kms:${REGION}:*:key/${name.slice(0, 4)}*`,
    ],
  },
  {
    type: 'AWS::Lambda::Function',
    service: 'lambda',
    names: ['process-orders', 'api'],
    arn: (name, account) => `arn:aws:lambda:${REGION}:${account}:function:${name}`,
    actions: [
      'lambda:InvokeFunction',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:UpdateFunctionCode',
      'lambda:DeleteFunction',
      'lambda:GetPolicy',
    ],
    patterns: (name, account) => [
      `arn:aws:lambda:${REGION}:${account}:function:${name}`,
      `arn:aws:lambda:${REGION}:${account}:function:*`,
      `arn:aws:lambda:*:${account}:function:process-*`,
      `arn:aws:lambda:${REGION}:${account}:function:${name}:*`,
    ],
  },
]

/** Actions that only apply to `*`; requests for them name `*` and no resource. */
export const WILDCARD_ONLY_ACTIONS = [
  's3:ListAllMyBuckets',
  'sqs:ListQueues',
  'dynamodb:ListTables',
  'kms:ListKeys',
  'lambda:ListFunctions',
] as const

const EXACT_ACTIONS: readonly string[] = [
  ...RESOURCE_KINDS.flatMap((k) => [...k.actions, ...(k.children?.actions ?? [])]),
  ...WILDCARD_ONLY_ACTIONS,
]

const ACTION_PATTERNS: readonly string[] = [
  '*',
  's3:*',
  's3:Get*',
  's3:*Object',
  's3:Get?bject',
  's3:List*',
  's3:Put*',
  's3:*Bucket*',
  'sqs:*',
  'sqs:*Message',
  'sqs:*Queue*',
  'dynamodb:*',
  'dynamodb:*Item',
  'dynamodb:Get*',
  'dynamodb:Describe*',
  'kms:*',
  'kms:Generate*',
  'kms:*crypt',
  'kms:List*',
  'lambda:*',
  'lambda:Get*',
  'lambda:Invoke*',
  'lambda:List*',
]

interface Identity {
  type: 'role' | 'user'
  name: string
  arn: string
}

/** The principals requests come from, all in the home account; one role has a path. */
export const REQUESTERS: readonly Identity[] = [
  { type: 'role', name: 'app', arn: `arn:aws:iam::${HOME}:role/app` },
  { type: 'role', name: 'worker', arn: `arn:aws:iam::${HOME}:role/service-role/worker` },
  { type: 'user', name: 'alice', arn: `arn:aws:iam::${HOME}:user/alice` },
]

const GROUP_ARN = `arn:aws:iam::${HOME}:group/devs`

/** Principals named in policies that never make requests: a near miss of each requester. */
const BYSTANDERS = [
  `arn:aws:iam::${HOME}:role/other`,
  `arn:aws:iam::${OTHER}:role/app`,
  `arn:aws:iam::${HOME}:user/bob`,
  `arn:aws:iam::${HOME}:role/worker`,
]

/** Conditions on keys the requests never carry: unknown to both evaluators. */
const CONDITIONS: readonly JsonCondition[] = [
  { Bool: { 'aws:SecureTransport': 'true' } },
  { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
  { StringLike: { 'aws:PrincipalTag/team': 'pay*' } },
  { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
  { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
]

/** Every concrete ARN a request can name, for patterns and their mutations. */
const CONCRETE_ARNS: readonly string[] = RESOURCE_KINDS.flatMap((kind) =>
  [HOME, OTHER].flatMap((account) =>
    kind.names.flatMap((name) => [
      kind.arn(name, account),
      ...(kind.children?.keys.map((key) => kind.children!.arn(name, key)) ?? []),
    ]),
  ),
)

// ---------------------------------------------------------------------------------------------
// Arbitraries

function weighted(percent: number): fc.Arbitrary<boolean> {
  return fc.integer({ min: 0, max: 99 }).map((n) => n < percent)
}

function oneOrMany<T>(items: T[]): T | T[] {
  return items.length === 1 ? items[0]! : items
}

/** Where a wildcard may go: after `arn:aws:<service>:`, never in the partition or service. */
function firstMutableIndex(arn: string): number {
  let at = 0
  for (let i = 0; i < 3; i++) at = arn.indexOf(':', at) + 1
  return at
}

/** A concrete ARN with a `*` run, a trailing `*` or a `?` put in somewhere after the service. */
const mutatedArn = (pool: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...pool),
      fc.nat(),
      fc.nat({ max: 6 }),
      fc.constantFrom('star', 'tail', 'question'),
    )
    .map(([arn, at, length, kind]) => {
      const from = firstMutableIndex(arn)
      const i = from + (at % (arn.length - from))
      if (kind === 'tail') return `${arn.slice(0, i)}*`
      if (kind === 'question') return `${arn.slice(0, i)}?${arn.slice(i + 1)}`
      return `${arn.slice(0, i)}*${arn.slice(Math.min(arn.length, i + length))}`
    })

const actionPattern: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EXACT_ACTIONS) },
  { weight: 3, arbitrary: fc.constantFrom(...ACTION_PATTERNS) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...EXACT_ACTIONS), fc.nat(), fc.boolean())
      .map(([action, at, question]) => {
        const colon = action.indexOf(':') + 1
        const i = colon + (at % (action.length - colon))
        return question ? `${action.slice(0, i)}?${action.slice(i + 1)}` : `${action.slice(0, i)}*`
      }),
  },
  // Actions compare case-insensitively.
  { weight: 1, arbitrary: fc.constantFrom(...EXACT_ACTIONS).map((a) => a.toLowerCase()) },
  { weight: 1, arbitrary: fc.constantFrom(...EXACT_ACTIONS).map((a) => a.toUpperCase()) },
)

/** Mostly the actions of the scenario's resources, so that policies and requests meet. */
function localActionPattern(local: readonly string[]): fc.Arbitrary<string> {
  if (local.length === 0) return actionPattern
  const services = [...new Set(local.map((a) => a.slice(0, a.indexOf(':'))))]
  const patterns = ACTION_PATTERNS.filter((p) => services.some((s) => p.startsWith(`${s}:`)))
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...local) },
    { weight: 2, arbitrary: patterns.length > 0 ? fc.constantFrom(...patterns) : actionPattern },
    { weight: 3, arbitrary: actionPattern },
  )
}

function resourcePattern(local: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant('*') },
    { weight: 5, arbitrary: fc.constantFrom(...local) },
    { weight: 2, arbitrary: fc.constantFrom(...CONCRETE_ARNS) },
    { weight: 3, arbitrary: mutatedArn(local) },
  )
}

const awsPrincipalValue = (requesters: readonly Identity[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...requesters.map((r) => r.arn)) },
    { weight: 2, arbitrary: fc.constantFrom(...BYSTANDERS) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(`arn:aws:iam::${HOME}:root`, HOME, `arn:aws:iam::${OTHER}:root`, OTHER),
    },
    { weight: 1, arbitrary: fc.constant('*') },
  )

const principalElement = (requesters: readonly Identity[]): fc.Arbitrary<JsonPrincipal> =>
  fc.oneof(
    { weight: 1, arbitrary: fc.constant<JsonPrincipal>('*') },
    {
      weight: 8,
      arbitrary: fc
        .uniqueArray(awsPrincipalValue(requesters), { minLength: 1, maxLength: 3 })
        .map((values): JsonPrincipal => ({ AWS: oneOrMany(values) })),
    },
    { weight: 1, arbitrary: fc.constant<JsonPrincipal>({ Service: 'lambda.amazonaws.com' }) },
    {
      weight: 1,
      arbitrary: awsPrincipalValue(requesters).map(
        (value): JsonPrincipal => ({ AWS: value, Service: 'lambda.amazonaws.com' }),
      ),
    },
  )

/**
 * NotPrincipal (Deny only): the requester alone, the requester with its account (what AWS asks
 * for), the account alone, or principals the requester is not.
 */
const notPrincipalElement = (requesters: readonly Identity[]): fc.Arbitrary<JsonPrincipal> =>
  fc
    .uniqueArray(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...requesters.map((r) => r.arn)) },
        { weight: 1, arbitrary: fc.constantFrom(...BYSTANDERS) },
        { weight: 2, arbitrary: fc.constantFrom(`arn:aws:iam::${HOME}:root`, `arn:aws:iam::${OTHER}:root`) },
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((values): JsonPrincipal => ({ AWS: oneOrMany(values) }))

interface StatementOptions {
  kind: PolicyKind
  resources: readonly string[]
  actions: readonly string[]
  requesters: readonly Identity[]
  conditionPercent: number
  denyPercent: number
}

function statement(options: StatementOptions): fc.Arbitrary<JsonStatement> {
  const { kind, conditionPercent, denyPercent } = options
  const needsPrincipal = kind === 'resource'
  return fc
    .record({
      deny: weighted(denyPercent),
      notAction: weighted(10),
      actions: fc.uniqueArray(localActionPattern(options.actions), { minLength: 1, maxLength: 3 }),
      notResource: weighted(10),
      resources: fc.uniqueArray(resourcePattern(options.resources), { minLength: 1, maxLength: 3 }),
      condition: fc.option(fc.constantFrom(...CONDITIONS), { nil: undefined }),
      withCondition: weighted(conditionPercent),
      notPrincipal: weighted(35),
      principal: principalElement(options.requesters),
      notPrincipalValue: notPrincipalElement(options.requesters),
    })
    .map((r) => {
      const s: JsonStatement = { Effect: r.deny ? 'Deny' : 'Allow' }
      if (needsPrincipal) {
        if (r.deny && r.notPrincipal) s.NotPrincipal = r.notPrincipalValue
        else s.Principal = r.principal
      }
      if (r.notAction) s.NotAction = oneOrMany(r.actions)
      else s.Action = oneOrMany(r.actions)
      if (r.notResource && !r.resources.includes('*')) s.NotResource = oneOrMany(r.resources)
      else s.Resource = oneOrMany(r.resources)
      if (r.withCondition && r.condition !== undefined) s.Condition = r.condition
      return s
    })
}

function policyDocument(options: StatementOptions, max = 4): fc.Arbitrary<JsonPolicy> {
  return fc
    .array(statement(options), { minLength: 1, maxLength: max })
    .map((Statement) => ({ Version: '2012-10-17', Statement }))
}

/** An SCP: often FullAWSAccess, allow lists, Denies (with NotAction, resources, conditions). */
function scpDocument(conditionPercent: number): fc.Arbitrary<JsonPolicy> {
  const allowList = fc
    .uniqueArray(actionPattern, { minLength: 1, maxLength: 4 })
    .map((actions): JsonStatement => ({ Effect: 'Allow', Action: oneOrMany(actions), Resource: '*' }))
  const deny = fc
    .record({
      notAction: weighted(15),
      actions: fc.uniqueArray(actionPattern, { minLength: 1, maxLength: 3 }),
      resources: fc.uniqueArray(resourcePattern(CONCRETE_ARNS), { minLength: 1, maxLength: 2 }),
      allResources: weighted(30),
      condition: fc.constantFrom(...CONDITIONS),
      withCondition: weighted(conditionPercent),
    })
    .map((r): JsonStatement => {
      const s: JsonStatement = { Effect: 'Deny' }
      if (r.notAction) s.NotAction = oneOrMany(r.actions)
      else s.Action = oneOrMany(r.actions)
      s.Resource = r.allResources ? '*' : oneOrMany(r.resources)
      if (r.withCondition) s.Condition = r.condition
      return s
    })
  return fc
    .record({
      fullAccess: weighted(60),
      allows: fc.array(allowList, { maxLength: 2 }),
      denies: fc.array(deny, { maxLength: 1 }),
    })
    .filter((r) => r.fullAccess || r.allows.length > 0 || r.denies.length > 0)
    .map((r) => ({
      Version: '2012-10-17',
      Statement: [
        ...(r.fullAccess ? [{ Effect: 'Allow', Action: '*', Resource: '*' } satisfies JsonStatement] : []),
        ...r.allows,
        ...r.denies,
      ],
    }))
}

/**
 * An RCP as written in an organization: Deny statements naming `"Principal": "*"` (AWS attaches
 * RCPFullAWSAccess, which cannot be detached, next to it; iam-simulate adds it by itself).
 */
function rcpDocument(conditionPercent: number): fc.Arbitrary<JsonPolicy> {
  const deny = fc
    .record({
      actions: fc.uniqueArray(fc.constantFrom(...RCP_ACTION_PATTERNS), { minLength: 1, maxLength: 3 }),
      resources: fc.uniqueArray(resourcePattern(CONCRETE_ARNS), { minLength: 1, maxLength: 2 }),
      allResources: weighted(30),
      condition: fc.constantFrom(...CONDITIONS),
      withCondition: weighted(conditionPercent),
    })
    .map((r): JsonStatement => {
      const s: JsonStatement = { Effect: 'Deny', Principal: '*', Action: oneOrMany(r.actions) }
      s.Resource = r.allResources ? '*' : oneOrMany(r.resources)
      if (r.withCondition) s.Condition = r.condition
      return s
    })
  return fc
    .array(deny, { minLength: 1, maxLength: 2 })
    .map((Statement) => ({ Version: '2012-10-17', Statement }))
}

/** RCPs cover a few services only (S3, SQS, KMS, DynamoDB among ours, not Lambda). */
const RCP_ACTION_PATTERNS: readonly string[] = [
  ...EXACT_ACTIONS.filter((a) => !a.startsWith('lambda:')),
  ...ACTION_PATTERNS.filter((a) => a !== '*' && !a.startsWith('lambda:')),
]

// ---------------------------------------------------------------------------------------------
// Scenarios

export interface ScenarioRequest {
  principal: Principal
  action: string
  resource: string
  target?: Resource
}

export interface Scenario {
  model: Model
  /** The raw document of every policy of the model, by policy id. */
  documents: Map<string, JsonPolicy>
  /** Whether some statement has a Condition (then iam-simulate runs in Discovery mode). */
  usesConditions: boolean
  requests: ScenarioRequest[]
}

interface ResourceChoice {
  kind: number
  name: number
  account: string
}

interface RequestChoice {
  requester: number
  target: number
  action: number
  key: number
  wildcardOnly: boolean
}

const resourceChoice: fc.Arbitrary<ResourceChoice> = fc.record({
  kind: fc.nat({ max: RESOURCE_KINDS.length - 1 }),
  name: fc.nat({ max: 1 }),
  account: fc.constantFrom(HOME, OTHER),
})

const requestChoice: fc.Arbitrary<RequestChoice> = fc.record({
  requester: fc.nat(),
  target: fc.nat(),
  action: fc.nat(),
  key: fc.nat(),
  wildcardOnly: weighted(6),
})

interface Draft {
  requesters: Identity[]
  resources: ResourceChoice[]
  conditionPercent: number
}

const draft: fc.Arbitrary<Draft> = fc.record({
  requesters: fc.subarray([...REQUESTERS], { minLength: 1 }),
  // Bucket names are global: one account per (kind, name).
  resources: fc.uniqueArray(resourceChoice, {
    minLength: 1,
    maxLength: 4,
    selector: (r) => `${r.kind}/${r.name}`,
  }),
  conditionPercent: fc.constantFrom(0, 0, 20, 40),
})

function actionsOf(kind: ResourceKind): string[] {
  return [...kind.actions, ...(kind.children?.actions ?? [])]
}

function resourceArns(choice: ResourceChoice): { arn: string; local: string[] } {
  const kind = RESOURCE_KINDS[choice.kind]!
  const name = kind.names[choice.name]!
  const arn = kind.arn(name, choice.account)
  const children = kind.children?.keys.map((key) => kind.children!.arn(name, key)) ?? []
  return { arn, local: [arn, ...children, ...kind.patterns(name, choice.account)] }
}

export const scenarioArbitrary: fc.Arbitrary<Scenario> = draft.chain((d) => {
  const local = [...new Set(d.resources.flatMap((r) => resourceArns(r).local))]
  const actions = [...new Set(d.resources.flatMap((r) => actionsOf(RESOURCE_KINDS[r.kind]!)))]
  const base = { requesters: d.requesters, conditionPercent: d.conditionPercent, actions }
  const identity = policyDocument({ ...base, kind: 'identity', resources: local, denyPercent: 15 })
  const boundary = policyDocument({ ...base, kind: 'boundary', resources: local, denyPercent: 10 }, 3)
  const perResource = d.resources.map((r) => {
    const own = resourceArns(r).local
    const ownActions = actionsOf(RESOURCE_KINDS[r.kind]!)
    const random = policyDocument(
      { ...base, kind: 'resource', resources: own, actions: ownActions, denyPercent: 25 },
      3,
    )
    if (RESOURCE_KINDS[r.kind]!.type !== 'AWS::KMS::Key')
      return fc.option(random, { nil: undefined, freq: 4 })
    // Every KMS key has a key policy; most delegate to their account.
    return fc.record({ delegate: weighted(60), rest: random }).map(
      ({ delegate, rest }): JsonPolicy => ({
        Version: '2012-10-17',
        Statement: [
          ...(delegate
            ? [
                {
                  Effect: 'Allow',
                  Principal: { AWS: `arn:aws:iam::${r.account}:root` },
                  Action: 'kms:*',
                  Resource: '*',
                } satisfies JsonStatement,
              ]
            : []),
          ...rest.Statement,
        ],
      }),
    )
  })
  return fc
    .record({
      inline: fc.array(fc.array(identity, { maxLength: 2 }), {
        minLength: d.requesters.length,
        maxLength: d.requesters.length,
      }),
      managed: fc.array(identity, { maxLength: 3 }),
      attached: fc.array(fc.array(fc.nat(), { maxLength: 2 }), {
        minLength: d.requesters.length,
        maxLength: d.requesters.length,
      }),
      boundaries: fc.array(boundary, { minLength: 1, maxLength: 2 }),
      bounded: fc.array(fc.option(fc.nat(), { nil: undefined, freq: 2 }), {
        minLength: d.requesters.length,
        maxLength: d.requesters.length,
      }),
      group: fc.option(fc.array(identity, { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 2 }),
      resourcePolicies: fc.tuple(...perResource),
      scps: fc.array(fc.record({ document: scpDocument(d.conditionPercent), homeOnly: fc.boolean() }), {
        maxLength: 2,
      }),
      rcps: fc
        .record({
          present: weighted(30),
          document: rcpDocument(d.conditionPercent),
          account: fc.constantFrom(undefined, HOME, OTHER),
        })
        .map(({ present, document, account }) => (present ? [{ document, account }] : [])),
      requests: fc.array(requestChoice, { minLength: 10, maxLength: 14 }),
    })
    .map((g) => buildScenario(d, g))
})

interface Generated {
  inline: JsonPolicy[][]
  managed: JsonPolicy[]
  attached: number[][]
  boundaries: JsonPolicy[]
  bounded: (number | undefined)[]
  group: JsonPolicy[] | undefined
  resourcePolicies: (JsonPolicy | undefined)[]
  scps: { document: JsonPolicy; homeOnly: boolean }[]
  rcps: { document: JsonPolicy; account: string | undefined }[]
  requests: RequestChoice[]
}

const KIND_OF_ORIGIN: Record<PolicyOrigin, PolicyKind> = {
  inline: 'identity',
  'customer-managed': 'identity',
  'aws-managed': 'identity',
  resource: 'resource',
  trust: 'trust',
  boundary: 'boundary',
  scp: 'scp',
  rcp: 'rcp',
}

function buildScenario(d: Draft, g: Generated): Scenario {
  const documents = new Map<string, JsonPolicy>()
  const policy = (id: string, origin: PolicyOrigin, json: JsonPolicy): Policy => {
    const parsed = parsePolicy(json, { kind: KIND_OF_ORIGIN[origin] })
    const errors = parsed.problems.filter((p) => p.severity === 'error')
    if (errors.length > 0) throw new Error(`generated policy ${id} is invalid: ${JSON.stringify(errors)}`)
    if (documents.has(id)) throw new Error(`two policies have the id ${id}`)
    documents.set(id, json)
    return { id, name: id, origin, document: parsed.policy }
  }
  const managed = g.managed.map((json, i) => policy(`managed-${i}`, 'customer-managed', json))
  const boundaries = g.boundaries.map((json, i) => policy(`boundary-${i}`, 'boundary', json))
  const principals: Principal[] = []
  let group: Principal | undefined
  if (g.group !== undefined) {
    group = {
      id: GROUP_ARN,
      type: 'group',
      name: 'devs',
      arn: GROUP_ARN,
      account: HOME,
      policies: g.group.map((json, i) => policy(`group-${i}`, 'inline', json)),
    }
    principals.push(group)
  }
  const requesters = d.requesters.map((identity, i): Principal => {
    const own = (g.inline[i] ?? []).map((json, j) => policy(`inline-${identity.name}-${j}`, 'inline', json))
    const attached =
      managed.length === 0 ? [] : (g.attached[i] ?? []).map((n) => managed[n % managed.length]!)
    const principal: Principal = {
      id: identity.arn,
      type: identity.type,
      name: identity.name,
      arn: identity.arn,
      account: HOME,
      policies: [...own, ...new Set(attached)],
    }
    const boundary = g.bounded[i]
    if (boundary !== undefined) principal.boundary = boundaries[boundary % boundaries.length]!
    if (identity.type === 'user' && group !== undefined) principal.groups = [group.id]
    return principal
  })
  principals.push(...requesters)

  const resources = d.resources.map((choice, i): Resource => {
    const kind = RESOURCE_KINDS[choice.kind]!
    const name = kind.names[choice.name]!
    const arn = kind.arn(name, choice.account)
    const resource: Resource = {
      id: arn,
      type: kind.type,
      service: kind.service,
      name,
      arn,
      account: choice.account,
      holdsData: kind.service !== 'lambda',
    }
    if (kind.children !== undefined) resource.childArns = [`${arn}/*`]
    const json = g.resourcePolicies[i]
    if (json !== undefined) resource.policy = policy(`resource-${kind.service}-${name}`, 'resource', json)
    return resource
  })

  const serviceControlPolicies = g.scps.map(
    (scp, i): OrganizationPolicy => ({
      policy: policy(`scp-${i}`, 'scp', scp.document),
      ...(scp.homeOnly ? { accounts: [HOME] } : {}),
    }),
  )

  const resourceControlPolicies = g.rcps.map(
    (rcp, i): OrganizationPolicy => ({
      policy: policy(`rcp-${i}`, 'rcp', rcp.document),
      ...(rcp.account !== undefined ? { accounts: [rcp.account] } : {}),
    }),
  )

  const requests = g.requests.map((r): ScenarioRequest => {
    const principal = requesters[r.requester % requesters.length]!
    if (r.wildcardOnly) {
      return {
        principal,
        action: WILDCARD_ONLY_ACTIONS[r.action % WILDCARD_ONLY_ACTIONS.length]!,
        resource: '*',
      }
    }
    const choice = d.resources[r.target % d.resources.length]!
    const target = resources[r.target % d.resources.length]!
    const kind = RESOURCE_KINDS[choice.kind]!
    const onChildren = kind.children?.actions ?? []
    const actions = [...kind.actions, ...onChildren]
    const a = r.action % actions.length
    if (a < kind.actions.length) return { principal, action: actions[a]!, resource: target.arn, target }
    const children = kind.children!
    const key = children.keys[r.key % children.keys.length]!
    return { principal, action: actions[a]!, resource: children.arn(target.name, key), target }
  })

  const usesConditions = [...documents.values()].some((doc) =>
    doc.Statement.some((s) => s.Condition !== undefined),
  )
  return {
    model: {
      homeAccounts: [HOME, OTHER],
      partition: 'aws',
      principals,
      resources,
      serviceControlPolicies,
      resourceControlPolicies,
    },
    documents,
    usesConditions,
    requests,
  }
}

/** `count` scenarios, the same for the same seed. */
export function sampleScenarios(seed: number, count: number): Scenario[] {
  return fc.sample(scenarioArbitrary, { seed, numRuns: count })
}

// ---------------------------------------------------------------------------------------------
// The same request for iam-simulate

function document(scenario: Scenario, policy: Policy): JsonPolicy {
  const json = scenario.documents.get(policy.id)
  if (json === undefined) throw new Error(`no document for policy ${policy.id}`)
  return json
}

/** The policies that apply to the request's principal and resource, as iam-simulate takes them. */
export function toSimulation(scenario: Scenario, request: ScenarioRequest): Simulation {
  const { principal, target } = request
  const groups = (principal.groups ?? []).flatMap(
    (id) => scenario.model.principals.find((p) => p.id === id)?.policies ?? [],
  )
  const account = principal.account ?? HOME
  const simulation: Simulation = {
    request: {
      principal: principal.arn!,
      action: request.action,
      resource: { resource: request.resource, accountId: target?.account ?? account },
      contextVariables: { 'aws:PrincipalArn': principal.arn!, 'aws:PrincipalAccount': account },
    },
    identityPolicies: [...principal.policies, ...groups].map((p) => ({
      name: p.id,
      policy: document(scenario, p),
    })),
    serviceControlPolicies: scenario.model.serviceControlPolicies
      .filter((scp) => scp.accounts === undefined || scp.accounts.includes(account))
      .map((scp, i) => ({
        orgIdentifier: `ou-level-${i}`,
        policies: [{ name: scp.policy.id, policy: document(scenario, scp.policy) }],
      })),
    // RCPs apply to the resource's account; a request on `*` (no resource) has none.
    resourceControlPolicies:
      target === undefined
        ? []
        : scenario.model.resourceControlPolicies
            .filter((rcp) => rcp.accounts === undefined || rcp.accounts.includes(target.account ?? account))
            .map((rcp, i) => ({
              orgIdentifier: `ou-level-${i}`,
              policies: [{ name: rcp.policy.id, policy: document(scenario, rcp.policy) }],
            })),
  }
  if (principal.boundary !== undefined) {
    simulation.permissionBoundaryPolicies = [
      { name: principal.boundary.id, policy: document(scenario, principal.boundary) },
    ]
  }
  if (target?.policy !== undefined) simulation.resourcePolicy = document(scenario, target.policy)
  return simulation
}
