import { describe, expect, it } from 'vitest'
import { effectiveAccess } from '../../../src/engine/access.js'
import { loadFixture } from './helpers.js'

describe('a loaded template, evaluated by the engine', () => {
  const result = loadFixture('app', { homeAccount: '111111111111' })
  const access = effectiveAccess(result.model)

  it('grants the role read-data on the bucket of the same template, under its symbolic name', () => {
    const role = access.principals.find((p) => p.principal.address === 'payments/PaymentsRole')!
    const s3 = role.grants.filter((g) => g.service === 's3')
    expect(s3.map((g) => [g.capability, g.resource, g.resourceAddress])).toEqual([
      ['read-data', 'arn:aws:s3:::${KycBucket.BucketName}', 'KycBucket'],
      ['read-data', 'arn:aws:s3:::${KycBucket.BucketName}/*', 'KycBucket'],
    ])
    expect(s3[0]!.via).toContain('payments.yaml:36')
    // The permissions boundary allows no secretsmanager action, so the imported secret grant is cut.
    expect(role.grants.some((g) => g.service === 'secretsmanager')).toBe(false)
  })

  it('says who can read the bucket: the role, the audit account of the bucket policy, and paths to the role', () => {
    const bucket = access.resources.find((r) => r.resource.id === 'KycBucket')!
    const direct = bucket.whoCan.filter((w) => w.via === undefined).map((w) => w.principal)
    expect(direct.sort()).toEqual(['account 012345678901', 'payments-api-prod'])
    expect(bucket.whoCan.map((w) => w.principal)).toContain('lambda.amazonaws.com')
  })
})
