/**
 * Sets of actions as bit sets over the catalog, so that combining the statements of many policies
 * (union of allows, minus denies, intersection with boundaries and SCPs) costs a few hundred word
 * operations instead of string comparisons.
 */
import type { ActionCatalog } from '../iam/catalog.js'
import type { ActionInfo } from '../iam/types.js'

/** The actions sets are drawn from: the whole catalog, or a part of it (see EvaluationContext.serviceUniverse). */
export interface ActionUniverse {
  readonly actions: readonly ActionInfo[]
  readonly words: number
  empty(): ActionSet
}

/**
 * The actions of an Action or NotAction element: the shared set, and the part of its words that
 * holds actions, which is all a one-action test reads (a few words, not the whole catalog's).
 */
export interface ElementActions {
  /** Shared: do not modify it. */
  set: ActionSet
  /** Position in `set.bits` of `words[0]`. */
  from: number
  /** `set.bits` from its first non-zero word to its last; empty when the set is. */
  words: Uint32Array
}

const NAME_LIMIT = 20_000

/** A trie over lists of action patterns, for the sets of Action and NotAction elements. */
interface PatternNode {
  actions?: ElementActions
  next?: Map<string, PatternNode>
}

/** `set` with the span of its non-zero words. */
export function elementActions(set: ActionSet): ElementActions {
  const bits = set.bits
  let from = 0
  while (from < bits.length && bits[from] === 0) from++
  let to = bits.length
  while (to > from && bits[to - 1] === 0) to--
  return { set, from, words: bits.slice(from, to) }
}

/** Whether the element names the action at `position`. */
export function elementHas(actions: ElementActions, position: number): boolean {
  const w = (position >>> 5) - actions.from
  return w >= 0 && w < actions.words.length && (actions.words[w]! & (1 << (position & 31))) !== 0
}

const shared = new WeakMap<ActionCatalog, ActionIndex>()

/**
 * The index of a catalog, one per catalog: every analysis of the process (both revisions, each
 * rule's context) reuses its positions, per-service sets and the sets of Action elements seen.
 */
export function actionIndexOf(catalog: ActionCatalog): ActionIndex {
  let index = shared.get(catalog)
  if (index === undefined) {
    index = new ActionIndex(catalog)
    shared.set(catalog, index)
  }
  return index
}

export class ActionIndex implements ActionUniverse {
  readonly actions: readonly ActionInfo[]
  readonly words: number
  private readonly positions = new Map<ActionInfo, number>()
  private readonly byService = new Map<string, { from: number; to: number }>()
  private patternSets: PatternNode = {}
  /** Request action names to positions (-1: not in the catalog), within NAME_LIMIT. */
  private readonly namePositions = new Map<string, number>()
  private notPatternSets: PatternNode = {}
  /** Nodes in both tries: past NAME_LIMIT they start over, so a long-running process stays bounded. */
  private patternNodes = 0
  private fullSet: ActionSet | undefined
  private byArnService: Map<string, ActionSet> | undefined

  constructor(readonly catalog: ActionCatalog) {
    this.actions = catalog.all()
    this.words = Math.ceil(this.actions.length / 32)
    this.actions.forEach((action, i) => {
      this.positions.set(action, i)
      const range = this.byService.get(action.service)
      if (range === undefined) this.byService.set(action.service, { from: i, to: i + 1 })
      else range.to = i + 1
    })
  }

  indexOf(action: ActionInfo): number | undefined {
    return this.positions.get(action)
  }

  /**
   * The position of the action a request names (`s3:GetObject`, any case), or undefined when the
   * catalog does not know it. Remembered by the name as written: requests repeat a few names.
   */
  positionOf(name: string): number | undefined {
    let position = this.namePositions.get(name)
    if (position === undefined) {
      const action = this.catalog.action(name)
      position = (action && this.positions.get(action)) ?? -1
      if (this.namePositions.size >= NAME_LIMIT) this.namePositions.clear()
      this.namePositions.set(name, position)
    }
    return position < 0 ? undefined : position
  }

  empty(): ActionSet {
    return new ActionSet(new Uint32Array(this.words))
  }

  full(): ActionSet {
    if (this.fullSet === undefined) {
      this.fullSet = this.empty()
      for (let i = 0; i < this.actions.length; i++) this.fullSet.add(i)
    }
    return this.fullSet.clone()
  }

  /** The actions an Action element covers (a shared set: do not modify it). */
  ofPatterns(patterns: readonly string[]): ActionSet {
    return this.ofElement(patterns, false).set
  }

  /** What a NotAction element covers: everything else (a shared set: do not modify it). */
  ofNotPatterns(patterns: readonly string[]): ActionSet {
    return this.ofElement(patterns, true).set
  }

  /** The actions of an Action element, or of a NotAction element when `negated` (shared). */
  ofElement(patterns: readonly string[], negated: boolean): ElementActions {
    if (this.patternNodes >= NAME_LIMIT) {
      this.patternSets = {}
      this.notPatternSets = {}
      this.patternNodes = 0
    }
    const node = this.patternNode(negated ? this.notPatternSets : this.patternSets, patterns)
    node.actions ??= elementActions(
      negated ? this.full().minus(this.ofPatterns(patterns)) : this.expandPatterns(patterns),
    )
    return node.actions
  }

  /**
   * The node of a list of patterns in a trie keyed by the patterns themselves: policy documents
   * repeat their Action elements, and a lookup this way builds no key string.
   */
  private patternNode(root: PatternNode, patterns: readonly string[]): PatternNode {
    let node = root
    for (const pattern of patterns) {
      node.next ??= new Map()
      let child = node.next.get(pattern)
      if (child === undefined) {
        child = {}
        node.next.set(pattern, child)
        this.patternNodes++
      }
      node = child
    }
    return node
  }

  private expandPatterns(patterns: readonly string[]): ActionSet {
    const set = this.empty()
    for (const pattern of patterns) {
      for (const action of this.catalog.expand(pattern).actions) set.add(this.positions.get(action)!)
    }
    return set
  }

  ofNames(names: readonly string[]): ActionSet {
    const set = this.empty()
    for (const name of names) {
      const action = this.catalog.action(name)
      if (action !== undefined) set.add(this.positions.get(action)!)
    }
    return set
  }

  /**
   * The actions that can be requested on a resource whose ARN has this service field (the actions
   * with a resource type of that service, e.g. sts:AssumeRole for `iam`), shared: do not modify it.
   */
  onArnService(arnService: string): ActionSet {
    if (this.byArnService === undefined) {
      this.byArnService = new Map()
      this.actions.forEach((action, i) => {
        for (const type of action.resourceTypes) {
          for (const template of type.arnPatterns) {
            const service = template.split(':')[2] ?? ''
            let set = this.byArnService!.get(service)
            if (set === undefined) {
              set = this.empty()
              this.byArnService!.set(service, set)
            }
            set.add(i)
          }
        }
      })
    }
    return this.byArnService.get(arnService) ?? this.empty()
  }

  serviceRange(service: string): { from: number; to: number } | undefined {
    return this.byService.get(service)
  }
}

export class ActionSet {
  constructor(readonly bits: Uint32Array) {}

  add(index: number): void {
    this.bits[index >>> 5]! |= 1 << (index & 31)
  }

  has(index: number): boolean {
    return (this.bits[index >>> 5]! & (1 << (index & 31))) !== 0
  }

  clone(): ActionSet {
    return new ActionSet(Uint32Array.from(this.bits))
  }

  /** In place. */
  unionWith(other: ActionSet): this {
    for (let w = 0; w < this.bits.length; w++) this.bits[w]! |= other.bits[w]!
    return this
  }

  /** In place. */
  intersectWith(other: ActionSet): this {
    for (let w = 0; w < this.bits.length; w++) this.bits[w]! &= other.bits[w]!
    return this
  }

  /** In place. */
  minus(other: ActionSet): this {
    for (let w = 0; w < this.bits.length; w++) this.bits[w]! &= ~other.bits[w]!
    return this
  }

  isEmpty(): boolean {
    for (let w = 0; w < this.bits.length; w++) if (this.bits[w] !== 0) return false
    return true
  }

  size(): number {
    let count = 0
    for (let w = 0; w < this.bits.length; w++) {
      let v = this.bits[w]!
      v -= (v >>> 1) & 0x55555555
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
      count += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
    }
    return count
  }

  *indices(): Generator<number> {
    for (let w = 0; w < this.bits.length; w++) {
      let v = this.bits[w]!
      while (v !== 0) {
        const low = v & -v
        yield (w << 5) + (31 - Math.clz32(low))
        v ^= low
      }
    }
  }
}
