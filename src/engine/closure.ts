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
    let list: Reached[]
    if (members.length === 1 && successors.size <= 1) {
      // One principal in front of one component: its own grants, then those of the component that
      // it does not hold already (that list is without repeats too).
      const own = directOf(members[0]!)
      const [j] = successors
      const mine = own.map((grant) => ({ grant, from: members[0]! }))
      if (j === undefined) list = mine
      else {
        const held = new HeldGrants(own)
        list = mine
        for (const r of merged[j]!) if (!held.covers(r.grant)) list.push(r)
      }
      // Two sorted runs: merged in linear time.
      list.sort(byGrant)
    } else {
      const seen = new HeldGrants()
      list = []
      const take = (r: Reached): void => {
        if (seen.covers(r.grant)) return
        seen.add(r.grant)
        list.push(r)
      }
      for (const m of members) for (const grant of directOf(m)) take({ grant, from: m })
      for (const j of [...successors].sort((a, b) => a - b)) for (const r of merged[j]!) take(r)
      list.sort(byGrant)
    }
    merged[i] = list
    for (const m of members) out.set(m, list)
  })
  return out
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
