import { describe, expect, it } from 'vitest'
import { loadText, resourcesOf } from './helpers.js'

/** Loads a template whose one role's one statement has `Resource: <expression>`, and returns the resources. */
function resolveIn(
  expression: string,
  extra = '',
  options = {},
): { resources: string[]; unresolved: string[] } {
  const text = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: {Type: String, Default: prod}
  Names: {Type: CommaDelimitedList, Default: 'a,b'}
  Partner: {Type: String}
Mappings:
  Accounts:
    us-east-1: {Id: '011111111111', Same: shared}
    eu-west-1: {Id: '022222222222', Same: shared}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  HasPartner: !Not [!Equals [!Ref Partner, '']]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Named: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub 'data-\${Env}'}}
  Queue: {Type: AWS::SQS::Queue}
  Table: {Type: AWS::DynamoDB::Table, Properties: {TableName: orders}}
  Key: {Type: AWS::KMS::Key}
  Fn: {Type: AWS::Lambda::Function}
  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: events}}
  Logs: {Type: AWS::Logs::LogGroup, Properties: {LogGroupName: /app/logs}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: '*'
                Resource: ${expression}
${extra}`
  const result = loadText(text, options)
  const role = result.model.principals.find((p) => p.address === 'Role')!
  return {
    resources: resourcesOf(role),
    unresolved: result.coverage.unresolved.map((u) => u.expression),
  }
}

const cases: [string, string[]][] = [
  ['!Ref Bucket', ['${Bucket.BucketName}']],
  ['!GetAtt Bucket.Arn', ['arn:aws:s3:::${Bucket.BucketName}']],
  ['!GetAtt [Named, Arn]', ['arn:aws:s3:::data-prod']],
  ["!Sub '${Bucket.Arn}/*'", ['arn:aws:s3:::${Bucket.BucketName}/*']],
  ["!Sub 'arn:${AWS::Partition}:s3:::${!Literal}-${Env}'", ['arn:aws:s3:::${Literal}-prod']],
  ["!Sub ['arn:aws:s3:::${b}/*', {b: !Ref Named}]", ['arn:aws:s3:::data-prod/*']],
  ['!GetAtt Queue.Arn', ['arn:aws:sqs:${AWS.Region}:${AWS.AccountId}:${Queue.QueueName}']],
  ['!GetAtt Table.Arn', ['arn:aws:dynamodb:${AWS.Region}:${AWS.AccountId}:table/orders']],
  ['!GetAtt Key.Arn', ['arn:aws:kms:${AWS.Region}:${AWS.AccountId}:key/${Key.KeyId}']],
  ['!GetAtt Fn.Arn', ['arn:aws:lambda:${AWS.Region}:${AWS.AccountId}:function:${Fn.FunctionName}']],
  ['!Ref Topic', ['arn:aws:sns:${AWS.Region}:${AWS.AccountId}:events']],
  ['!GetAtt Logs.Arn', ['arn:aws:logs:${AWS.Region}:${AWS.AccountId}:log-group:/app/logs:*']],
  ["!Join ['', ['arn:aws:s3:::', !Ref Named, '/*']]", ['arn:aws:s3:::data-prod/*']],
  ['!Select [1, !Ref Names]', ['b']],
  ["!Select [0, !Split ['/', 'x/y']]", ['x']],
  ['!If [IsProd, prod-arn, dev-arn]', ['prod-arn']],
  ['!If [IsDev, dev-arn, prod-arn]', ['prod-arn']],
  ['[a, !If [IsDev, b, !Ref AWS::NoValue]]', ['a']],
  ['[a, !If [HasPartner, b, c]]', ['a', 'b', 'c']],
  ["!Sub 'arn:aws:s3:::${x}'", ['arn:aws:s3:::${x}']],
  ['!FindInMap [Accounts, us-east-1, Id]', ['011111111111']],
  ['!FindInMap [Accounts, !Ref AWS::Region, Same]', ['shared']],
  ['!Sub "arn:aws:iam::${AWS::AccountId}:root"', ['arn:aws:iam::${AWS.AccountId}:root']],
  ['!ImportValue SharedBucketArn', ['${Import.SharedBucketArn}']],
  ["!Select [0, !GetAZs '']", ['${AZ0}']],
  ["!Join [',', [!Ref AWS::StackName, !Ref AWS::URLSuffix]]", ['${template.StackName},amazonaws.com']],
  ['!Ref Partner', ['${Partner}']],
]

describe('intrinsic functions', () => {
  it.each(cases)('%s', (expression, expected) => {
    expect(resolveIn(expression).resources).toEqual(expected)
  })

  it('uses the configured account, region and partition', () => {
    const { resources } = resolveIn('!GetAtt Queue.Arn', '', {
      homeAccount: '123456789012',
      region: 'eu-west-1',
      partition: 'aws',
    })
    expect(resources).toEqual(['arn:aws:sqs:eu-west-1:123456789012:${Queue.QueueName}'])
  })

  it('decides a mapping by the configured region', () => {
    expect(
      resolveIn('!FindInMap [Accounts, !Ref AWS::Region, Id]', '', { region: 'eu-west-1' }).resources,
    ).toEqual(['022222222222'])
  })

  it('lists what it cannot resolve', () => {
    expect(resolveIn('!Ref Partner').unresolved).toContain('Ref Partner (parameter without default)')
    expect(resolveIn('!ImportValue SharedBucketArn').unresolved).toContain('Fn::ImportValue SharedBucketArn')
    expect(resolveIn('!FindInMap [Accounts, !Ref AWS::Region, Id]').unresolved).toContain(
      'Fn::FindInMap [Accounts, ${AWS.Region}, Id]',
    )
    expect(resolveIn('[a, !If [HasPartner, b, c]]').unresolved).toContain(
      'Condition HasPartner (undecided: both branches kept)',
    )
    expect(resolveIn('!Ref Nowhere').unresolved).toContain('Ref Nowhere (not defined in the template)')
  })

  it('resolves ToJsonString and Length (LanguageExtensions)', () => {
    expect(resolveIn('!Length [a, b, c]').resources).toEqual(['3'])
    expect(resolveIn('{"Fn::ToJsonString": [a]}').resources).toEqual(['["a"]'])
  })

  it('reports a circular reference once and goes on', () => {
    const text = `Resources:
  A: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub '\${B}-a'}}
  B: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub '\${A}-b'}}
`
    const result = loadText(text)
    expect(result.coverage.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/circular reference to A/),
    ])
    expect(result.coverage.errors[0]!.line).toBe(3) // where the reference back to A is written
    expect(result.model.resources.map((r) => r.id)).toEqual(['A', 'B'])
  })
})
