/**
 * A snapshot of a plain folder on disk. Symbolic links are not followed, so a tree cannot make the
 * analysis read outside itself.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { Snapshot } from '../iac/types.js'

const SKIPPED = new Set(['.git', 'node_modules', '.terraform.lock.hcl'])

export function folderSnapshot(root: string): Snapshot {
  const files: string[] = []
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (SKIPPED.has(name)) continue
      const full = join(dir, name)
      const stat = lstatSync(full)
      if (stat.isDirectory()) walk(full)
      else if (stat.isFile()) files.push(relative(root, full).split(sep).join('/'))
    }
  }
  walk(root)
  files.sort()
  const known = new Set(files)
  return {
    paths: () => files,
    read(path: string): string | undefined {
      if (!known.has(path)) return undefined
      try {
        return readFileSync(join(root, path), 'utf8')
      } catch {
        return undefined
      }
    },
  }
}

/** A snapshot of files held in memory, for tests and for blobs read from git. */
export function memorySnapshot(files: Record<string, string>): Snapshot {
  const paths = Object.keys(files).sort()
  return { paths: () => paths, read: (path) => (Object.hasOwn(files, path) ? files[path] : undefined) }
}
