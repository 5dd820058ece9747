import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoFromFolders } from '../source/gitRepo.js'
import { runCli } from './run.js'

const ORG = new URL('../../examples/org/', import.meta.url).pathname
const BASE = join(ORG, 'base')
const HEAD = join(ORG, 'head')

describe('CLI usage and errors (exit status 1)', () => {
  it('--help for the tool and each command', async () => {
    const all = await runCli(['--help'])
    expect(all.code).toBe(0)
    expect(all.stdout).toMatch(/access-diff diff \[--repo DIR\] --base REV \[--head REV\]/)
    const diff = await runCli(['diff', '--help'])
    expect(diff).toMatchObject({ code: 0, stderr: '' })
    expect(diff.stdout).toMatch(/read from the BASE revision/)
    const report = await runCli(['report', '-h'])
    expect(report.code).toBe(0)
    expect(report.stdout).toMatch(/access-diff report --dir DIR/)
  })

  it('bad usage is one line and the command help on stderr', async () => {
    for (const args of [
      ['diff'],
      ['diff', '--base-dir', BASE],
      ['diff', '--base-dir', BASE, '--head-dir', HEAD, '--base', 'main'],
      ['diff', '--base-dir', BASE, '--head-dir', HEAD, '--format', 'xml'],
      ['diff', '--base-dir', BASE, '--head-dir', HEAD, '--colour'],
      ['report', '--dir', BASE, '--rev', 'HEAD'],
      ['report', 'positional'],
      ['frobnicate'],
      [],
    ]) {
      const run = await runCli(args)
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code: 1, stdout: '' })
      expect(run.stderr).toMatch(/^access-diff|^$|Usage/)
      expect(run.stderr).toMatch(/Usage:/)
    }
  })

  it('a folder that does not exist is exit 1', async () => {
    const run = await runCli(['report', '--dir', '/nonexistent/tree'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/cannot read folder \/nonexistent\/tree/)
  })

  it('an unknown revision, or a folder that is not a repository, is exit 1 with a plain message', async () => {
    const { dir } = repoFromFolders([BASE, HEAD])
    const unknown = await runCli(['diff', '--repo', dir, '--base', 'origin/main'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/^access-diff: unknown revision origin\/main/)
    const notRepo = await runCli(['report', '--repo', mkdtempSync(join(tmpdir(), 'access-diff-norepo-'))])
    expect(notRepo.code).toBe(1)
    expect(notRepo.stderr).toMatch(/is not a git repository/)
  })

  it('a bad configuration file is exit 1, naming the file and the line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'access-diff-config-')), 'access-diff.yml')
    writeFileSync(file, 'home-accounts: ["111122223333"]\nfail-on: [high]\nreviewers: [me]\n')
    const run = await runCli(['diff', '--base-dir', BASE, '--head-dir', HEAD, '--config', file])
    expect(run.code).toBe(1)
    expect(run.stderr).toBe(
      `access-diff: bad configuration: ${file}:3: reviewers: Unrecognized key: "reviewers"\n`,
    )
  })

  it('the base revision configuration is used by default, and a bad one is reported with the revision', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'access-diff-broken-'))
    const { cpSync, mkdirSync } = await import('node:fs')
    cpSync(BASE, broken, { recursive: true })
    mkdirSync(join(broken, '.github'), { recursive: true })
    writeFileSync(join(broken, '.github/access-diff.yml'), '# loosened\nfail-on:\n  - nothing at all\n')
    const { dir } = repoFromFolders([broken, HEAD])
    const run = await runCli(['diff', '--repo', dir, '--base', 'HEAD~1'])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(
      /^access-diff: bad configuration: HEAD~1:\.github\/access-diff\.yml:3: fail-on\.0: /,
    )
  })
})
