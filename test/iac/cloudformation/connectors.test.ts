import { describe, expect, it } from 'vitest'
import { loadText, principal, resource, resourcesOf } from './helpers.js'

const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs18.x
      Handler: index.handler
      InlineCode: 'exports.handler = async () => {}'
    Connectors:
      ToTable:
        Properties:
          Destination:
            Id: Orders
          Permissions: [Write]
  Orders:
    Type: AWS::Serverless::SimpleTable
  Uploads:
    Type: AWS::S3::Bucket
  Topic:
    Type: AWS::SNS::Topic
  Queue:
    Type: AWS::SQS::Queue
  ExistingRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - { Effect: Allow, Action: sts:AssumeRole, Principal: { Service: lambda.amazonaws.com } }
  WorkerToUploads:
    Type: AWS::Serverless::Connector
    Properties:
      Source: { Id: Worker }
      Destination: { Id: Uploads }
      Permissions: [Read]
  TopicToQueue:
    Type: AWS::Serverless::Connector
    Properties:
      Source: { Id: Topic }
      Destination: { Id: Queue }
      Permissions: [Write]
  QueueToWorker:
    Type: AWS::Serverless::Connector
    Properties:
      Source: { Id: Queue }
      Destination: { Id: Worker }
      Permissions: [Read, Write]
  TopicToWorker:
    Type: AWS::Serverless::Connector
    Properties:
      Source: { Id: Topic }
      Destination: { Id: Worker }
      Permissions: [Write]
  ByArn:
    Type: AWS::Serverless::Connector
    Properties:
      Source:
        Type: AWS::Lambda::Function
        Arn: arn:aws:lambda:us-east-1:111111111111:function:other
        RoleName: !Ref ExistingRole
      Destination:
        Type: AWS::DynamoDB::Table
        Arn: !GetAtt Orders.Arn
      Permissions: [Read]
  Unknown:
    Type: AWS::Serverless::Connector
    Properties:
      Source: { Id: Uploads }
      Destination: { Id: Topic }
      Permissions: [Write]
`

describe('SAM connectors', () => {
  const result = loadText(TEMPLATE)
  const table = 'arn:aws:dynamodb:${AWS.Region}:${AWS.AccountId}:table/${Orders.TableName}'

  it('puts a managed policy on the source role, from the profile (standalone and embedded)', () => {
    const role = principal(result, 'WorkerRole')
    const byName = Object.fromEntries(role.policies.map((p) => [p.name, p]))
    const read = byName.WorkerToUploadsPolicy!.document.statements[0]!
    expect(read.action).toContain('s3:GetObject')
    expect(read.resource).toEqual([
      'arn:aws:s3:::${Uploads.BucketName}',
      'arn:aws:s3:::${Uploads.BucketName}/*',
    ])
    const write = byName.WorkerToTablePolicy!.document.statements[0]!
    expect(write.action).toContain('dynamodb:PutItem')
    expect(write.resource).toContain(table)
  })

  it('puts the policy on the destination role when the profile says so (queue to function)', () => {
    const role = principal(result, 'WorkerRole')
    const policy = role.policies.find((p) => p.name === 'QueueToWorkerPolicy')!
    expect(policy.document.statements.flatMap((s) => s.action)).toEqual(
      expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:GetQueueAttributes', 'sqs:DeleteMessage']),
    )
  })

  it('uses a role given by name with Type and Arn', () => {
    const role = principal(result, 'ExistingRole')
    expect(role.policies.map((p) => p.name)).toContain('ByArnPolicy')
    expect(resourcesOf(role)).toContain(table)
  })

  it('writes a queue policy for SNS to SQS, and a Lambda permission for SNS to a function', () => {
    const queue = resource(result, 'Queue')
    const statement = queue.policy!.document.statements[0]!
    expect(statement.action).toEqual(['sqs:SendMessage'])
    expect(statement.principal).toEqual([{ kind: 'Service', value: 'sns.amazonaws.com' }])
    const worker = resource(result, 'Worker')
    const permission = worker.policy!.document.statements.find(
      (s) => s.sid === 'TopicToWorkerWriteLambdaPermission',
    )
    expect(permission?.principal).toEqual([{ kind: 'Service', value: 'sns.amazonaws.com' }])
  })

  it('reports a connector without a profile as not analysed', () => {
    expect(result.coverage.notAnalysed.map((n) => n.what)).toEqual(['AWS::Serverless::Connector Unknown'])
    expect(result.coverage.errors).toEqual([])
  })
})
