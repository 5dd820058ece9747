/**
 * What the engine produces: the access map of a model. Grants use the words of the JSON
 * contract (`src/report/contract.ts`).
 */
import type { Capability } from '../iam/types.js'
import type { Principal, Resource } from '../model/types.js'
import type { StatementSource } from './compile.js'

export interface Grant {
  service: string
  capability: Capability
  /** ARN or ARN pattern (`*` for every resource of the service); symbolic where unresolvable. */
  resource: string
  /** IaC address of the resource, when the pattern names one defined in the tree. */
  resourceAddress?: string
  actions: string[]
  conditional: boolean
  conditions?: string[]
  /**
   * The conditions themselves (operator, key and values, see conditionText), sorted: a grant whose
   * condition values change is a changed grant. Not part of the contract, which names keys only.
   */
  conditionValues?: string[]
  /** How, in words: the statements that allow it, or the path of roles it is reached through. */
  via: string
  /** The statements that allow it (for explanations and the delta). */
  sources: StatementSource[]
  /** Denies that may remove part of it (conditional, or on part of the resources). */
  limitedBy?: StatementSource[]
  /** Ids of the principals it is inherited through, first hop first (absent for direct grants). */
  path?: string[]
}

export type EdgeKind = 'assume-role' | 'pass-role' | 'user-credentials' | 'self-modification'

/** A way for one principal to act as another. */
export interface AccessEdge {
  from: string
  to: string
  kind: EdgeKind
  /** `sts:AssumeRole`, or the pass-role launch action, or `iam:CreateAccessKey`. */
  actions: string[]
  conditional: boolean
  description: string
  /** The conditions of the trust statements that admit it, when they are what makes it conditional. */
  conditionValues?: string[]
}

/** A principal reached through a path, with the route in words. */
export interface PathTo {
  target: string
  via: string
}

export interface PrincipalAccess {
  principal: Principal
  /** True for principals named by policies but not defined in the tree (external accounts, services, the public). */
  external: boolean
  grants: Grant[]
  /** Can do effectively everything, directly or through a path. */
  isAdmin: boolean
  adminReason?: string
}

export interface WhoCanEntry {
  principal: string
  capabilities: Capability[]
  /** Principals that reach it only through a path (assume role, pass role). */
  via?: string
}

export interface ResourceAccess {
  resource: Resource
  /** In principal-name order (code units). */
  whoCan: WhoCanEntry[]
}

export interface AccessMap {
  principals: PrincipalAccess[]
  resources: ResourceAccess[]
  edges: AccessEdge[]
}
