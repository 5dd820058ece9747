import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadTerraformPlan } from '../../../src/iac/terraform/index.js'
import { FIXTURES } from './helpers.js'

const file = 'plan/plan.json'
const text = readFileSync(join(FIXTURES, file), 'utf8')

describe('plan JSON', () => {
  const result = loadTerraformPlan(text, file)

  it('reads root and child module resources; unknown ARNs are computed from known names', () => {
    const role = result.model.principals.find((p) => p.address === 'aws_iam_role.app')!
    expect(role.arn).toBe('arn:aws:iam::${AWS.AccountId}:role/app')
    expect(role.tags).toEqual({ Application: 'payments' })
    expect(role.trustPolicy?.document.statements).toHaveLength(1)
    const bucket = result.model.resources.find((r) => r.address === 'aws_s3_bucket.kyc')!
    // The bucket name is known only after apply: a symbol tied to the bucket.
    expect(bucket.arn).toBe('arn:aws:s3:::${aws_s3_bucket.kyc.bucket}')
    expect(bucket.tags).toEqual({ Confidentiality: 'Restricted' })
  })

  it('recovers an unknown policy from the configuration’s reference to a policy document', () => {
    const role = result.model.principals.find((p) => p.address === 'aws_iam_role.app')!
    const policy = role.policies.find((p) => p.name === 'read-kyc')!
    expect(policy.document.statements[0]?.resource).toEqual(['arn:aws:s3:::${aws_s3_bucket.kyc.bucket}/*'])
    expect(result.coverage.errors).toEqual([])
  })

  it('reports a file that is not a plan', () => {
    expect(loadTerraformPlan('{"a":1}', 'x.json').coverage.errors[0]?.message).toMatch(/not a Terraform plan/)
    expect(loadTerraformPlan('{', 'x.json').coverage.errors[0]?.message).toMatch(/not JSON/)
  })
})

describe('plan JSON: references of one instance', () => {
  const role = (address: string, name: string) => ({
    address,
    mode: 'managed',
    type: 'aws_iam_role',
    values: { name, assume_role_policy: '{"Version":"2012-10-17","Statement":[]}' },
  })
  const inline = (address: string) => ({
    address,
    mode: 'managed',
    type: 'aws_iam_role_policy',
    values: {
      name: 'data',
      policy:
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
    },
  })
  const plan = (roleReferences: string[]) => ({
    format_version: '1.2',
    planned_values: {
      root_module: {
        resources: [
          role('aws_iam_role.team["a"]', 'team-a'),
          role('aws_iam_role.team["b"]', 'team-b'),
          inline('aws_iam_role_policy.team["a"]'),
          inline('aws_iam_role_policy.team["b"]'),
        ],
        child_modules: [
          {
            address: 'module.reader["a"]',
            resources: [
              role('module.reader["a"].aws_iam_role.this', 'reader-a'),
              inline('module.reader["a"].aws_iam_role_policy.this'),
            ],
          },
        ],
      },
    },
    resource_changes: [
      'aws_iam_role_policy.team["a"]',
      'aws_iam_role_policy.team["b"]',
      'module.reader["a"].aws_iam_role_policy.this',
    ].map((address) => ({ address, change: { after_unknown: { role: true } } })),
    configuration: {
      root_module: {
        resources: [
          { address: 'aws_iam_role_policy.team', expressions: { role: { references: roleReferences } } },
        ],
        module_calls: {
          reader: {
            module: {
              resources: [
                {
                  address: 'aws_iam_role_policy.this',
                  expressions: { role: { references: ['aws_iam_role.this.id', 'aws_iam_role.this'] } },
                },
              ],
            },
          },
        },
      },
    },
  })
  const holders = (references: string[]) =>
    loadTerraformPlan(JSON.stringify(plan(references)), 'plan.json')
      .model.principals.filter((p) => p.policies.length > 0)
      .map((p) => p.name)
      .sort()

  it('each.key (and a module instance’s own resources) pick the instance with the same key', () => {
    expect(holders(['aws_iam_role.team', 'each.key'])).toEqual(['reader-a', 'team-a', 'team-b'])
  })

  it('each.value is not taken for the key: the role stays unknown', () => {
    expect(holders(['aws_iam_role.team', 'each.value'])).toEqual([
      '${aws_iam_role_policy.team["a"].role}',
      '${aws_iam_role_policy.team["b"].role}',
      'reader-a',
    ])
  })
})

describe('state JSON and tags_all', () => {
  it('takes tags from tags_all, which holds the provider’s default tags', () => {
    const state = {
      format_version: '1.0',
      values: {
        root_module: {
          resources: [
            {
              address: 'aws_iam_role.r',
              mode: 'managed',
              type: 'aws_iam_role',
              values: {
                name: 'r',
                assume_role_policy:
                  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":"ec2.amazonaws.com"}}]}',
                tags: { Name: 'r' },
                tags_all: { Name: 'r', Stack: 'CloudGoat' },
              },
            },
            {
              address: 'aws_s3_bucket.b',
              mode: 'managed',
              type: 'aws_s3_bucket',
              values: { bucket: 'b', policy: '' },
            },
          ],
        },
      },
    }
    const result = loadTerraformPlan(JSON.stringify(state), 'state.json')
    expect(result.coverage.errors).toEqual([])
    expect(result.model.principals[0]?.tags).toEqual({ Name: 'r', Stack: 'CloudGoat' })
    // A bucket without a legacy policy holds "" in a state: no policy, no error.
    expect(result.model.resources[0]?.policy).toBeUndefined()
  })
})
