/**
 * Reading `.github/access-diff.yml`: YAML, validated by the schema in ./schema.ts. A bad file is
 * one clear error naming the file and the line of the offending key; an empty or absent file is
 * the default configuration.
 */
import { readFileSync } from 'node:fs'
import { isMap, isScalar, LineCounter, type Node, parseDocument } from 'yaml'
import type { z } from 'zod'
import type { Snapshot } from '../iac/types.js'
import { configSchema, toConfig } from './schema.js'
import { type Config, defaultConfig } from './types.js'

/** Where the configuration lives in the analysed tree. */
export const CONFIG_PATH = '.github/access-diff.yml'

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${detail}`)
    this.name = 'ConfigError'
  }
}

/** Parse and validate the text of a configuration file; `file` names it in errors. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line
  const yamlError = doc.errors[0]
  if (yamlError !== undefined)
    throw new ConfigError(file, lineAt(yamlError.pos[0]), `not valid YAML: ${firstLine(yamlError.message)}`)
  const value: unknown = doc.toJS() ?? {}
  const parsed = configSchema.safeParse(value)
  if (parsed.success) return toConfig(parsed.data)
  const issue = parsed.error.issues[0]!
  const { path, line } = locate(doc.contents, issue, lineAt)
  const where = path.length > 0 ? `${path.join('.')}: ` : ''
  return fail(file, line, `${where}${issue.message}`)
}

function fail(file: string, line: number | undefined, detail: string): never {
  throw new ConfigError(file, line, detail)
}

/** The configuration in a file on disk; a missing file is an error (it was asked for). */
export function loadConfigFile(path: string): Config {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(path, undefined, `cannot read: ${error instanceof Error ? error.message : error}`)
  }
  return parseConfig(text, path)
}

/** The configuration at CONFIG_PATH in a snapshot, or the defaults when there is none. */
export function loadConfigFromSnapshot(snapshot: Snapshot, label = CONFIG_PATH): Config {
  const text = snapshot.read(CONFIG_PATH)
  return text === undefined ? defaultConfig() : parseConfig(text, label)
}

/** The issue's path, with the line of the offending key (or of the first unknown key). */
function locate(
  root: unknown,
  issue: z.core.$ZodIssue,
  lineAt: (offset: number) => number,
): { path: PropertyKey[]; line: number | undefined } {
  let path: PropertyKey[] = [...issue.path]
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path = [...path, issue.keys[0]]
  let node: unknown = root
  let line: number | undefined = rangeLine(root, lineAt)
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key))
      if (pair === undefined) break
      line = rangeLine(pair.key, lineAt) ?? line
      node = pair.value
    } else if (node !== null && typeof node === 'object' && 'items' in node && typeof key === 'number') {
      const item = (node as { items: unknown[] }).items[key]
      line = rangeLine(item, lineAt) ?? line
      node = item
    } else break
  }
  return { path: path.map((k) => (typeof k === 'symbol' ? k.toString() : k)), line }
}

function rangeLine(node: unknown, lineAt: (offset: number) => number): number | undefined {
  const range = (node as Node | null | undefined)?.range
  return range ? lineAt(range[0]) : undefined
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message
}
