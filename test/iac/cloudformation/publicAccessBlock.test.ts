/** `AWS::S3::Bucket` PublicAccessBlockConfiguration: the bucket's settings, applied to its ACL and policy. */
import { describe, expect, it } from 'vitest'
import { effectiveAccess } from '../../../src/engine/access.js'
import { loadText, resource } from './helpers.js'

const template = (block: string) => `Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: acme-site
      AccessControl: PublicRead
${block}
  SitePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Site
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: Everyone
            Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "\${Site.Arn}/*"
`

function publicGrants(text: string): string[] {
  const result = loadText(text, { homeAccount: '123456789012' })
  return effectiveAccess(result.model)
    .principals.filter((p) => p.principal.type === 'public')
    .flatMap((p) => p.grants.map((g) => `${g.capability} ${g.resource}`))
    .sort()
}

describe('PublicAccessBlockConfiguration', () => {
  it('without it, the ACL and the policy both open the bucket to everyone', () => {
    expect(publicGrants(template(''))).toContain('read-data arn:aws:s3:::acme-site/*')
    expect(loadText(template('')).model.resources[0]?.publicAccess?.reason).toBe('bucket ACL PublicRead')
  })

  it('all four settings: nothing is public, and coverage says the ACL and the policy would be refused', () => {
    const block = `      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true`
    const result = loadText(template(block), { homeAccount: '123456789012' })
    const site = resource(result, 'Site')
    expect(site.publicAccess).toBeUndefined()
    expect(site.publicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
      locations: [{ file: 'template.yaml', line: 8 }],
    })
    expect(result.coverage.notAnalysed.map((n) => `${n.file}:${n.line} ${n.what}`)).toEqual([
      'template.yaml:2 bucket ACL PublicRead of acme-site',
      'template.yaml:19 public bucket policy of acme-site',
    ])
    expect(publicGrants(template(block))).toEqual([])
  })

  it('IgnorePublicAcls alone: the ACL grants nothing, the public policy still does', () => {
    const block = `      PublicAccessBlockConfiguration:
        IgnorePublicAcls: true`
    expect(loadText(template(block)).model.resources[0]?.publicAccess).toBeUndefined()
    expect(publicGrants(template(block))).toContain('read-data arn:aws:s3:::acme-site/*')
  })
})
