import { describe, expect, it } from 'vitest'
import { loadCloudFormation, MAX_TEMPLATE_BYTES } from '../../../src/iac/cloudformation/index.js'
import { memorySnapshot } from '../../../src/source/folder.js'

const good = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Bucket: {Type: AWS::S3::Bucket}
`

function load(bad: Record<string, string>) {
  return loadCloudFormation(memorySnapshot({ 'good.yaml': good, ...bad }))
}

describe('bad input: one coverage error with file and line, the rest still analysed', () => {
  it.each([
    ['invalid YAML', 'bad.yaml', "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n", 4],
    [
      'invalid JSON',
      'bad.json',
      '{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": {\n  "A": {"Type": "AWS::S3::Bucket",}\n',
      4,
    ],
    [
      'duplicate keys',
      'dup.yaml',
      "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: {Type: AWS::S3::Bucket}\n  A: {Type: AWS::SQS::Queue}\n",
      4,
    ],
  ])('%s', (_what, file, text, line) => {
    const result = load({ [file]: text })
    expect(result.coverage.errors).toHaveLength(1)
    expect(result.coverage.errors[0]).toMatchObject({ file, line })
    expect(result.model.resources.map((r) => r.id)).toEqual(['Bucket'])
  })

  it('an alias bomb', () => {
    const lines = [
      "AWSTemplateFormatVersion: '2010-09-09'",
      'Metadata:',
      '  a: &a [x, x, x, x, x, x, x, x, x, x]',
    ]
    for (let i = 0; i < 9; i++) {
      const [prev, next] = [String.fromCharCode(97 + i), String.fromCharCode(98 + i)]
      lines.push(`  ${next}: &${next} [${Array(10).fill(`*${prev}`).join(', ')}]`)
    }
    const result = load({ 'bomb.yaml': lines.join('\n') })
    expect(result.coverage.errors).toEqual([
      { file: 'bomb.yaml', line: 1, message: expect.stringMatching(/alias/) },
    ])
    expect(result.model.resources).toHaveLength(1)
  })

  it('a template over the size limit', () => {
    const huge = `AWSTemplateFormatVersion: '2010-09-09'\nDescription: '${'x'.repeat(MAX_TEMPLATE_BYTES)}'\n`
    const result = load({ 'huge.yaml': huge })
    expect(result.coverage.errors).toEqual([{ file: 'huge.yaml', message: expect.stringMatching(/limit/) }])
    expect(result.model.resources).toHaveLength(1)
  })

  it('a malformed policy, and a policy string that is not JSON', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: broken
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: '*'
              - Effect: Maybe
                Action: s3:PutObject
                Resource: '*'
        - PolicyName: text
          PolicyDocument: '{"Statement": [oops'
`
    const result = load({ 'role.yaml': text })
    expect(result.coverage.errors).toEqual([
      { file: 'role.yaml', line: 14, message: expect.stringContaining('broken') },
      { file: 'role.yaml', line: 17, message: expect.stringContaining('text') },
    ])
    const role = result.model.principals[0]!
    expect(role.policies[0]?.document.statements).toHaveLength(1)
  })

  it('ignores YAML and JSON files that are not templates', () => {
    const result = load({
      'workflow.yaml': 'on: push\njobs: {}\n',
      'package.json': '{"name": "x"}',
      'k8s.yaml': 'apiVersion: v1\nkind: ConfigMap\n',
    })
    expect(result.coverage.errors).toEqual([])
    expect(result.coverage.filesAnalyzed).toBe(1)
  })

  it('reports types with a policy that it does not analyse, and macros', () => {
    const text = `AWSTemplateFormatVersion: '2010-09-09'
Transform: MyMacro
Resources:
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: '*', Resource: '*'}]}
`
    const result = load({ 'vpc.yaml': text })
    expect(result.coverage.notAnalysed).toEqual([
      { file: 'vpc.yaml', what: 'Transform MyMacro', reason: expect.any(String) },
      { file: 'vpc.yaml', line: 4, what: 'AWS::EC2::VPCEndpoint', reason: expect.any(String) },
    ])
  })
})
