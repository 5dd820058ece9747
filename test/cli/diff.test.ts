import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { AccessReport, DiffReport } from '../../src/report/contract.js'
import { repoFromFolders } from '../source/gitRepo.js'
import { runCli } from './run.js'

const ORG = new URL('../../examples/org/', import.meta.url).pathname
const BASE = join(ORG, 'base')
const HEAD = join(ORG, 'head')

describe('diff and report on the example organisation', () => {
  const { dir, commits } = repoFromFolders([BASE, HEAD])

  it('diff --base-dir/--head-dir --format json: a DiffReport with the expected principal changes', async () => {
    const run = await runCli(['diff', '--base-dir', BASE, '--head-dir', HEAD, '--format', 'json'])
    const report = JSON.parse(run.stdout) as DiffReport
    expect(run.code).toBe(report.verdict.blocking ? 2 : 0)
    expect(report.schemaVersion).toBe(1)
    expect(report.coverage.errors).toEqual([])
    const byName = new Map(report.principals.map((p) => [p.name, p]))
    for (const env of ['dev', 'stage', 'prod']) {
      const task = byName.get(`payments-api-${env}-task`)
      expect(task?.removed).toEqual([])
      expect(task?.added).toContainEqual(
        expect.objectContaining({
          service: 's3',
          capability: 'read-data',
          actions: expect.arrayContaining(['s3:GetObject']),
        }),
      )
      const kyc = byName.get(`identity-${env}-kyc-processor`)
      expect(kyc?.added).toEqual([])
      expect(kyc?.removed.length).toBeGreaterThan(0)
    }
    expect(byName.get('reporting-prod-partner-export')?.added.length).toBeGreaterThan(0)
    expect(byName.has('reporting-prod-etl')).toBe(false)
    expect(report.verdict.securityReview).toBe(true)
  })

  it('the same change through --repo and git revisions gives identical JSON', async () => {
    const folders = await runCli(['diff', '--base-dir', BASE, '--head-dir', HEAD, '--format', 'json'])
    const git = await runCli(['diff', '--repo', dir, '--base', commits[0]!, '--format', 'json'])
    expect(git.stderr).toBe('')
    expect(git.code).toBe(folders.code)
    expect(git.stdout).toBe(folders.stdout)
  })

  it('no change is exit 0 and no principal', async () => {
    const run = await runCli(['diff', '--repo', dir, '--base', 'HEAD', '--head', 'HEAD', '--format', 'json'])
    const report = JSON.parse(run.stdout) as DiffReport
    expect(run.code).toBe(0)
    expect(report.principals).toEqual([])
    expect(report.verdict.blocking).toBe(false)
  })

  it('--output writes the file; every format renders', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'access-diff-out-')), 'report.sarif')
    const run = await runCli([
      'diff',
      '--base-dir',
      BASE,
      '--head-dir',
      HEAD,
      '--format',
      'sarif',
      '--output',
      out,
    ])
    expect(run.stdout).toBe('')
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ version: '2.1.0' })
    const text = await runCli(['diff', '--base-dir', BASE, '--head-dir', HEAD])
    expect(text.stdout).toMatch(/payments-api-prod-task/)
    expect(text.stdout.includes(String.fromCharCode(27))).toBe(false)
  })

  it('report --dir and report --repo --rev give the same AccessReport', async () => {
    const dirRun = await runCli(['report', '--dir', HEAD, '--format', 'json'])
    const report = JSON.parse(dirRun.stdout) as AccessReport
    expect(report.schemaVersion).toBe(1)
    expect(report.principals.map((p) => p.name)).toContain('reporting-prod-partner-export')
    const revRun = await runCli(['report', '--repo', dir, '--format', 'json'])
    expect(revRun.stdout).toBe(dirRun.stdout)
    expect(revRun.code).toBe(dirRun.code)
  })

  it('demo prints the markdown PR comment of the example change', async () => {
    const run = await runCli(['demo'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/payments-api-prod-task/)
    expect(run.stdout).toMatch(/kyc-docs/)
  })
})
