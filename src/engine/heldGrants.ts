/**
 * The grants a principal holds, indexed so that "does it already hold this one?" costs a few map
 * lookups: by service, capability and resource. A grant covers another on the same resource with
 * the same or more actions, no more conditionally; an administrator's grants cover everything.
 * A grant on a wider pattern is not taken to cover a narrower one: on a resource whose own policy
 * decides (a KMS key, a resource of another account), the wider grant may give nothing there
 * while the narrower one, allowed by that policy, does.
 */
import type { Grant } from './types.js'

const actionSets = new WeakMap<string[], Set<string>>()

function includesAll(held: string[], wanted: string[]): boolean {
  if (held === wanted) return true
  if (held.length === 1 && held[0] === '*') return true
  if (held.length < wanted.length) return false
  let set = actionSets.get(held)
  if (set === undefined) {
    set = new Set(held)
    actionSets.set(held, set)
  }
  for (const a of wanted) if (!set.has(a)) return false
  return true
}

/** Whether `own` gives all the actions of `grant` on its resource, no more conditionally. */
function holds(own: Grant, grant: Grant): boolean {
  return (!own.conditional || grant.conditional) && includesAll(own.actions, grant.actions)
}

/** The grants of one service and capability. */
type Slot = Map<string, Grant[]>

export class HeldGrants {
  private readonly slots = new Map<string, Map<string, Slot>>()
  /** An administrator's grants (service `*`), by capability. */
  private readonly admins = new Map<string, Grant[]>()

  constructor(grants: Iterable<Grant> = []) {
    for (const g of grants) this.add(g)
  }

  add(grant: Grant): void {
    if (grant.service === '*') {
      const list = this.admins.get(grant.capability)
      if (list === undefined) this.admins.set(grant.capability, [grant])
      else list.push(grant)
      return
    }
    let byCapability = this.slots.get(grant.service)
    if (byCapability === undefined) {
      byCapability = new Map()
      this.slots.set(grant.service, byCapability)
    }
    let slot = byCapability.get(grant.capability)
    if (slot === undefined) {
      slot = new Map()
      byCapability.set(grant.capability, slot)
    }
    const same = slot.get(grant.resource)
    if (same === undefined) slot.set(grant.resource, [grant])
    else same.push(grant)
  }

  /** Whether a held grant already gives everything `grant` gives: same resource, same or more actions, no more conditionally. */
  covers(grant: Grant): boolean {
    const admin = this.admins.get(grant.capability)
    if (admin !== undefined) for (const own of admin) if (!own.conditional || grant.conditional) return true
    const slot = this.slots.get(grant.service)?.get(grant.capability)
    if (slot === undefined) return false
    const same = slot.get(grant.resource)
    if (same !== undefined) for (const own of same) if (holds(own, grant)) return true
    return false
  }
}
