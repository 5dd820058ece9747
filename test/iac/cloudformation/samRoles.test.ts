import { describe, expect, it } from 'vitest'
import { loadText, principal, resourcesOf } from './helpers.js'

describe('SAM roles generated conditionally or for events', () => {
  const conditional = (role: string, parameters?: Record<string, string>) =>
    loadText(
      `
Transform: AWS::Serverless-2016-10-31
Parameters:
  RoleArn: { Type: String, Default: '' }
Conditions:
  HasRole: !Not [!Equals ['', !Ref RoleArn]]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs18.x
      InlineCode: x
      Role: ${role}
`,
      parameters === undefined ? {} : { parameters },
    )

  it('generates the role when Role is !If with AWS::NoValue and no role is given', () => {
    const result = conditional("!If [HasRole, !Ref RoleArn, !Ref 'AWS::NoValue']")
    const role = principal(result, 'FnRole')
    expect(role.policies.map((p) => p.name)).toContain('AWSLambdaBasicExecutionRole')
  })

  it('does not generate it when the condition says a role is given', () => {
    const result = conditional("!If [HasRole, !Ref RoleArn, !Ref 'AWS::NoValue']", {
      RoleArn: 'arn:aws:iam::111111111111:role/given',
    })
    expect(result.model.principals.find((p) => p.address === 'FnRole')).toBeUndefined()
  })

  it('handles AWS::NoValue in the first branch as well', () => {
    const result = conditional("!If [HasRole, !Ref 'AWS::NoValue', !Ref RoleArn]", {
      RoleArn: 'arn:aws:iam::111111111111:role/given',
    })
    expect(principal(result, 'FnRole').policies.length).toBeGreaterThan(0)
  })

  it('gives each state machine event a role to start executions, with the permissions boundary', () => {
    const result = loadText(`
Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: Flow
      DefinitionUri: s3://bucket/flow.json
      PermissionsBoundary: arn:aws:iam::aws:policy/PowerUserAccess
      Events:
        Nightly:
          Type: Schedule
          Properties: { Schedule: rate(1 day) }
        Start:
          Type: Api
          Properties: { Path: /start, Method: post }
        Given:
          Type: CloudWatchEvent
          Properties:
            Pattern: { source: [x] }
            RoleArn: arn:aws:iam::111111111111:role/events
`)
    const nightly = principal(result, 'FlowNightlyRole')
    expect(nightly.trustPolicy?.document.statements[0]?.principal).toEqual([
      { kind: 'Service', value: 'events.amazonaws.com' },
    ])
    expect(resourcesOf(nightly)).toEqual(['arn:aws:states:${AWS.Region}:${AWS.AccountId}:stateMachine:Flow'])
    expect(nightly.boundary?.name).toBe('PowerUserAccess')
    expect(principal(result, 'FlowStartRole').trustPolicy?.document.statements[0]?.principal).toEqual([
      { kind: 'Service', value: 'apigateway.amazonaws.com' },
    ])
    expect(result.model.principals.find((p) => p.address === 'FlowGivenRole')).toBeUndefined()
  })
})
