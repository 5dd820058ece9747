/**
 * The risk stage's vocabulary: classification of data, and the interface of one finding rule
 * (one module per rule in src/risk/rules/, registered in one list).
 */
import type { Config } from '../config/types.js'
import type { AccessMap } from '../engine/types.js'
import type { Model, Resource } from '../model/types.js'
import type { Finding } from '../report/contract.js'

/** How sensitive a resource's data is, from its confidentiality tag. */
export interface Classification {
  /** `unclassified` when a data store has no tag; `public`/`internal` from the tag's value. */
  level: 'public' | 'internal' | 'unclassified' | 'confidential' | 'restricted'
  /** The tag's value as written, or null. */
  value: string | null
  confidential: boolean
}

/** One revision as the rules see it. */
export interface RuleInput {
  model: Model
  access: AccessMap
  config: Config
  classify(resource: Resource): Classification
  /**
   * The other revision's model when this one is the head of a diff: rules that judge a change
   * (a downgraded tag) need it; every other rule looks at one revision only.
   */
  previous?: Model
}

/** A finding of one revision; `key` identifies it across revisions to decide new/resolved/unchanged. */
export interface RuleFinding extends Omit<Finding, 'status'> {
  key: string
  /** The principal's id (names may repeat across types), for hazard strokes; not in the contract. */
  principalId?: string
}

export interface Rule {
  id: string
  description: string
  /** Anchor in docs/rules.md. */
  docs: string
  check(input: RuleInput): RuleFinding[]
}
