/**
 * The vocabulary of the IAM library, shared by its modules and by everything downstream
 * (loaders, engine, reports). Nothing here knows about IaC or GitHub.
 */

// ---------------------------------------------------------------------------------------------
// Policy documents

export type Effect = 'Allow' | 'Deny'

export type PrincipalKind = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser'

/** One principal named in Principal/NotPrincipal. `"Principal": "*"` is `{ kind: 'AWS', value: '*' }`. */
export interface PrincipalRef {
  kind: PrincipalKind
  value: string
}

export type ConditionSetOperator = 'ForAllValues' | 'ForAnyValue'

export interface Condition {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  operator: string
  /** The operator without set prefix and `IfExists`, e.g. `StringLike`. */
  baseOperator: string
  setOperator?: ConditionSetOperator
  ifExists: boolean
  key: string
  /** Values as strings (numbers and booleans written in JSON are turned into their text). */
  values: string[]
}

export interface Statement {
  /** Position in the document's Statement list (0 when Statement is a single object). */
  index: number
  /** JSON path of the statement within the document, e.g. `$.Statement[2]`. */
  path: string
  sid?: string
  effect: Effect
  principal?: PrincipalRef[]
  notPrincipal?: PrincipalRef[]
  action?: string[]
  notAction?: string[]
  resource?: string[]
  notResource?: string[]
  conditions: Condition[]
}

export interface PolicyDocument {
  version?: string
  id?: string
  /** Only the statements that are valid enough to evaluate; bad ones are reported as problems. */
  statements: Statement[]
}

export interface PolicyProblem {
  /** JSON path of the offending element, e.g. `$.Statement[1].Effect`. */
  path: string
  message: string
  /** `error`: the element (statement or document) could not be used. `warning`: used, but suspicious. */
  severity: 'error' | 'warning'
}

/** What a policy is for decides which elements are required or forbidden. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'boundary' | 'scp' | 'rcp'

// ---------------------------------------------------------------------------------------------
// The action catalog

/** Access levels as the AWS Service Authorization Reference writes them. */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging'

export interface ActionResourceType {
  /** Resource type name within the service, e.g. `object`, `bucket`. */
  name: string
  required: boolean
  /** ARN patterns with `${Partition}`, `${Region}`, `${Account}` and other placeholders. */
  arnPatterns: string[]
  conditionKeys: string[]
}

export interface ActionInfo {
  /** Service prefix, lower case: `s3`. */
  service: string
  /** Action name in the catalog's case: `GetObject`. */
  name: string
  /** `s3:GetObject`. */
  fullName: string
  /** One or more levels: the catalog writes compound levels ("Permissions management, Write"). */
  accessLevels: AccessLevel[]
  /** Empty when the action does not support resource-level permissions (only `*` applies). */
  resourceTypes: ActionResourceType[]
  conditionKeys: string[]
}

// ---------------------------------------------------------------------------------------------
// Capabilities (the k9 Security access capability model)

export const CAPABILITIES = [
  'administer-resource',
  'read-config',
  'use-resource',
  'read-data',
  'write-data',
  'delete-data',
] as const

export type Capability = (typeof CAPABILITIES)[number]
