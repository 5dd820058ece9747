/**
 * The grants a principal holds, indexed so that "does it already hold this one?" costs a few map
 * lookups: by exact (service, capability, resource), and, for patterns, by (service, capability).
 */
import { patternCovers } from './resourcePatterns.js'
import type { Grant } from './types.js'

const actionSets = new WeakMap<string[], Set<string>>()

function includesAll(held: string[], wanted: string[]): boolean {
  if (held === wanted) return true
  if (held.length < wanted.length) return false
  if (held.length === 1 && held[0] === '*') return true
  let set = actionSets.get(held)
  if (set === undefined) {
    set = new Set(held)
    actionSets.set(held, set)
  }
  return wanted.every((a) => set.has(a))
}

/** The text before the first wildcard: a pattern can cover another only if this prefixes the other's. */
function literalPrefix(pattern: string): string {
  let end = pattern.length
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i)
    if (c === 42 || c === 63) {
      end = i
      break
    }
  }
  return pattern.slice(0, end)
}

export class HeldGrants {
  private readonly exact = new Map<string, Grant[]>()
  /** Pattern grants by (service, capability, literal prefix). */
  private readonly patterns = new Map<string, Grant[]>()
  private readonly admins = new Map<string, Grant[]>()

  constructor(grants: Iterable<Grant> = []) {
    for (const g of grants) this.add(g)
  }

  add(grant: Grant): void {
    push(this.exact, `${grant.service}\n${grant.capability}\n${grant.resource}`, grant)
    if (grant.resource.includes('*') || grant.resource.includes('?')) {
      push(this.patterns, `${grant.service}\n${grant.capability}\n${literalPrefix(grant.resource)}`, grant)
    }
    if (grant.service === '*') push(this.admins, grant.capability, grant)
  }

  /** Whether a held grant already gives everything `grant` gives (same or wider, no more conditional). */
  covers(grant: Grant): boolean {
    const holds = (own: Grant): boolean =>
      (!own.conditional || grant.conditional) && includesAll(own.actions, grant.actions)
    const same = this.exact.get(`${grant.service}\n${grant.capability}\n${grant.resource}`)
    if (same?.some(holds)) return true
    const wider = this.patterns.get(`${grant.service}\n${grant.capability}`) ?? []
    if (
      wider.some(
        (own) => own.resource !== grant.resource && patternCovers(own.resource, grant.resource) && holds(own),
      )
    )
      return true
    const admin = this.patterns.get(`*\n${grant.capability}`)
    return admin?.some((own) => !own.conditional || grant.conditional) ?? false
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}
