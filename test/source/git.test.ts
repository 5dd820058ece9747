import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { folderSnapshot } from '../../src/source/folder.js'
import { GitSourceError, gitSnapshot, resolveRevision } from '../../src/source/git.js'
import { git, repoFromFolders } from './gitRepo.js'

const ORG = new URL('../../examples/org/', import.meta.url).pathname

function contents(s: { paths(): string[]; read(p: string): string | undefined }): Record<string, string> {
  return Object.fromEntries(s.paths().map((p) => [p, s.read(p) ?? '<unreadable>']))
}

describe('gitSnapshot', () => {
  const { dir, commits } = repoFromFolders([join(ORG, 'base'), join(ORG, 'head')])

  it('reads a revision from the object database, the same as the folder it was committed from', async () => {
    expect(contents(await gitSnapshot(dir, 'HEAD~1'))).toEqual(contents(folderSnapshot(join(ORG, 'base'))))
    expect(contents(await gitSnapshot(dir, commits[1]!))).toEqual(contents(folderSnapshot(join(ORG, 'head'))))
    expect(contents(await gitSnapshot(dir, 'main'))).toEqual(contents(folderSnapshot(join(ORG, 'head'))))
  })

  it('does not look at the working tree', async () => {
    writeFileSync(join(dir, 'uncommitted.tf'), 'resource "x" "y" {}')
    expect((await gitSnapshot(dir, 'HEAD')).paths()).not.toContain('uncommitted.tf')
  })

  it('an unknown revision or a folder that is not a repository is a GitSourceError', async () => {
    await expect(gitSnapshot(dir, 'no-such-branch')).rejects.toThrow(/unknown revision no-such-branch/)
    await expect(gitSnapshot(dir, '--output=/tmp/x')).rejects.toBeInstanceOf(GitSourceError)
    const plain = mkdtempSync(join(tmpdir(), 'access-diff-plain-'))
    await expect(gitSnapshot(plain, 'HEAD')).rejects.toThrow(/not a git repository/)
  })

  it('skips symbolic links and binary files', async () => {
    const repo = repoFromFolders([]).dir
    writeFileSync(join(repo, 'main.tf'), 'locals {}\n')
    writeFileSync(join(repo, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]))
    symlinkSync('/etc/passwd', join(repo, 'link.tf'))
    git(repo, 'add', '--all')
    git(repo, 'commit', '--quiet', '-m', 'files')
    const snap = await gitSnapshot(repo, 'HEAD')
    expect(snap.paths()).toEqual(['main.tf'])
    expect(snap.read('main.tf')).toBe('locals {}\n')
  })

  it('works in a shallow clone once the base revision is fetched', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'access-diff-shallow-'))
    git(parent, 'clone', '--quiet', '--depth=1', `file://${dir}`, 'clone')
    const clone = join(parent, 'clone')
    await expect(resolveRevision(clone, commits[0]!)).rejects.toThrow(/fetch it first/)
    git(clone, 'fetch', '--quiet', '--depth=1', 'origin', commits[0]!)
    expect(contents(await gitSnapshot(clone, commits[0]!))).toEqual(
      contents(folderSnapshot(join(ORG, 'base'))),
    )
  })
})
