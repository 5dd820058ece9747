/** Var files named in configuration (`terraform.var-files`), read after the automatic ones. */
import { describe, expect, it } from 'vitest'
import { loaderOptions } from '../../../src/cli/io.js'
import { parseConfig } from '../../../src/config/load.js'
import { loadTree } from '../../../src/iac/load.js'
import { memorySnapshot } from '../../../src/source/folder.js'
import { loadFiles } from './helpers.js'

const env = `variable "partner" {
  type    = string
  default = "111111111111"
}

variable "bucket" {
  type = string
}

resource "aws_s3_bucket" "reports" {
  bucket = var.bucket
}

resource "aws_iam_role" "partner" {
  name = "partner-reader"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::\${var.partner}:root" } }]
  })
}
`

const tree = {
  'envs/prod/main.tf': env,
  'envs/prod/terraform.tfvars': 'bucket = "reports-from-tfvars"\n',
  'envs/prod/prod.tfvars': 'bucket = "acme-reports-prod"\npartner = "222222222222"\n',
  'envs/common.tfvars': 'partner = "333333333333"\n',
  'envs/dev/main.tf': env,
  'envs/dev/terraform.tfvars': 'bucket = "acme-reports-dev"\n',
}

function facts(result: Awaited<ReturnType<typeof loadFiles>>): string[] {
  return [
    ...result.model.resources.map((r) => `${r.address} ${r.arn}`),
    ...result.model.principals.map(
      (p) =>
        `${p.address} trusts ${(p.trustPolicy?.document.statements[0]?.principal ?? []).map((x) => x.value).join(' ')}`,
    ),
  ].sort()
}

describe('terraform.var-files', () => {
  it('reads the named files of a root module in order, after terraform.tfvars', async () => {
    const result = await loadFiles(tree, {
      terraformVarFiles: { 'envs/prod': ['../common.tfvars', 'prod.tfvars'] },
    })
    expect(result.coverage.errors).toEqual([])
    expect(facts(result)).toEqual([
      'envs/dev/aws_iam_role.partner trusts arn:aws:iam::111111111111:root',
      'envs/dev/aws_s3_bucket.reports arn:aws:s3:::acme-reports-dev',
      'envs/prod/aws_iam_role.partner trusts arn:aws:iam::222222222222:root',
      'envs/prod/aws_s3_bucket.reports arn:aws:s3:::acme-reports-prod',
    ])
  })

  it('the last file named wins, and "." names the root of the tree', async () => {
    const result = await loadFiles(
      { 'main.tf': env, 'terraform.tfvars': 'bucket = "b"\n', 'vars/a.tfvars': 'partner = "444444444444"\n' },
      { terraformVarFiles: { '.': ['vars/a.tfvars'] } },
    )
    expect(facts(result)).toContain('aws_iam_role.partner trusts arn:aws:iam::444444444444:root')
  })

  it('refuses a file outside the tree and reports a missing one; the rest is analysed', async () => {
    const result = await loadFiles(tree, {
      terraformVarFiles: {
        'envs/prod': ['../../../secrets.tfvars', '/etc/passwd', 'missing.tfvars', 'prod.tfvars'],
      },
    })
    expect(result.coverage.errors).toEqual([
      {
        file: '../../../secrets.tfvars',
        message:
          'var file of envs/prod in the configuration (terraform.var-files) is outside the analysed tree: not read',
      },
      {
        file: '/etc/passwd',
        message:
          'var file of envs/prod in the configuration (terraform.var-files) is outside the analysed tree: not read',
      },
      {
        file: 'envs/prod/missing.tfvars',
        message: 'var file of envs/prod in the configuration (terraform.var-files) is not in the tree',
      },
    ])
    expect(facts(result)).toContain('envs/prod/aws_s3_bucket.reports arn:aws:s3:::acme-reports-prod')
  })

  it('a syntax error in a named file is an error with its line', async () => {
    const result = await loadFiles(
      { ...tree, 'envs/prod/prod.tfvars': 'partner = "555555555555"\nbucket = = "x"\n' },
      { terraformVarFiles: { 'envs/prod': ['prod.tfvars'] } },
    )
    expect(result.coverage.errors.map((e) => `${e.file}:${e.line}`)).toEqual(['envs/prod/prod.tfvars:2'])
    expect(facts(result)).toContain('envs/prod/aws_iam_role.partner trusts arn:aws:iam::555555555555:root')
  })
})

describe('terraform.var-files from .github/access-diff.yml', () => {
  it('reaches the loader through the loader options', async () => {
    const config = parseConfig(
      'terraform:\n  var-files:\n    envs/prod: ["../common.tfvars", prod.tfvars]\n',
      '.github/access-diff.yml',
    )
    expect(config.terraformVarFiles).toEqual({ 'envs/prod': ['../common.tfvars', 'prod.tfvars'] })
    const result = await loadTree(memorySnapshot(tree), loaderOptions(config))
    expect(facts(result)).toContain('envs/prod/aws_s3_bucket.reports arn:aws:s3:::acme-reports-prod')
  })

  it('an unknown key under terraform is an error of the configuration, with its line', () => {
    expect(() => parseConfig('terraform:\n  var_files: {}\n', '.github/access-diff.yml')).toThrow(/var_files/)
  })
})
