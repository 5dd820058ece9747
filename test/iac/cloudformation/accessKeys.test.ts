/** `AWS::IAM::AccessKey`: the user's long-lived key, and the stack output that gives its secret. */
import { describe, expect, it } from 'vitest'
import { loadText, principal } from './helpers.js'

describe('AWS::IAM::AccessKey', () => {
  it('gives the user its keys, and names the output that reads SecretAccessKey', () => {
    const result = loadText(`Resources:
  Deployer:
    Type: AWS::IAM::User
    Properties:
      UserName: ci-deploy
  DeployerKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref Deployer
  OldKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref Deployer
      Status: Inactive
Outputs:
  KeyId:
    Value: !Ref DeployerKey
  Secret:
    Value: !GetAtt DeployerKey.SecretAccessKey
  OldSecret:
    Value: !Sub "\${OldKey.SecretAccessKey}"
`)
    expect(result.coverage.errors).toEqual([])
    expect(principal(result, 'Deployer').accessKeys).toEqual([
      {
        address: 'DeployerKey',
        status: 'Active',
        location: { file: 'template.yaml', line: 6 },
        secretExposure: {
          kind: 'output',
          detail: 'stack output "Secret"',
          location: { file: 'template.yaml', line: 19 },
        },
      },
      {
        address: 'OldKey',
        status: 'Inactive',
        location: { file: 'template.yaml', line: 10 },
        secretExposure: {
          kind: 'output',
          detail: 'stack output "OldSecret"',
          location: { file: 'template.yaml', line: 21 },
        },
      },
    ])
  })

  it('a key whose secret no output gives has no exposure; a key for an unknown user is unresolved', () => {
    const result = loadText(`Resources:
  Deployer:
    Type: AWS::IAM::User
  DeployerKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: !Ref Deployer
  Stray:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: somebody-else
`)
    expect(principal(result, 'Deployer').accessKeys).toEqual([
      { address: 'DeployerKey', status: 'Active', location: { file: 'template.yaml', line: 4 } },
    ])
    expect(result.coverage.unresolved.map((u) => u.expression)).toContain(
      'AccessKey Stray: user somebody-else is not defined in the tree',
    )
  })
})
