import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/types.js'
import { loadTree } from '../../src/iac/load.js'
import { loadPolicyFiles, policyDocumentOf } from '../../src/iac/policyFiles.js'
import { analyze } from '../../src/risk/analyze.js'
import { memorySnapshot } from '../../src/source/folder.js'

const doc = (actions: string[]) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }],
})
const versioned = (actions: string[]) =>
  JSON.stringify(
    { PolicyVersion: { Document: doc(actions), VersionId: 'v1', IsDefaultVersion: true } },
    null,
    2,
  )

describe('policy files', () => {
  it('reads plain documents and the get-policy-version / get-role-policy wrappers', () => {
    expect(policyDocumentOf(doc(['s3:GetObject']))).toEqual({ document: doc(['s3:GetObject']) })
    expect(policyDocumentOf(JSON.parse(versioned(['s3:GetObject'])))).toEqual({
      document: doc(['s3:GetObject']),
    })
    const encoded = encodeURIComponent(JSON.stringify(doc(['s3:GetObject'])))
    expect(policyDocumentOf({ RoleName: 'r', PolicyName: 'inline', PolicyDocument: encoded })).toEqual({
      document: doc(['s3:GetObject']),
      name: 'inline',
    })
    expect(policyDocumentOf({ AWSTemplateFormatVersion: '2010-09-09', Resources: {} })).toBeUndefined()
    expect(policyDocumentOf({ name: 'pkg', version: '1.0.0' })).toBeUndefined()
  })

  it('makes each file a synthetic role named after it', () => {
    const { model, coverage } = loadPolicyFiles(
      memorySnapshot({
        'policies/ReadOnlyAccess': versioned(['s3:GetObject']),
        'policies/bucket.json': JSON.stringify({
          Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
        }),
        'package.json': '{"name": "x"}',
        README: 'not json',
      }),
    )
    expect(model.principals.map((p) => [p.type, p.name, p.address, p.policies.map((x) => x.origin)])).toEqual(
      [['role', 'ReadOnlyAccess', 'policies/ReadOnlyAccess', ['customer-managed']]],
    )
    expect(coverage.notAnalysed.map((n) => n.file)).toEqual(['policies/bucket.json'])
    expect(coverage.errors).toEqual([])
  })

  it('a change to a managed policy export is a change of access', async () => {
    const base = await loadTree(memorySnapshot({ 'policies/Support': versioned(['ec2:DescribeInstances']) }))
    const head = await loadTree(
      memorySnapshot({ 'policies/Support': versioned(['ec2:DescribeInstances', 's3:GetObject']) }),
    )
    const r = analyze(base, head, defaultConfig())
    expect(r.principals.map((p) => [p.name, p.added.map((g) => g.actions), p.removed.length])).toEqual([
      ['Support', [['s3:GetObject']], 0],
    ])
  })

  it('a document that Terraform reads with file() is not a principal of its own', async () => {
    const { model } = await loadTree(
      memorySnapshot({
        'main.tf': `
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "app" {
  role   = aws_iam_role.app.id
  policy = file("policies/app.json")
}
`,
        'policies/app.json': JSON.stringify(doc(['s3:GetObject'])),
      }),
    )
    expect(model.principals.map((p) => p.name)).toEqual(['app'])
    expect(model.principals[0]!.policies).toHaveLength(1)
  })
})
