/** `access-diff diff`: two git revisions or two folders -> the access delta. */
import { resolve } from 'node:path'
import type { Snapshot } from '../iac/types.js'
import { folderSnapshot } from '../source/folder.js'
import { gitSnapshot } from '../source/git.js'
import { analyzeDiff, renderDiff } from './core.js'
import {
  COMMON_OPTIONS,
  configFor,
  emit,
  format,
  loadWithProgress,
  parse,
  UsageError,
  useColor,
} from './io.js'

const OPTIONS = {
  ...COMMON_OPTIONS,
  repo: { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  'base-dir': { type: 'string' },
  'head-dir': { type: 'string' },
} as const

/** Returns the exit status; `help` is printed by the caller when asked for. */
export async function diffCommand(args: string[]): Promise<number | 'help'> {
  const o = parse(args, OPTIONS)
  if (o.help) return 'help'
  const fmt = format(o.format)
  const folders = o['base-dir'] !== undefined || o['head-dir'] !== undefined
  let base: Snapshot
  let head: Snapshot
  let baseLabel: string
  if (folders) {
    if (o['base-dir'] === undefined || o['head-dir'] === undefined)
      throw new UsageError('--base-dir and --head-dir go together')
    if (o.repo !== undefined || o.base !== undefined || o.head !== undefined)
      throw new UsageError('--base-dir/--head-dir cannot be combined with --repo, --base or --head')
    base = readFolder(o['base-dir'])
    head = readFolder(o['head-dir'])
    baseLabel = o['base-dir']
  } else {
    if (o.base === undefined) throw new UsageError('--base REV (or --base-dir and --head-dir) is required')
    const repo = resolve(o.repo ?? '.')
    ;[base, head] = await Promise.all([gitSnapshot(repo, o.base), gitSnapshot(repo, o.head ?? 'HEAD')])
    baseLabel = o.base
  }
  // The base's configuration judges the change: a pull request cannot loosen its own rules.
  const config = configFor(o.config, base, baseLabel)
  const baseResult = await loadWithProgress(base, config, 'base')
  const headResult = await loadWithProgress(head, config, 'head')
  const report = await analyzeDiff(baseResult, headResult, config)
  await emit(
    await renderDiff(report, fmt, {
      color: useColor(o.output),
      confidentialValues: config.confidentiality.confidentialValues,
    }),
    o.output,
  )
  return report.verdict.blocking ? 2 : 0
}

export function readFolder(dir: string): Snapshot {
  try {
    return folderSnapshot(resolve(dir))
  } catch (error) {
    throw new UsageError(`cannot read folder ${dir}: ${error instanceof Error ? error.message : error}`)
  }
}
