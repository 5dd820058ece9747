/** Temporary git repositories for tests: one commit per folder given, in order. */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  }).trim()
}

/** A repository whose commits hold, in turn, the content of each folder; returns it and the commit ids. */
export function repoFromFolders(folders: string[]): { dir: string; commits: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'access-diff-git-'))
  git(dir, 'init', '--quiet', '--initial-branch=main')
  const commits: string[] = []
  for (const [i, folder] of folders.entries()) {
    for (const entry of git(dir, 'ls-files').split('\n')) if (entry) rmSync(join(dir, entry))
    cpSync(folder, dir, { recursive: true })
    git(dir, 'add', '--all')
    git(dir, 'commit', '--quiet', '--allow-empty', '-m', `commit ${i}`)
    commits.push(git(dir, 'rev-parse', 'HEAD'))
  }
  return { dir, commits }
}
