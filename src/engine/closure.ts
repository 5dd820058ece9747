/**
 * What each principal reaches through paths, as grants: the grants of every principal it can
 * become, each once. Computed per strongly connected component of the path graph (a ring of roles
 * that can assume each other shares one answer), successors first, so each component merges its
 * members' grants with its successors' merged lists instead of walking every path again.
 */
import { compareGrants } from './grants.js'
import { HeldGrants } from './heldGrants.js'
import type { AccessEdge, Grant } from './types.js'

export interface Reached {
  grant: Grant
  /** Id of the principal that holds it directly. */
  from: string
}

/**
 * For every principal id, the grants of the principals it reaches (its own included, marked by
 * `from`), without repeats (no grant in a list is covered by another), sorted by compareGrants.
 */
export function reachedGrants(
  ids: string[],
  adjacency: Map<string, AccessEdge[]>,
  directOf: (id: string) => Grant[],
): Map<string, Reached[]> {
  const components = stronglyConnected(ids, adjacency)
  const componentOf = new Map<string, number>()
  components.forEach((members, i) => {
    for (const m of members) componentOf.set(m, i)
  })
  const merged: Reached[][] = []
  // The grants of a set of successor components, without repeats and sorted: principals in front
  // of the same roles (every deploy role that may pass the same task roles) share one.
  const unions = new Map<string, Reached[]>()
  const unionOf = (successors: number[]): Reached[] => {
    if (successors.length === 1) return merged[successors[0]!]!
    const key = successors.join(',')
    let union = unions.get(key)
    if (union === undefined) {
      union = distinct(successors.map((j) => merged[j]!))
      unions.set(key, union)
    }
    return union
  }
  const objects = new ObjectIds()
  const others = new Map<string, { position: Map<Reached, number>; list: Reached[] }>()
  const out = new Map<string, Reached[]>()
  // Tarjan's algorithm yields components with their successors first.
  components.forEach((members, i) => {
    const successors = new Set<number>()
    for (const m of members) {
      for (const e of adjacency.get(m) ?? []) {
        const j = componentOf.get(e.to)
        if (j !== undefined && j !== i) successors.add(j)
      }
    }
    const after = [...successors].sort((a, b) => a - b)
    const own = distinct(members.map((m) => directOf(m).map((grant) => ({ grant, from: m }))))
    let list = own
    if (after.length > 0) {
      // Own grants, then those of the successors that they do not hold already. Holding is
      // transitive (same resource, fewer actions, no less conditional), so dropping what the
      // successors repeat among themselves first changes nothing. Principals with the same grants
      // in front of the same components (roles sharing managed policies) get the same list, with
      // their own entries in place of the first one's.
      const key = `${objects.of(own.map((r) => r.grant))}|${after.join(',')}`
      const known = others.get(key)
      if (known === undefined) {
        const held = new HeldGrants(own.map((r) => r.grant))
        // Two sorted runs: merged in linear time.
        list = own.concat(unionOf(after).filter((r) => !held.covers(r.grant))).sort(byGrant)
        others.set(key, { position: new Map(own.map((r, k) => [r, k])), list })
      } else {
        list = known.list.map((r) => {
          const k = known.position.get(r)
          return k === undefined ? r : own[k]!
        })
      }
    }
    merged[i] = list
    for (const m of members) out.set(m, list)
  })
  return out
}

/** The grants of the lists in order, each unless one taken before it covers it; sorted. */
function distinct(lists: Reached[][]): Reached[] {
  const seen = new HeldGrants()
  const out: Reached[] = []
  for (const list of lists) {
    for (const r of list) {
      if (seen.covers(r.grant)) continue
      seen.add(r.grant)
      out.push(r)
    }
  }
  return out.sort(byGrant)
}

/** Numbers for objects, to key a list of them by the objects themselves. */
export class ObjectIds {
  private readonly numbers = new Map<object, number>()

  /** The list as one key: the same objects in the same order give the same key. */
  of(list: readonly object[]): string {
    let key = ''
    for (const o of list) {
      let n = this.numbers.get(o)
      if (n === undefined) {
        n = this.numbers.size
        this.numbers.set(o, n)
      }
      key += `${n},`
    }
    return key
  }
}

function byGrant(a: Reached, b: Reached): number {
  return compareGrants(a.grant, b.grant)
}

/** Tarjan's strongly connected components, iteratively (paths can be long), successors first. */
function stronglyConnected(ids: string[], adjacency: Map<string, AccessEdge[]>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  let counter = 0
  for (const root of ids) {
    if (index.has(root)) continue
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }]
    index.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length > 0) {
      const frame = work[work.length - 1]!
      const edges = adjacency.get(frame.node) ?? []
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!.to
        if (!index.has(to)) {
          index.set(to, counter)
          low.set(to, counter++)
          stack.push(to)
          onStack.add(to)
          work.push({ node: to, next: 0 })
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!))
        }
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!))
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.node)
        components.push(component.sort())
      }
    }
  }
  return components
}
