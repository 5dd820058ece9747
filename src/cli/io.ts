/**
 * What `diff` and `report` share: options, the configuration, loading a tree (with a progress line
 * on a terminal) and writing the output.
 */
import { writeFile } from 'node:fs/promises'
import { type ParseArgsConfig, parseArgs } from 'node:util'
import { CONFIG_PATH, loadConfigFile, loadConfigFromSnapshot } from '../config/load.js'
import type { Config } from '../config/types.js'
import { loadTree } from '../iac/load.js'
import type { LoaderOptions, LoadResult, Snapshot } from '../iac/types.js'
import { FORMATS, type Format } from './core.js'

/** Bad usage: the message and the command's help go to stderr, exit status 1. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export const COMMON_OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
}

export function format(value: string | undefined): Format {
  if (value === undefined) return 'text'
  if ((FORMATS as string[]).includes(value)) return value as Format
  throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${value}`)
}

/** --config FILE when given, else the tree's own .github/access-diff.yml, else the defaults. */
export function configFor(option: string | undefined, tree: Snapshot, treeLabel: string): Config {
  if (option !== undefined) return loadConfigFile(option)
  return loadConfigFromSnapshot(tree, `${treeLabel}:${CONFIG_PATH}`)
}

export function loaderOptions(config: Config): LoaderOptions {
  return {
    ...(config.homeAccounts[0] !== undefined ? { homeAccount: config.homeAccounts[0] } : {}),
    ...(config.include.length > 0 ? { include: config.include } : {}),
    ...(config.exclude.length > 0 ? { exclude: config.exclude } : {}),
    ...(Object.keys(config.terraformVarFiles).length > 0
      ? { terraformVarFiles: config.terraformVarFiles }
      : {}),
  }
}

/** Trees with at least this many files get a progress line (when stderr is a terminal). */
export const PROGRESS_FILES = 500

export async function loadWithProgress(
  snapshot: Snapshot,
  config: Config,
  label: string,
): Promise<LoadResult> {
  const files = snapshot.paths().length
  const show = process.stderr.isTTY === true && files >= PROGRESS_FILES
  if (show) process.stderr.write(`access-diff: reading ${label} (${files.toLocaleString('en-US')} files)...`)
  try {
    return await loadTree(snapshot, loaderOptions(config))
  } finally {
    if (show) process.stderr.write('\r\x1b[2K')
  }
}

/** Colour only for a terminal on stdout, and never with NO_COLOR set. */
export function useColor(output: string | undefined): boolean {
  return output === undefined && process.stdout.isTTY === true && !process.env.NO_COLOR
}

export async function emit(text: string, output: string | undefined): Promise<void> {
  if (output === undefined) {
    process.stdout.write(text)
    return
  }
  try {
    await writeFile(output, text)
  } catch (error) {
    throw new UsageError(`cannot write ${output}: ${error instanceof Error ? error.message : error}`)
  }
}
