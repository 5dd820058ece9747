/** S3 Block Public Access on buckets: `aws_s3_bucket_public_access_block` and the account's. */
import { describe, expect, it } from 'vitest'
import { effectiveAccess } from '../../../src/engine/access.js'
import { parsePolicy } from '../../../src/iam/policy.js'
import { isPublicStatement } from '../../../src/iam/publicPolicy.js'
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

  it('ignore_public_acls ("true" as Terraform converts it): the public ACL grants nothing; the settings are on the bucket', async () => {
    const result = await loadFiles({
      'main.tf': `${buckets}
variable "ignore" {
  default = "true"
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket             = aws_s3_bucket.site.id
  ignore_public_acls = var.ignore
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
      locations: [{ file: 'main.tf', line: 27 }],
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
      'main.tf:6 canned ACL public-read of acme-site: blocked: the public access block sets BlockPublicAcls, so putting this ACL fails',
      'main.tf:19 public bucket policy of acme-logs: blocked: the public access block sets BlockPublicPolicy, so putting this policy fails',
    ])
  })
})

describe('RestrictPublicBuckets', () => {
  const tree = (restrict: boolean) => ({
    'main.tf': `
resource "aws_iam_role" "app" {
  name = "app"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_s3_bucket" "site" {
  bucket = "acme-site"
}

resource "aws_s3_bucket_policy" "site" {
  bucket = aws_s3_bucket.site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Everyone", Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "\${aws_s3_bucket.site.arn}/*" },
      { Sid = "Partner", Effect = "Allow", Principal = { AWS = "arn:aws:iam::999999999999:root" }, Action = "s3:PutObject", Resource = "\${aws_s3_bucket.site.arn}/*" },
    ]
  })
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  restrict_public_buckets = ${restrict}
}
`,
  })
  const who = async (restrict: boolean): Promise<string[]> => {
    const result = await loadFiles(tree(restrict), { homeAccount: '123456789012' })
    const access = effectiveAccess(result.model)
    return access.principals
      .flatMap((p) =>
        p.grants
          .filter((g) => g.resource.startsWith('arn:aws:s3:::acme-site'))
          .map((g) => `${p.principal.name} ${g.capability} ${g.resource}`),
      )
      .sort()
  }

  it('without it, everyone reads (other accounts too) and the partner account writes', async () => {
    expect(await who(false)).toEqual([
      'account 999999999999 read-data arn:aws:s3:::acme-site/*',
      'account 999999999999 write-data arn:aws:s3:::acme-site/*',
      'app read-data arn:aws:s3:::acme-site/*',
      // ECS tasks act as the role.
      'ecs-tasks.amazonaws.com read-data arn:aws:s3:::acme-site/*',
      'everyone (public) read-data arn:aws:s3:::acme-site/*',
    ])
  })

  it('with it, the public policy grants only within the owner account', async () => {
    expect(await who(true)).toEqual([
      'app read-data arn:aws:s3:::acme-site/*',
      'ecs-tasks.amazonaws.com read-data arn:aws:s3:::acme-site/*',
    ])
  })

  it('the restriction is no condition: the policy is kept as written and the owner’s access stays unconditional', async () => {
    const result = await loadFiles(tree(true), { homeAccount: '123456789012' })
    const site = result.model.resources.find((r) => r.name === 'acme-site')!
    expect(site.policy?.document.statements.map((s) => s.conditions)).toEqual([[], []])
    const app = effectiveAccess(result.model).principals.find((p) => p.principal.name === 'app')!
    const read = app.grants.find((g) => g.resource === 'arn:aws:s3:::acme-site/*')!
    expect(read.conditional).toBe(false)
  })
})

describe("a public policy, in S3's meaning", () => {
  const statement = (extra: Record<string, unknown>) =>
    parsePolicy({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...extra },
      ],
    }).policy.statements[0]!
  it.each([
    [{}, true],
    [{ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c' } } }, false],
    [{ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }, false],
    [{ Condition: { StringLike: { 'aws:SourceArn': 'arn:aws:cloudfront::*' } } }, true],
    [{ Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b3c' } } }, true],
    [{ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }, false],
    [{ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }, true],
    [{ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, true],
    [{ Condition: { ArnEquals: { 'aws:PrincipalArn': [] } } }, false],
    [{ Condition: { ArnEquals: { 'aws:PrincipalArn': '${var.readers}' } } }, false],
    [{ Condition: { StringEquals: { 'aws:userid': '${aws:userid}' } } }, true],
    [{ Effect: 'Deny' }, false],
    [{ Principal: { AWS: 'arn:aws:iam::123456789012:root' } }, false],
  ])('%j: public %s', (extra, expected) => {
    expect(isPublicStatement(statement(extra))).toBe(expected)
  })
})
