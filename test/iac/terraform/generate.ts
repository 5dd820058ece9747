/**
 * A generator of Terraform trees for the check against real Terraform: from a seed, a root module
 * and a local module with roles, users, groups, managed and inline policies, buckets with bucket
 * policies and a KMS key, written in the forms real code uses (jsonencode, policy documents with
 * conditions and source documents, heredoc JSON, for_each over a map, count, module calls). Names
 * start with the given prefix so that trees applied to one moto do not clash.
 */
import { prng } from '../../../scripts/bench/generateOrg.js'

const S3_ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:GetBucketPolicy']
const OTHER_ACTIONS = [
  'sqs:SendMessage',
  'logs:PutLogEvents',
  'ssm:GetParameter',
  'iam:PassRole',
  'iam:CreateAccessKey',
  'kms:Decrypt',
  'ec2:DescribeInstances',
]
const TEAMS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon']
const PARTNER = '210987654321'

export interface GeneratedTree {
  /** Path (relative to the tree) to text. */
  files: Record<string, string>
}

export function generateTree(seed: number, prefix: string): GeneratedTree {
  const r = prng(seed)
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)] as T
  const some = <T>(xs: T[], min = 1): T[] => {
    const out = xs.filter(() => r() < 0.5)
    while (out.length < min) {
      const x = pick(xs)
      if (!out.includes(x)) out.push(x)
    }
    return out
  }
  const teams = TEAMS.slice(0, 2 + Math.floor(r() * 3))
  const teamMap = teams
    .map(
      (t) =>
        `    ${t} = { actions = ${JSON.stringify(some(S3_ACTIONS))}, trust = "${pick(['ec2', 'lambda', 'account'])}" }`,
    )
    .join('\n')
  const users = 1 + Math.floor(r() * 3)
  const groupActions = some(OTHER_ACTIONS, 2)
  const managedActions = some(OTHER_ACTIONS, 1)
  const denied = pick(S3_ACTIONS)
  const partnerReads = r() < 0.7
  const readers = teams.slice(0, 1 + Math.floor(r() * teams.length))

  const main = `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

variable "prefix" {
  type    = string
  default = "${prefix}"
}

locals {
  account = data.aws_caller_identity.current.account_id
  teams = {
${teamMap}
  }
  trust_services = {
    ec2    = "ec2.amazonaws.com"
    lambda = "lambda.amazonaws.com"
  }
}

# --- One bucket and one role per team (for_each over a map).

resource "aws_s3_bucket" "team" {
  for_each = local.teams
  bucket   = "\${var.prefix}-\${each.key}-data"
  tags     = { Team = each.key }
}

data "aws_iam_policy_document" "trust" {
  for_each = local.teams
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = each.value.trust == "account" ? "AWS" : "Service"
      identifiers = each.value.trust == "account" ? ["arn:\${data.aws_partition.current.partition}:iam::\${local.account}:root"] : [local.trust_services[each.value.trust]]
    }
  }
}

resource "aws_iam_role" "team" {
  for_each           = local.teams
  name               = "\${var.prefix}-\${each.key}"
  assume_role_policy = data.aws_iam_policy_document.trust[each.key].json
}

data "aws_iam_policy_document" "team" {
  for_each = local.teams
  statement {
    sid       = "Data"
    actions   = each.value.actions
    resources = [aws_s3_bucket.team[each.key].arn, "\${aws_s3_bucket.team[each.key].arn}/*"]
  }
  statement {
    sid       = "NoInsecure"
    effect    = "Deny"
    actions   = ["${denied}"]
    resources = ["\${aws_s3_bucket.team[each.key].arn}/*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_iam_role_policy" "team" {
  for_each = local.teams
  name     = "data"
  role     = aws_iam_role.team[each.key].id
  policy   = data.aws_iam_policy_document.team[each.key].json
}

# --- Bucket policies: the first team's role reads every bucket${partnerReads ? ', and a partner account reads the first' : ''}.

data "aws_iam_policy_document" "bucket" {
  for_each = local.teams
  # Public reads of the last team's published objects, restricted by its public access block.
  dynamic "statement" {
    for_each = each.key == "${teams[teams.length - 1]}" ? ["public"] : []
    content {
      sid       = "PublicReads"
      actions   = ["s3:GetObject"]
      resources = ["\${aws_s3_bucket.team[each.key].arn}/published/*"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
    }
  }
  statement {
    sid       = "FirstTeamReads"
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.team[each.key].arn}/*"]
    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.team["${teams[0]}"].arn]
    }
  }
${
  partnerReads
    ? `  dynamic "statement" {
    for_each = each.key == "${teams[0]}" ? ["partner"] : []
    content {
      sid       = "PartnerReads"
      actions   = ["s3:GetObject", "s3:ListBucket"]
      resources = [aws_s3_bucket.team[each.key].arn, "\${aws_s3_bucket.team[each.key].arn}/*"]
      principals {
        type        = "AWS"
        identifiers = ["arn:aws:iam::${PARTNER}:root"]
      }
    }
  }
`
    : ''
}}

resource "aws_s3_bucket_policy" "team" {
  for_each = local.teams
  bucket   = aws_s3_bucket.team[each.key].id
  policy   = data.aws_iam_policy_document.bucket[each.key].json
}

resource "aws_s3_bucket_public_access_block" "published" {
  bucket                  = aws_s3_bucket.team["${teams[teams.length - 1]}"].id
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# --- Users (count) in a group with a heredoc policy and a managed policy.

resource "aws_iam_user" "dev" {
  count = ${users}
  name  = "\${var.prefix}-dev-\${count.index}"
}

resource "aws_iam_group" "devs" {
  name = "\${var.prefix}-devs"
}

resource "aws_iam_group_membership" "devs" {
  name  = "\${var.prefix}-devs"
  group = aws_iam_group.devs.name
  users = aws_iam_user.dev[*].name
}

resource "aws_iam_group_policy" "devs" {
  name  = "tools"
  group = aws_iam_group.devs.name
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ${JSON.stringify(groupActions)},
          "Resource": "*"
        },
        {
          "Effect": "Allow",
          "Action": "sts:AssumeRole",
          "Resource": "arn:aws:iam::\${local.account}:role/\${var.prefix}-*"
        }
      ]
    }
  EOT
}

resource "aws_iam_policy" "shared" {
  name = "\${var.prefix}-shared"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ${JSON.stringify(managedActions)}
      Resource = "*"
    }]
  })
}

resource "aws_iam_user_policy_attachment" "shared" {
  count      = length(aws_iam_user.dev)
  user       = aws_iam_user.dev[count.index].name
  policy_arn = aws_iam_policy.shared.arn
}

resource "aws_iam_role_policy_attachment" "shared" {
  for_each   = toset(${JSON.stringify(readers)})
  role       = aws_iam_role.team[each.key].name
  policy_arn = aws_iam_policy.shared.arn
}

# --- A KMS key whose policy lets the account administer it and the first team use it.

resource "aws_kms_key" "data" {
  description = "\${var.prefix} data key"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Account"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::\${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "FirstTeam"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.team["${teams[0]}"].arn }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource  = "*"
      },
    ]
  })
}

# --- A local module, called once per reader team.

module "reader" {
  source   = "./modules/reader"
  for_each = toset(${JSON.stringify(readers)})
  name     = "\${var.prefix}-\${each.key}-reader"
  bucket   = aws_s3_bucket.team[each.key].arn
  trusted  = aws_iam_role.team[each.key].arn
}
`

  const reader = `variable "name" {
  type = string
}

variable "bucket" {
  type = string
}

variable "trusted" {
  type = string
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = var.trusted }
    }]
  })
}

data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = [var.bucket]
  }
  source_policy_documents = [jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "Objects"
      Effect   = "Allow"
      Action   = "s3:GetObject"
      Resource = "\${var.bucket}/*"
    }]
  })]
}

resource "aws_iam_role_policy" "this" {
  name   = "read"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.read.json
}

output "role_arn" {
  value = aws_iam_role.this.arn
}
`
  return { files: { 'main.tf': main, 'modules/reader/main.tf': reader } }
}
