/**
 * `diff` at organisation scale: 50 applications x 3 environments as Terraform root modules written
 * to a temporary folder (base, and head with one access gain and one narrowing). Times loading
 * both trees alone (parse and static evaluation) and the full diff (load both, analyze, render the
 * markdown comment), each the median of three rounds, and the peak RSS of the process. Target: the
 * full diff within 3x the parse.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { analyzeDiff, renderDiff } from '../../src/cli/core.js'
import { defaultConfig } from '../../src/config/types.js'
import { loadTree } from '../../src/iac/load.js'
import { folderSnapshot } from '../../src/source/folder.js'
import type { BenchRow } from './row.js'

export const APPS = 50
const ROUNDS = 3

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
export const ENVS = ['dev', 'stage', 'prod']

function appModule(app: number, env: string, change: boolean, apps: number): string {
  const name = `app${String(app).padStart(2, '0')}-${env}`
  const confidentiality = ['Internal', 'Confidential', 'Restricted'][app % 3]
  const neighbour = `app${String((app + 1) % apps).padStart(2, '0')}-${env}`
  const gain = change && app === 7 && env === 'prod'
  const narrow = change && app === 21 && env === 'prod'
  return `provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { Application = "app${app}", Environment = "${env}" }
  }
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-${name}-data"
  tags   = { Confidentiality = "${confidentiality}" }
}

resource "aws_dynamodb_table" "state" {
  name     = "${name}-state"
  hash_key = "id"
  tags     = { Confidentiality = "${confidentiality}" }
}

resource "aws_sqs_queue" "jobs" {
  name = "${name}-jobs"
}

resource "aws_iam_role" "service" {
  name = "${name}-service"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

data "aws_iam_policy_document" "service" {
  statement {
    actions   = ["s3:GetObject", "s3:PutObject"${narrow ? '' : ', "s3:DeleteObject"'}]
    resources = ["\${aws_s3_bucket.data.arn}/*"]
  }
  statement {
    actions   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.state.arn]
  }
  statement {
    actions   = ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"]
    resources = [aws_sqs_queue.jobs.arn]
  }${
    gain
      ? `
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::acme-${neighbour}-data/*"]
  }`
      : ''
  }
}

resource "aws_iam_role_policy" "service" {
  name   = "service"
  role   = aws_iam_role.service.id
  policy = data.aws_iam_policy_document.service.json
}

resource "aws_iam_role" "deploy" {
  name = "${name}-deploy"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111122223333:root" } }]
  })
}

resource "aws_iam_role_policy_attachment" "deploy" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonECS_FullAccess"
}
`
}

export function writeOrg(dir: string, change: boolean, apps = APPS): void {
  for (let app = 0; app < apps; app++)
    for (const env of ENVS) {
      const folder = join(dir, 'apps', `app${String(app).padStart(2, '0')}`, env)
      mkdirSync(folder, { recursive: true })
      writeFileSync(join(folder, 'main.tf'), appModule(app, env, change, apps))
    }
}

export async function benchDiff(): Promise<BenchRow[]> {
  const root = mkdtempSync(join(tmpdir(), 'access-diff-bench-'))
  try {
    writeOrg(join(root, 'base'), false)
    writeOrg(join(root, 'head'), true)
    const config = { ...defaultConfig(), homeAccounts: ['111122223333'] }
    const options = { homeAccount: '111122223333' }
    await loadTree(folderSnapshot(join(root, 'base')), options) // warm-up: parser and catalog loaded once
    // Each figure is the median of ROUNDS runs: one run on a shared machine can be off by a third.
    const parses: number[] = []
    const fulls: number[] = []
    let report: Awaited<ReturnType<typeof analyzeDiff>> | undefined
    let markdown = ''
    let principalsPerTree = 0
    for (let round = 0; round < ROUNDS; round++) {
      let t = performance.now()
      await loadTree(folderSnapshot(join(root, 'base')), options)
      await loadTree(folderSnapshot(join(root, 'head')), options)
      parses.push(performance.now() - t)
      t = performance.now()
      const base = await loadTree(folderSnapshot(join(root, 'base')), options)
      const head = await loadTree(folderSnapshot(join(root, 'head')), options)
      principalsPerTree = base.model.principals.length
      report = await analyzeDiff(base, head, config)
      markdown = await renderDiff(report, 'markdown', {
        color: false,
        confidentialValues: config.confidentiality.confidentialValues,
      })
      fulls.push(performance.now() - t)
    }
    const parse = median(parses)
    const full = median(fulls)
    return [
      {
        name: `principals in one tree (${APPS} apps x ${ENVS.length} environments)`,
        value: principalsPerTree,
        unit: '',
      },
      { name: 'load base and head (parse and evaluate HCL)', value: parse, unit: 'ms' },
      { name: 'full diff (load both, analyze, render markdown)', value: full, unit: 'ms' },
      { name: 'full diff / load (target <= 3)', value: full / parse, unit: 'x' },
      {
        name: 'changed principals / comment length',
        value: report?.principals.length ?? 0,
        unit: `/ ${markdown.length} chars`,
      },
      { name: 'peak RSS', value: process.resourceUsage().maxRSS / 1024, unit: 'MB' },
    ]
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
