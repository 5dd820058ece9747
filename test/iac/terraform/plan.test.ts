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
