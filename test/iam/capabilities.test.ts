import { describe, expect, it } from 'vitest'
import {
  capabilitiesOf,
  capabilityOverrides,
  explainCapabilities,
  parseCapabilityOverrides,
} from '../../src/iam/capabilities.js'
import { loadActionCatalog } from '../../src/iam/catalog.js'
import { type ActionInfo, CAPABILITIES, type Capability } from '../../src/iam/types.js'

const catalog = loadActionCatalog()

function info(fullName: string): ActionInfo {
  const found = catalog.action(fullName)
  if (found === undefined) throw new Error(`${fullName} is not in the catalog`)
  return found
}

function caps(fullName: string): Capability[] {
  return capabilitiesOf(info(fullName))
}

describe('capabilitiesOf: realistic cases', () => {
  it.each<[string, Capability[]]>([
    // S3
    ['s3:GetObject', ['read-data']],
    ['s3:ListBucket', ['read-data']],
    ['s3:ListAllMyBuckets', ['read-config']],
    ['s3:GetBucketPolicy', ['read-config']],
    ['s3:PutBucketPolicy', ['administer-resource']],
    ['s3:PutObject', ['write-data']],
    ['s3:DeleteObject', ['delete-data']],
    ['s3:DeleteBucket', ['administer-resource']],
    // Databases and streams
    ['dynamodb:Query', ['read-data']],
    ['dynamodb:GetItem', ['read-data']],
    ['dynamodb:PutItem', ['write-data']],
    ['dynamodb:DeleteItem', ['delete-data']],
    ['dynamodb:DeleteTable', ['administer-resource', 'delete-data']],
    ['dynamodb:DescribeTable', ['read-config']],
    ['dynamodb:CreateTable', ['administer-resource']],
    ['rds-data:ExecuteStatement', ['read-data', 'write-data', 'delete-data']],
    ['rds-data:BeginTransaction', ['use-resource']],
    ['rds-db:connect', ['use-resource']],
    ['sqs:SendMessage', ['write-data']],
    ['sqs:ReceiveMessage', ['read-data']],
    ['sqs:DeleteMessage', ['delete-data']],
    ['sqs:PurgeQueue', ['administer-resource', 'delete-data']],
    ['sqs:GetQueueAttributes', ['read-config']],
    ['sns:Publish', ['write-data']],
    ['kinesis:PutRecords', ['write-data']],
    ['kinesis:GetRecords', ['read-data']],
    ['firehose:PutRecordBatch', ['write-data']],
    ['logs:PutLogEvents', ['write-data']],
    ['logs:FilterLogEvents', ['read-data']],
    ['logs:DescribeLogGroups', ['read-config']],
    ['glacier:GetJobOutput', ['read-data']],
    ['ecr:BatchGetImage', ['read-data']],
    ['ecr:PutImage', ['write-data']],
    ['es:ESHttpGet', ['read-data']],
    ['elasticfilesystem:ClientMount', ['read-data']],
    // Secrets, parameters, keys
    ['secretsmanager:GetSecretValue', ['read-data']],
    ['secretsmanager:PutSecretValue', ['write-data']],
    ['secretsmanager:DeleteSecret', ['administer-resource', 'delete-data']],
    ['secretsmanager:DescribeSecret', ['read-config']],
    ['ssm:GetParameter', ['read-data']],
    ['ssm:GetParametersByPath', ['read-data']],
    ['ssm:PutParameter', ['write-data']],
    ['ssm:StartSession', ['use-resource']],
    ['kms:Decrypt', ['use-resource']],
    ['kms:GenerateDataKey', ['use-resource']],
    ['kms:PutKeyPolicy', ['administer-resource']],
    ['kms:ScheduleKeyDeletion', ['administer-resource', 'delete-data']],
    // Identity and compute
    ['iam:PutRolePolicy', ['administer-resource']],
    ['iam:CreateAccessKey', ['administer-resource']],
    ['iam:GetRole', ['read-config']],
    ['iam:PassRole', ['use-resource']],
    ['iam:TagRole', ['administer-resource']],
    ['sts:AssumeRole', ['use-resource']],
    ['sts:AssumeRoleWithWebIdentity', ['use-resource']],
    ['sts:TagSession', ['use-resource']],
    ['sts:GetCallerIdentity', ['read-config']],
    ['lambda:InvokeFunction', ['use-resource']],
    ['lambda:UpdateFunctionCode', ['administer-resource']],
    ['states:StartExecution', ['use-resource']],
    ['ecs:RunTask', ['use-resource']],
    ['codebuild:StartBuild', ['use-resource']],
    ['execute-api:Invoke', ['use-resource']],
    ['ec2:DescribeInstances', ['read-config']],
    ['ec2:RunInstances', ['administer-resource']],
    ['ec2:CreateTags', ['administer-resource']],
    ['athena:GetQueryResults', ['read-data']],
    ['glue:StartJobRun', ['use-resource']],
    ['backup:DeleteRecoveryPoint', ['delete-data']],
  ])('%s → %j', (action, expected) => {
    expect(caps(action)).toEqual(expected)
  })
})

describe('capabilitiesOf: agreement with k9 Security S3 table (sample)', () => {
  // A sample of k9's capability TSVs (k9securityio/terraform-aws-s3-bucket, Apache-2.0). An action
  // listed under two capabilities must get exactly both; the full check is scripts/eval/k9.ts.
  it.each<[string, Capability[]]>([
    ['s3:GetObjectVersion', ['read-data']],
    ['s3:GetObjectTagging', ['read-config']],
    ['s3:GetBucketAcl', ['read-config']],
    ['s3:ListBucketVersions', ['read-config']],
    ['s3:ListMultipartUploadParts', ['read-config']],
    ['s3:PutBucketTagging', ['administer-resource', 'write-data']],
    ['s3:PutObjectTagging', ['write-data']],
    ['s3:DeleteObjectVersionTagging', ['delete-data']],
    ['s3:ReplicateDelete', ['write-data']],
    ['s3:RestoreObject', ['write-data']],
    ['s3:AbortMultipartUpload', ['write-data']],
    ['s3:PutObjectRetention', ['administer-resource']],
    ['s3:BypassGovernanceRetention', ['administer-resource']],
    ['s3:CreateJob', ['administer-resource']],
  ])('%s → %j', (action, expected) => {
    expect(caps(action)).toEqual(expected)
  })
})

describe('capabilitiesOf: coverage of the whole catalog', () => {
  it('gives every action at least one capability, sorted and without repeats', () => {
    const bad: string[] = []
    for (const action of catalog.all()) {
      const list = capabilitiesOf(action)
      const sorted = CAPABILITIES.filter((c) => list.includes(c))
      if (list.length === 0 || list.length !== sorted.length || list.some((c, i) => c !== sorted[i])) {
        bad.push(`${action.fullName}: ${list.join(',')}`)
      }
    }
    expect(bad).toEqual([])
    expect(catalog.all().length).toBeGreaterThan(10_000)
  })

  it('uses every capability somewhere', () => {
    const used = new Set(catalog.all().flatMap((a) => capabilitiesOf(a)))
    expect([...used].sort()).toEqual([...CAPABILITIES].sort())
  })

  it('names only services and actions that exist (catches typos in the overrides file)', () => {
    const unknown: string[] = []
    for (const [prefix, service] of capabilityOverrides().services) {
      if (!catalog.hasService(prefix)) unknown.push(prefix)
      for (const entry of service.actions.values()) {
        if (catalog.action(`${prefix}:${entry.name}`) === undefined) unknown.push(`${prefix}:${entry.name}`)
      }
    }
    expect(unknown).toEqual([])
  })

  it('returns the same frozen list for the same action', () => {
    const action = info('s3:GetObject')
    expect(capabilitiesOf(action)).toBe(capabilitiesOf(action))
    expect(Object.isFrozen(capabilitiesOf(action))).toBe(true)
  })
})

describe('explainCapabilities', () => {
  it('says where each answer comes from', () => {
    expect(explainCapabilities(info('s3:ListBucket'))).toMatchObject({ source: 'action-override', why: /k9/ })
    expect(explainCapabilities(info('sts:AssumeRoot')).source).toBe('service-level')
    expect(explainCapabilities(info('bedrock:InvokeModel'))).toEqual({
      capabilities: ['use-resource'],
      source: 'name',
    })
    expect(explainCapabilities(info('ec2:DescribeVpcs')).source).toBe('access-level')
  })
})

describe('name heuristics and access levels', () => {
  const action = (name: string, accessLevels: ActionInfo['accessLevels']): ActionInfo => ({
    service: 'example',
    name,
    fullName: `example:${name}`,
    accessLevels,
    resourceTypes: [],
    conditionKeys: [],
  })

  it.each<[string, ActionInfo['accessLevels'], Capability[]]>([
    ['InvokeThing', ['Write'], ['use-resource']],
    ['PassWidget', ['Write'], ['use-resource']],
    ['PasswordReset', ['Write'], ['administer-resource']],
    ['AssumeSomething', ['Read'], ['use-resource']],
    ['DownloadReport', ['Read'], ['read-data']],
    ['DownloadReport', ['Write'], ['administer-resource']],
    ['GetResourcePolicy', ['Permissions management', 'Write'], ['read-config']],
    ['PutResourcePolicy', ['Permissions management', 'Write'], ['administer-resource']],
    ['InvokeAdmin', ['Permissions management', 'Write'], ['administer-resource']],
    ['TagThing', ['Tagging', 'Write'], ['administer-resource']],
    ['ListThings', ['List'], ['read-config']],
    ['Mystery', [], ['administer-resource']],
  ])('%s %j → %j', (name, levels, expected) => {
    expect(capabilitiesOf(action(name, levels))).toEqual(expected)
  })
})

describe('parseCapabilityOverrides: malformed files name the entry', () => {
  const parse = (json: unknown) => () => parseCapabilityOverrides(json, 'test.json')

  it('accepts the two action forms and sorts capabilities', () => {
    const parsed = parseCapabilityOverrides(
      {
        services: {
          s3: {
            actions: {
              GetObject: ['write-data', 'read-data'],
              PutObject: { capabilities: ['write-data'], why: 'w' },
            },
          },
          sts: { levels: { Write: ['use-resource'] } },
        },
      },
      'test.json',
    )
    expect(parsed.services.get('s3')?.actions.get('getobject')?.capabilities).toEqual([
      'read-data',
      'write-data',
    ])
    expect(parsed.services.get('s3')?.actions.get('putobject')?.why).toBe('w')
    expect(parsed.services.get('sts')?.levels.Write).toEqual(['use-resource'])
  })

  it.each<[string, unknown, RegExp]>([
    ['not an object', [], /test\.json: \$: must be an object/],
    ['unknown top key', { services: {}, extra: 1 }, /unknown key "extra"/],
    ['bad prefix', { services: { S3: { actions: {} } } }, /services\.S3: a service prefix/],
    [
      'unknown capability',
      { services: { s3: { actions: { GetObject: ['read'] } } } },
      /services\.s3\.actions\.GetObject: "read" is not a capability/,
    ],
    [
      'empty list',
      { services: { s3: { actions: { GetObject: [] } } } },
      /services\.s3\.actions\.GetObject: must be a non-empty list/,
    ],
    [
      'repeat',
      { services: { s3: { actions: { GetObject: ['read-data', 'read-data'] } } } },
      /lists a capability twice/,
    ],
    [
      'typo key',
      { services: { s3: { actions: { GetObject: { capabilites: ['read-data'] } } } } },
      /GetObject: unknown key "capabilites"/,
    ],
    [
      'prefixed name',
      { services: { s3: { actions: { 's3:GetObject': ['read-data'] } } } },
      /services\.s3\.actions\.s3:GetObject: an action name/,
    ],
    [
      'twice',
      { services: { s3: { actions: { GetObject: ['read-data'], getobject: ['read-data'] } } } },
      /getobject: listed twice/,
    ],
    [
      'bad level',
      { services: { sts: { levels: { Writes: ['use-resource'] } } } },
      /services\.sts\.levels\.Writes: not an access level/,
    ],
    [
      'empty why',
      { services: { s3: { why: '', actions: {} } } },
      /services\.s3\.why: must be a non-empty string/,
    ],
    ['empty service', { services: { s3: {} } }, /services\.s3: needs "levels" or "actions"/],
  ])('%s', (_label, json, message) => {
    expect(parse(json)).toThrow(message)
  })
})
