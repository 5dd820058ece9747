import { describe, expect, it } from 'vitest'
import { loadText, principal, resourcesOf } from './helpers.js'

const TEMPLATE = `
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  BucketName:
    Type: String
    Default: default-bucket
  Partners:
    Type: CommaDelimitedList
    Default: '111111111111'
  Stage:
    Type: String
  KeyName:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /keys/name
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  AppRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Action: sts:AssumeRole
            Principal: { AWS: !Ref Partners }
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: !If [IsProd, !Sub 'arn:aws:s3:::\${BucketName}/*', !Sub 'arn:aws:s3:::\${BucketName}/dev/*']
              - Effect: Allow
                Action: kms:Decrypt
                Resource: !Sub 'arn:aws:kms:us-east-1:111111111111:alias/\${KeyName}'
`

describe('parameter values from the options', () => {
  it('uses parameter defaults, and marks a parameter without default unresolved', () => {
    const result = loadText(TEMPLATE)
    const role = principal(result, 'AppRole')
    expect(resourcesOf(role).join(' ')).toMatch(/arn:aws:s3:::default-bucket\//)
    expect(resourcesOf(role)).toContain('arn:aws:kms:us-east-1:111111111111:alias/${KeyName}')
    expect(result.coverage.unresolved.map((u) => u.expression).join('\n')).toMatch(/Stage/)
  })

  it('uses configured values before defaults, splits lists, and decides conditions with them', () => {
    const result = loadText(TEMPLATE, {
      parameters: {
        BucketName: 'prod-bucket',
        Partners: '222222222222, 333333333333',
        Stage: 'prod',
        KeyName: 'x',
      },
    })
    const role = principal(result, 'AppRole')
    expect(resourcesOf(role)).toContain('arn:aws:s3:::prod-bucket/*')
    expect(resourcesOf(role)).not.toContain('arn:aws:s3:::prod-bucket/dev/*')
    expect(resourcesOf(role).join(' ')).not.toMatch(/default-bucket/)
    const trusted = role.trustPolicy?.document.statements[0]?.principal?.map((p) => p.value)
    expect(trusted?.join(' ')).toMatch(/222222222222/)
    expect(trusted?.join(' ')).toMatch(/333333333333/)
    expect(result.coverage.unresolved.map((u) => u.expression).join('\n')).not.toMatch(/Stage/)
    // An SSM parameter type's configured value names the SSM parameter: still not its value.
    expect(resourcesOf(role)).toContain('arn:aws:kms:us-east-1:111111111111:alias/${KeyName}')
  })
})
