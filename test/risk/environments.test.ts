/**
 * Real trees: several Terraform root modules (one per environment) calling the same modules.
 * Terraform addresses repeat across root modules; every principal, policy and resource must still
 * be itself, in the model, in the engine and in the delta.
 */
import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../src/config/types.js'
import { loadTree, mergeLoadResults } from '../../src/iac/load.js'
import { emptyCoverage } from '../../src/iac/types.js'
import { analyze } from '../../src/risk/analyze.js'
import { memorySnapshot } from '../../src/source/folder.js'
import { model, policy, role, trustService } from '../engine/modelBuilder.js'

const HOME = '111122223333'
const config = { ...defaultConfig(), homeAccounts: [HOME] }

const moduleTf = (withKyc: boolean) => `
variable "environment" { type = string }
resource "aws_s3_bucket" "kyc" {
  bucket = "kyc-\${var.environment}"
  tags   = { Confidentiality = "Restricted" }
}
resource "aws_dynamodb_table" "ledger" {
  name = "ledger-\${var.environment}"
}
resource "aws_iam_role" "task" {
  name               = "task-\${var.environment}"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }] })
}
resource "aws_iam_role_policy" "task" {
  name = "task"
  role = aws_iam_role.task.id
  policy = jsonencode({ Version = "2012-10-17", Statement = concat(
    [{ Sid = "Ledger", Effect = "Allow", Action = "dynamodb:GetItem", Resource = aws_dynamodb_table.ledger.arn }],
    ${withKyc ? '[{ Sid = "Kyc", Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.kyc.arn}/*" }]' : '[]'}
  ) })
}
`
const env = (name: string) => `
module "app" {
  source      = "../../modules/app"
  environment = "${name}"
}
`
const tree = (withKyc: boolean) =>
  memorySnapshot({
    'envs/dev/main.tf': env('dev'),
    'envs/prod/main.tf': env('prod'),
    'modules/app/main.tf': moduleTf(withKyc),
  })

describe('several root modules', () => {
  it('keeps addresses and policy ids unique per root module', async () => {
    const { model } = await loadTree(tree(true), { homeAccount: HOME })
    expect(model.resources.map((r) => r.address).sort()).toEqual([
      'envs/dev/module.app.aws_dynamodb_table.ledger',
      'envs/dev/module.app.aws_s3_bucket.kyc',
      'envs/prod/module.app.aws_dynamodb_table.ledger',
      'envs/prod/module.app.aws_s3_bucket.kyc',
    ])
    const policyIds = model.principals.flatMap((p) => p.policies.map((x) => x.id))
    expect(new Set(policyIds).size).toBe(policyIds.length)
  })

  it('reports each environment against its own resources', async () => {
    const base = await loadTree(tree(false), { homeAccount: HOME })
    const head = await loadTree(tree(true), { homeAccount: HOME })
    const r = analyze(base, head, config)
    const gains = r.principals.map((p) => ({
      name: p.name,
      address: p.address,
      added: p.added.map((g) => [g.resource, g.resourceAddress]),
      removed: p.removed.length,
    }))
    expect(gains).toEqual([
      {
        name: 'task-dev',
        address: 'envs/dev/module.app.aws_iam_role.task',
        added: [['arn:aws:s3:::kyc-dev/*', 'envs/dev/module.app.aws_s3_bucket.kyc']],
        removed: 0,
      },
      {
        name: 'task-prod',
        address: 'envs/prod/module.app.aws_iam_role.task',
        added: [['arn:aws:s3:::kyc-prod/*', 'envs/prod/module.app.aws_s3_bucket.kyc']],
        removed: 0,
      },
    ])
    expect(r.dataResources.map((d) => [d.name, d.whoCan.head.map((w) => w.principal)])).toEqual([
      ['kyc-dev', ['task-dev']],
      ['kyc-prod', ['task-prod']],
    ])
  })
})

describe('mergeLoadResults', () => {
  it('gives two different documents with one policy id distinct ids, and keeps shared ones', () => {
    const readA = policy('app.task', [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a/*' },
    ])
    const readB = policy('app.task', [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
    ])
    readB.location = { file: 'prod/main.tf', line: 3 }
    const managed = policy('arn:aws:iam::aws:policy/ReadOnlyAccess', [
      { Effect: 'Allow', Action: 's3:List*', Resource: '*' },
    ])
    const managedAgain = { ...managed, document: structuredClone(managed.document) }
    const trust = trustService('ecs-tasks.amazonaws.com')
    const merged = mergeLoadResults([
      { model: model([role('a', [readA, managed], trust)]), coverage: emptyCoverage() },
      { model: model([role('b', [readB, managedAgain], trust)]), coverage: emptyCoverage() },
    ])
    const ids = merged.model.principals.map((p) => p.policies.map((x) => x.id))
    expect(ids).toEqual([
      ['app.task', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
      ['app.task (prod/main.tf)', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
    ])
  })
})

describe('the generated organisation of the diff bench', () => {
  it('finds the one gain (app07-prod service reads app08-prod data) and nothing else', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const { writeOrg } = await import('../../scripts/bench/diff.js')
    const { folderSnapshot } = await import('../../src/source/folder.js')
    const root = mkdtempSync(join(tmpdir(), 'access-diff-org-'))
    try {
      writeOrg(join(root, 'base'), false, 9)
      writeOrg(join(root, 'head'), true, 9)
      const base = await loadTree(folderSnapshot(join(root, 'base')), { homeAccount: HOME })
      const head = await loadTree(folderSnapshot(join(root, 'head')), { homeAccount: HOME })
      const r = analyze(base, head, config)
      expect(
        r.principals.map((p) => [p.name, p.added.map((g) => g.resource), p.removed.map((g) => g.resource)]),
      ).toEqual([['app07-prod-service', ['arn:aws:s3:::acme-app08-prod-data/*'], []]])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
