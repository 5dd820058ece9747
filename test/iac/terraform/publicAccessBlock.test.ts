/** S3 Block Public Access on buckets: `aws_s3_bucket_public_access_block` and the account's. */
import { describe, expect, it } from 'vitest'
import { loadFiles, resource } from './helpers.js'

const buckets = `
resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = "public-read"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "\${aws_s3_bucket.logs.arn}/*" }]
  })
}
`

describe('S3 public access block', () => {
  it('without a block, the public ACL opens the bucket', async () => {
    const result = await loadFiles({ 'main.tf': buckets })
    expect(resource(result, 'aws_s3_bucket.site').publicAccess?.reason).toBe('canned ACL public-read')
    expect(resource(result, 'aws_s3_bucket.site').publicAccessBlock).toBeUndefined()
  })

  it('ignore_public_acls: the public ACL grants nothing; the settings are on the bucket', async () => {
    const result = await loadFiles({
      'main.tf': `${buckets}
resource "aws_s3_bucket_public_access_block" "site" {
  bucket             = aws_s3_bucket.site.id
  ignore_public_acls = true
}
`,
    })
    const site = resource(result, 'aws_s3_bucket.site')
    expect(site.publicAccess).toBeUndefined()
    expect(site.publicAccessBlock).toEqual({
      blockPublicAcls: false,
      ignorePublicAcls: true,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
      locations: [{ file: 'main.tf', line: 23 }],
    })
    expect(result.coverage.notAnalysed).toEqual([])
  })

  it('the account block applies to every bucket; a blocked ACL or public policy is in coverage', async () => {
    const result = await loadFiles(
      {
        'main.tf': `${buckets}
resource "aws_s3_account_public_access_block" "all" {
  block_public_acls       = true
  block_public_policy     = true
  restrict_public_buckets = true
}
`,
      },
      { homeAccount: '123456789012' },
    )
    expect(resource(result, 'aws_s3_bucket.site').publicAccess).toBeUndefined()
    expect(resource(result, 'aws_s3_bucket.logs').publicAccessBlock).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
      ignorePublicAcls: false,
    })
    expect(result.coverage.notAnalysed.map((n) => `${n.file}:${n.line} ${n.what}: ${n.reason}`)).toEqual([
      "main.tf:6 canned ACL public-read of acme-site: blocked: the bucket's public access block sets block_public_acls, so putting this ACL fails",
      "main.tf:19 public bucket policy of acme-logs: blocked: the bucket's public access block sets block_public_policy, so putting this policy fails",
    ])
  })
})
