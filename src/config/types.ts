/**
 * The configuration (`.github/access-diff.yml`, see README.md "Configuration" and
 * `schema/access-diff.schema.json`), as the core reads it once validated. Defaults make an empty
 * file a complete configuration; the default weights are listed in docs/rules.md "The golf score".
 */
import type { RiskLevel } from '../report/contract.js'

export interface Weights {
  capability: Record<string, number>
  scope: { resource: number; pattern: number; service: number; otherAccount: number }
  /** Criticality by service prefix; `dataStore`, `compute` and `other` for the groups. */
  criticality: Record<string, number>
  data: { public: number; internal: number; confidential: number; restricted: number }
  strongCondition: number
  /** Flat strokes per hazard. */
  hazards: {
    privilegeEscalation: number
    admin: number
    public: number
    crossAccount: number
    resourcePolicyControl: number
  }
}

export interface Config {
  confidentiality: {
    /** Tag key, compared case-insensitively. */
    tagKey: string
    /** Values that make a resource confidential (case-insensitive), most severe last. */
    confidentialValues: string[]
  }
  homeAccounts: string[]
  /** Accounts outside the home accounts that are known and trusted (lower severity). */
  knownAccounts: { id: string; name?: string }[]
  securityReviewers: string[]
  /** Risk levels (`high`) or rule ids (`public-access`) that make the check fail. */
  failOn: string[]
  include: string[]
  exclude: string[]
  /**
   * Terraform var files by root module directory (`.` for the tree's root), each path relative to
   * that directory, read after terraform.tfvars and *.auto.tfvars as `-var-file` would be.
   */
  terraformVarFiles: Record<string, string[]>
  applicationTagKey: string
  weights: Weights
}

export const RISK_LEVELS: RiskLevel[] = ['none', 'low', 'medium', 'high', 'critical']

export function defaultWeights(): Weights {
  return {
    capability: {
      'read-config': 1,
      'use-resource': 2,
      'read-data': 3,
      'write-data': 3,
      'delete-data': 4,
      'administer-resource': 5,
    },
    scope: { resource: 1, pattern: 2, service: 4, otherAccount: 8 },
    criticality: {
      iam: 10,
      sts: 10,
      organizations: 10,
      sso: 10,
      kms: 5,
      secretsmanager: 5,
      ssm: 5,
      dataStore: 3,
      compute: 2,
      other: 1,
    },
    data: { public: 1, internal: 2, confidential: 4, restricted: 8 },
    strongCondition: 0.5,
    hazards: { privilegeEscalation: 50, admin: 100, public: 40, crossAccount: 20, resourcePolicyControl: 20 },
  }
}

export function defaultConfig(): Config {
  return {
    confidentiality: { tagKey: 'Confidentiality', confidentialValues: ['Confidential', 'Restricted'] },
    homeAccounts: [],
    knownAccounts: [],
    securityReviewers: [],
    failOn: ['critical'],
    include: [],
    exclude: [],
    terraformVarFiles: {},
    applicationTagKey: 'Application',
    weights: defaultWeights(),
  }
}
