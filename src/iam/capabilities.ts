/**
 * Every AWS action in words engineers understand: the six capabilities of the k9 Security access
 * capability model. Three sources, first match wins:
 *
 * 1. an explicit entry in `data/capability-overrides.json`, per action or per service and access
 *    level: all data-plane knowledge lives there, so that it can be reviewed as data;
 * 2. a few name heuristics (below), for the long tail of services nobody listed;
 * 3. the catalog's access level: List and Read are read-config, Write is administer-resource
 *    (control plane is the safe guess: it scores highest), Permissions management is
 *    administer-resource, and so is Tagging, because tags drive ABAC conditions and the
 *    confidentiality classification this tool relies on.
 *
 * Resource types are not used: the catalog names the same table or queue ARN as the target of
 * control-plane and data-plane actions alike, so they cannot tell the two apart.
 */
import { readFileSync } from 'node:fs'
import { type AccessLevel, type ActionInfo, CAPABILITIES, type Capability } from './types.js'

export interface ActionOverride {
  /** Action name in the file's case, e.g. `GetObject`. */
  name: string
  capabilities: Capability[]
  why?: string
}

export interface ServiceOverride {
  why?: string
  /** Capabilities for every action of the service at that (highest) access level. */
  levels: Partial<Record<AccessLevel, Capability[]>>
  /** Keyed by lower-case action name. */
  actions: ReadonlyMap<string, ActionOverride>
}

export interface CapabilityOverrides {
  /** Keyed by service prefix (lower case). */
  services: ReadonlyMap<string, ServiceOverride>
}

export type CapabilitySource = 'action-override' | 'service-level' | 'name' | 'access-level'

export interface CapabilityExplanation {
  capabilities: Capability[]
  source: CapabilitySource
  why?: string
}

export const CAPABILITY_OVERRIDES_FILE = new URL('../../data/capability-overrides.json', import.meta.url)

/** Highest first: an action marked "Permissions management, Write" is a permissions action. */
const LEVEL_PRIORITY: readonly AccessLevel[] = ['Permissions management', 'Tagging', 'Write', 'Read', 'List']

const LEVEL_DEFAULTS: Readonly<Record<AccessLevel, Capability>> = {
  'Permissions management': 'administer-resource',
  Tagging: 'administer-resource',
  Write: 'administer-resource',
  Read: 'read-config',
  List: 'read-config',
}

let loaded: CapabilityOverrides | undefined
const memo = new WeakMap<ActionInfo, CapabilityExplanation>()

/** The overrides file, read and validated once. */
export function capabilityOverrides(): CapabilityOverrides {
  loaded ??= parseCapabilityOverrides(
    JSON.parse(readFileSync(CAPABILITY_OVERRIDES_FILE, 'utf8')),
    'capability-overrides.json',
  )
  return loaded
}

/** The capabilities of one action, in CAPABILITIES order, never empty. Shared and frozen. */
export function capabilitiesOf(action: ActionInfo): Capability[] {
  return explainCapabilities(action).capabilities
}

/** The capabilities of one action and where they come from (for reports and reviews of the table). */
export function explainCapabilities(action: ActionInfo): CapabilityExplanation {
  let found = memo.get(action)
  if (found === undefined) {
    found = Object.freeze(derive(action, capabilityOverrides()))
    Object.freeze(found.capabilities)
    memo.set(action, found)
  }
  return found
}

function derive(action: ActionInfo, overrides: CapabilityOverrides): CapabilityExplanation {
  const level = LEVEL_PRIORITY.find((l) => action.accessLevels.includes(l))
  const service = overrides.services.get(action.service.toLowerCase())
  const entry = service?.actions.get(action.name.toLowerCase())
  if (entry !== undefined) return withWhy(entry.capabilities, 'action-override', entry.why)
  const forLevel = level === undefined ? undefined : service?.levels[level]
  if (forLevel !== undefined) return withWhy(forLevel, 'service-level', service?.why)
  const byName = level === undefined ? undefined : nameHeuristic(action.name, level)
  if (byName !== undefined) return { capabilities: [byName], source: 'name' }
  // An action without a known level is unknown territory: assume the worst.
  return {
    capabilities: [level === undefined ? 'administer-resource' : LEVEL_DEFAULTS[level]],
    source: 'access-level',
  }
}

/**
 * The only name heuristics, each because the verb is unambiguous across services:
 * - `Invoke*`, `Assume*`, `Pass*` (Read or Write) use a resource without changing it
 *   (bedrock:InvokeModel, deadline:AssumeQueueRoleForRead, glue:PassConnection);
 * - `Download*` (Read) hands out content (rds log files, support attachments);
 * - `Get*`, `Describe*`, `List*`, `View*` classed as Permissions management only read permissions
 *   (fsx:GetResourcePolicy, quicksight:DescribeTopicPermissions).
 */
function nameHeuristic(name: string, level: AccessLevel): Capability | undefined {
  const verb = leadingVerb(name)
  if (level === 'Read' || level === 'Write') {
    if (verb === 'Invoke' || verb === 'Assume' || verb === 'Pass') return 'use-resource'
    if (verb === 'Download' && level === 'Read') return 'read-data'
  }
  if (level === 'Permissions management' && ['Get', 'Describe', 'List', 'View'].includes(verb)) {
    return 'read-config'
  }
  return undefined
}

/** `PassRole` → `Pass`, but `Password` → `Password`: the verb ends before the next capital. */
function leadingVerb(name: string): string {
  let end = 1
  while (end < name.length && !isUpper(name.charCodeAt(end))) end++
  return name.slice(0, end)
}

function isUpper(code: number): boolean {
  return code >= 65 && code <= 90
}

function withWhy(capabilities: Capability[], source: CapabilitySource, why: string | undefined) {
  return why === undefined ? { capabilities, source } : { capabilities, source, why }
}

// ---------------------------------------------------------------------------------------------
// Validation: the file is edited by hand, so every mistake must name the entry it is in.

const LEVELS = new Set<string>(LEVEL_PRIORITY)
const CAPABILITY_SET = new Set<string>(CAPABILITIES)

export function parseCapabilityOverrides(json: unknown, source: string): CapabilityOverrides {
  const fail = (path: string, message: string): never => {
    throw new Error(`${source}: ${path}: ${message}`)
  }
  const root = asObject(json, '$', fail)
  onlyKeys(root, ['$comment', 'services'], '$', fail)
  const services = new Map<string, ServiceOverride>()
  for (const [prefix, raw] of Object.entries(asObject(root.services, 'services', fail))) {
    const path = `services.${prefix}`
    if (!/^[a-z0-9-]+$/.test(prefix)) fail(path, 'a service prefix is lower-case letters, digits and "-"')
    const entry = asObject(raw, path, fail)
    onlyKeys(entry, ['why', 'levels', 'actions'], path, fail)
    const why = optionalText(entry.why, `${path}.why`, fail)
    const levels: Partial<Record<AccessLevel, Capability[]>> = {}
    if (entry.levels !== undefined) {
      for (const [level, caps] of Object.entries(asObject(entry.levels, `${path}.levels`, fail))) {
        if (!LEVELS.has(level))
          fail(`${path}.levels.${level}`, `not an access level (${LEVEL_PRIORITY.join(', ')})`)
        levels[level as AccessLevel] = capabilityList(caps, `${path}.levels.${level}`, fail)
      }
    }
    const actions = new Map<string, ActionOverride>()
    if (entry.actions !== undefined) {
      for (const [name, value] of Object.entries(asObject(entry.actions, `${path}.actions`, fail))) {
        const at = `${path}.actions.${name}`
        if (!/^[A-Za-z0-9_-]+$/.test(name))
          fail(at, 'an action name has no service prefix, wildcard or space')
        if (actions.has(name.toLowerCase())) fail(at, 'listed twice (names compare ignoring case)')
        actions.set(name.toLowerCase(), actionOverride(name, value, at, fail))
      }
    }
    if (entry.levels === undefined && entry.actions === undefined) fail(path, 'needs "levels" or "actions"')
    services.set(prefix, why === undefined ? { levels, actions } : { why, levels, actions })
  }
  return { services }
}

type Fail = (path: string, message: string) => never

function actionOverride(name: string, value: unknown, path: string, fail: Fail): ActionOverride {
  if (Array.isArray(value)) return { name, capabilities: capabilityList(value, path, fail) }
  const entry = asObject(value, path, fail)
  onlyKeys(entry, ['capabilities', 'why'], path, fail)
  const capabilities = capabilityList(entry.capabilities, `${path}.capabilities`, fail)
  const why = optionalText(entry.why, `${path}.why`, fail)
  return why === undefined ? { name, capabilities } : { name, capabilities, why }
}

function capabilityList(value: unknown, path: string, fail: Fail): Capability[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be a non-empty list of capabilities')
  const list = value as unknown[]
  for (const item of list) {
    if (typeof item !== 'string' || !CAPABILITY_SET.has(item)) {
      fail(path, `${JSON.stringify(item)} is not a capability (${CAPABILITIES.join(', ')})`)
    }
  }
  if (new Set(list).size !== list.length) fail(path, 'lists a capability twice')
  // Sorted here, once, so every caller gets CAPABILITIES order.
  return CAPABILITIES.filter((c) => list.includes(c))
}

function asObject(value: unknown, path: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'must be an object')
  return value as Record<string, unknown>
}

function onlyKeys(entry: Record<string, unknown>, allowed: string[], path: string, fail: Fail): void {
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key)) fail(path, `unknown key "${key}" (allowed: ${allowed.join(', ')})`)
  }
}

function optionalText(value: unknown, path: string, fail: Fail): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be a non-empty string')
  return value as string
}
