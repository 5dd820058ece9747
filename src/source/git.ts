/**
 * A snapshot of one revision of a git repository, read from the object database with
 * `git ls-tree -r -z` and `git cat-file --batch`: no checkout, no working tree touched, so it works
 * in a shallow clone as soon as the revision's objects are fetched. Symbolic links and submodules
 * are skipped (as in folderSnapshot); blobs over MAX_BLOB_BYTES or holding NUL bytes read as absent.
 */
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import type { Snapshot } from '../iac/types.js'
import { memorySnapshot } from './folder.js'

const run = promisify(execFile)

/** Larger files are not infrastructure code worth reading (CloudFormation itself takes 1 MB). */
export const MAX_BLOB_BYTES = 10_000_000

/** The repository or revision cannot be read: an error of the run (exit status 1). */
export class GitSourceError extends Error {
  override name = 'GitSourceError'
}

async function git(repo: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', ['-C', repo, ...args], { maxBuffer: 1 << 30, encoding: 'utf8' })
    return stdout
  } catch (error) {
    const e = error as { code?: unknown; stderr?: string }
    if (e.code === 'ENOENT') throw new GitSourceError('git is not installed (or not on PATH)')
    throw new GitSourceError((e.stderr ?? String(error)).trim().split('\n')[0] ?? 'git failed')
  }
}

/** The commit id a revision names, or a GitSourceError saying what is wrong. */
export async function resolveRevision(repo: string, rev: string): Promise<string> {
  try {
    await git(repo, ['rev-parse', '--git-dir'])
  } catch {
    throw new GitSourceError(`${repo} is not a git repository`)
  }
  if (rev.startsWith('-')) throw new GitSourceError(`unknown revision ${rev}`)
  try {
    return (
      await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`])
    ).trim()
  } catch {
    throw new GitSourceError(
      `unknown revision ${rev} in ${repo} (in a shallow clone, fetch it first: git fetch --depth=1 origin ${rev})`,
    )
  }
}

/** Every file of a revision, read into memory. */
export async function gitSnapshot(repo: string, rev: string): Promise<Snapshot> {
  const commit = await resolveRevision(repo, rev)
  const listing = await git(repo, ['ls-tree', '-r', '-z', '--long', '--full-tree', commit])
  const blobs: { path: string; id: string }[] = []
  for (const entry of listing.split('\0')) {
    if (entry === '') continue
    const tab = entry.indexOf('\t')
    const [mode, type, id, size] = entry.slice(0, tab).split(/\s+/)
    if (type !== 'blob' || mode === '120000' || id === undefined) continue
    if (Number(size) > MAX_BLOB_BYTES) continue
    blobs.push({ path: entry.slice(tab + 1), id })
  }
  const contents = await catBlobs(
    repo,
    blobs.map((b) => b.id),
  )
  const files: Record<string, string> = {}
  for (const { path, id } of blobs) {
    const text = contents.get(id)
    if (text !== undefined) files[path] = text
  }
  return memorySnapshot(files)
}

/** The text of each blob by id (binary ones left out), through one `git cat-file --batch`. */
function catBlobs(repo: string, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)]
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', repo, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] })
    const chunks: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    child.on('error', (e) => reject(new GitSourceError(`git cat-file failed: ${e.message}`)))
    child.on('close', (code) => {
      if (code !== 0) return reject(new GitSourceError(`git cat-file failed: ${stderr.trim()}`))
      try {
        resolve(parseBatch(Buffer.concat(chunks)))
      } catch (e) {
        reject(e)
      }
    })
    child.stdin.end(unique.map((id) => `${id}\n`).join(''))
  })
}

/** `<id> <type> <size>\n<content>\n` repeated; `<id> missing\n` for an absent object. */
function parseBatch(out: Buffer): Map<string, string> {
  const result = new Map<string, string>()
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let at = 0
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at)
    if (eol < 0) break
    const [id, type, size] = out.toString('utf8', at, eol).split(' ')
    if (type === 'missing' || id === undefined)
      throw new GitSourceError(`object ${id} is missing (shallow or partial clone? fetch the revision)`)
    const start = eol + 1
    const end = start + Number(size)
    const body = out.subarray(start, end)
    at = end + 1
    if (type !== 'blob' || body.includes(0)) continue
    try {
      result.set(id, decoder.decode(body))
    } catch {
      // Not UTF-8 text: not infrastructure code; read as absent, like an unreadable file.
    }
  }
  return result
}
