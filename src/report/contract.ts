/**
 * The JSON contract: what `diff --format json` and `report --format json` print,
 * and what every renderer reads. Field names here are the contract; added fields are allowed,
 * renamed or removed ones need a new schemaVersion.
 */
import type { Capability } from '../iam/types.js'
import type { PrincipalType } from '../model/types.js'

export type RiskLevel = 'none' | 'low' | 'medium' | 'high' | 'critical'
export type Severity = 'low' | 'medium' | 'high' | 'critical'

export interface ContractGrant {
  service: string
  capability: Capability
  resource: string
  resourceAddress?: string
  actions: string[]
  conditional: boolean
  conditions?: string[]
  via?: string
  /** Added: where the allowing statement is written (first one), for file:line in reports. */
  location?: { file: string; line?: number }
  /** Added: the statement's Sid or `#index`. */
  statement?: string
  /** Added: this grant's strokes (golf score). */
  score?: number
}

export interface PrincipalDelta {
  name: string
  address: string
  type: PrincipalType
  arn?: string
  score: { base: number; head: number; delta: number }
  added: ContractGrant[]
  removed: ContractGrant[]
  /** Added: the `Application` tag (or configured key) value, for grouping in reports. */
  application?: string
  /** Added: each removed grant's reason, same order as `removed`: which statement stopped allowing it or which Deny blocks it. */
  removedBecause?: string[]
}

export interface Finding {
  rule: string
  method?: string
  severity: Severity
  status: 'new' | 'resolved' | 'unchanged'
  principal?: string
  resource?: string
  message: string
  location?: { file: string; line?: number }
}

export interface WhoCan {
  principal: string
  capabilities: string[]
}

export interface DataResourceDelta {
  name: string
  address?: string
  arn?: string
  type: string
  confidentiality: string | null
  whoCan: { base: WhoCan[]; head: WhoCan[] }
  /** Added: confidentiality at base, when it changed. */
  baseConfidentiality?: string | null
  application?: string
}

export interface ContractCoverage {
  filesAnalyzed: number
  policiesAnalyzed: number
  unresolved: { file: string; line?: number; expression: string }[]
  errors: { file: string; line?: number; message: string }[]
  /** Added: what may grant access but was not analysed. */
  notAnalysed?: { file: string; line?: number; what: string; reason: string }[]
}

export interface DiffReport {
  schemaVersion: 1
  verdict: {
    risk: RiskLevel
    securityReview: boolean
    blocking: boolean
    reasons: string[]
  }
  score: { base: number; head: number; delta: number }
  principals: PrincipalDelta[]
  findings: Finding[]
  dataResources: DataResourceDelta[]
  coverage: ContractCoverage
  /** Added: coverage of the base revision (the contract's `coverage` is the head's). */
  baseCoverage?: ContractCoverage
  /** Added: synthesized (fully resolved) policy documents that changed, for the comment's policy diff. */
  policyChanges?: PolicyChange[]
}

/** Added: one policy document at base and head, pretty-printed JSON text; null where it does not exist. */
export interface PolicyChange {
  /** What the reader knows it as: `role/payments-api inline ReadKyc`, a managed policy name. */
  name: string
  location?: { file: string; line?: number }
  base: string | null
  head: string | null
}

export interface AccessReport {
  schemaVersion: 1
  score: number
  principals: {
    name: string
    address: string
    type: PrincipalType
    arn?: string
    score: number
    isAdmin: boolean
    grants: ContractGrant[]
    application?: string
  }[]
  findings: Omit<Finding, 'status'>[]
  dataResources: {
    name: string
    address?: string
    arn?: string
    type: string
    confidentiality: string | null
    whoCan: WhoCan[]
    application?: string
  }[]
  coverage: ContractCoverage
}
