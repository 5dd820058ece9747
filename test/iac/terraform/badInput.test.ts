import { describe, expect, it } from 'vitest'
import { MAX_FILE_CHARS } from '../../../src/iac/terraform/state.js'
import { loadFiles, principal } from './helpers.js'

const role = (name: string): string => `
resource "aws_iam_role" "${name}" {
  name               = "${name}"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
}
`

describe('bad input: one coverage entry each, the rest still analysed', () => {
  it('a syntax error names its file and line; blocks outside it are read', async () => {
    const result = await loadFiles({
      'main.tf': `${role('good')}\nlocals {\n  broken = [\n}\n${role('after')}`,
    })
    expect(result.coverage.errors.length).toBeGreaterThan(0)
    expect(result.coverage.errors[0]).toMatchObject({ file: 'main.tf' })
    expect(result.coverage.errors[0]?.line).toBeGreaterThanOrEqual(7)
    principal(result, 'aws_iam_role.good')
  })

  it('a huge file is refused with an error; other files load', async () => {
    const result = await loadFiles({ 'big.tf': `# ${'x'.repeat(MAX_FILE_CHARS + 1)}`, 'main.tf': role('ok') })
    expect(result.coverage.errors).toEqual([
      { file: 'big.tf', line: 1, message: expect.stringMatching(/too large/) },
    ])
    principal(result, 'aws_iam_role.ok')
  })

  it('a malformed policy is an error at its statement line', async () => {
    const result = await loadFiles({
      'main.tf': `resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = "*" },
      { Effect = "Maybe", Action = "s3:GetObject", Resource = "*" },
    ]
  })
}
resource "aws_iam_user_policy_attachment" "a" {
  user       = "bob"
  policy_arn = aws_iam_policy.p.arn
}
`,
    })
    expect(result.coverage.errors).toHaveLength(1)
    expect(result.coverage.errors[0]).toMatchObject({ file: 'main.tf', line: 7 })
    // bob is not defined in the tree: still a principal, with the policy's good statement.
    const bob = result.model.principals.find((p) => p.name === 'bob')!
    expect(bob.policies[0]?.document.statements).toHaveLength(1)
  })

  it('unknown count gives one symbolic instance, listed as unresolved', async () => {
    const result = await loadFiles({
      'main.tf': `variable "n" {}\nresource "aws_iam_user" "u" {\n  count = var.n\n  name  = "u-\${count.index}"\n}\n`,
    })
    const u = principal(result, 'aws_iam_user.u[*]')
    expect(u.name).toBe('u-${aws_iam_user.u.count.index}')
    expect(result.coverage.unresolved.map((x) => x.expression)).toContain(
      'var.n (instances of aws_iam_user.u unknown; one symbolic instance)',
    )
  })

  it('remote modules without .terraform/modules and unanalysed policy types are listed', async () => {
    const result = await loadFiles({
      'main.tf': `module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\nresource "aws_glue_resource_policy" "g" {\n  policy = "{}"\n}\n`,
    })
    expect(result.coverage.notAnalysed.map((n) => [n.what, n.line])).toEqual([
      ['module "vpc" (terraform-aws-modules/vpc/aws)', 1],
      ['aws_glue_resource_policy', 4],
    ])
  })

  it('remote modules are read from .terraform/modules when present', async () => {
    const result = await loadFiles({
      'main.tf': `module "iam" {\n  source = "terraform-aws-modules/iam/aws"\n  role_name = "from-registry"\n}\n`,
      '.terraform/modules/modules.json': JSON.stringify({
        Modules: [{ Key: 'iam', Source: 'registry', Dir: '.terraform/modules/iam' }],
      }),
      '.terraform/modules/iam/main.tf': `variable "role_name" {}\n${role('x').replace('name               = "x"', 'name = var.role_name')}`,
    })
    expect(principal(result, 'module.iam.aws_iam_role.x').name).toBe('from-registry')
  })
})

describe('aws_iam_policy_document', () => {
  it('source documents, override documents (by Sid), policy_id and conditions', async () => {
    const result = await loadFiles({
      'main.tf': `data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  statement {
    sid       = "List"
    actions   = ["s3:ListBucket"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "override" {
  statement {
    sid       = "List"
    effect    = "Deny"
    actions   = ["s3:ListBucket"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "main" {
  policy_id                 = "main"
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.override.json]
  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}
resource "aws_iam_user_policy" "p" {
  name   = "p"
  user   = "bob"
  policy = data.aws_iam_policy_document.main.json
}
`,
    })
    const policy = result.model.principals[0]!.policies[0]!
    expect(policy.document.id).toBe('main')
    expect(policy.document.statements.map((s) => [s.sid, s.effect])).toEqual([
      ['Read', 'Allow'],
      ['List', 'Deny'],
      ['Write', 'Allow'],
    ])
    expect(policy.statementLocations).toEqual({
      0: { file: 'main.tf', line: 2 },
      1: { file: 'main.tf', line: 14 },
      2: { file: 'main.tf', line: 25 },
    })
    expect(policy.document.statements[2]?.conditions).toHaveLength(1)
  })
})
