/**
 * The model: what a loader makes of a tree of infrastructure code, and all the engine needs.
 * Principals, resources and the policies that join them, each with where it was written.
 *
 * Values a loader cannot resolve stay symbolic: `${aws_s3_bucket.kyc.bucket}`, `${KycBucket.Arn}`.
 * A symbol never contains a colon, which tells it apart from an IAM policy variable such as
 * `${aws:username}`: a symbol is an exact (unknown) value and matches only itself.
 */
import type { PolicyDocument, PolicyProblem } from '../iam/types.js'

export interface SourceLocation {
  file: string
  line?: number
}

export type PolicyOrigin =
  | 'inline'
  | 'customer-managed'
  | 'aws-managed'
  | 'resource'
  | 'trust'
  | 'boundary'
  | 'scp'
  | 'rcp'

export interface Policy {
  /** Stable key: an IaC address (`aws_iam_policy.app_read`, `AppReadPolicy`) or the managed policy ARN. */
  id: string
  /** What a reader calls it: the IAM policy name when known, else the IaC name. */
  name: string
  origin: PolicyOrigin
  document: PolicyDocument
  location?: SourceLocation
  /** Where each statement was written, by statement index, when the loader knows. */
  statementLocations?: Record<number, SourceLocation>
  problems?: PolicyProblem[]
}

export type PrincipalType = 'role' | 'user' | 'group' | 'account' | 'service' | 'federated' | 'public'

export interface Principal {
  /** Stable key: the ARN when known, else the IaC address. */
  id: string
  type: PrincipalType
  /** IAM name when known (RoleName, UserName), else the IaC name. */
  name: string
  /** IaC address: CloudFormation logical id or Terraform address. */
  address?: string
  /** Possibly symbolic: `arn:aws:iam::${AWS::AccountId}:role/${PaymentsRole.RoleName}`. */
  arn?: string
  /** Account the principal lives in (possibly symbolic); undefined for services and the public. */
  account?: string
  /** Identity policies: inline, customer managed and AWS managed ones attached to it. */
  policies: Policy[]
  /** Ids of the groups a user belongs to. */
  groups?: string[]
  boundary?: Policy
  /** Roles only. */
  trustPolicy?: Policy
  tags?: Record<string, string>
  location?: SourceLocation
  /** Users only: long-lived access keys the tree creates for the user. */
  accessKeys?: AccessKey[]
}

/** A long-lived access key (`aws_iam_access_key`, `AWS::IAM::AccessKey`). */
export interface AccessKey {
  /** IaC address: Terraform address or CloudFormation logical id. */
  address: string
  /** `Active` unless the code says `Inactive`. */
  status: 'Active' | 'Inactive'
  /**
   * Where the secret can be read besides the key itself: an output of the tree (`output "secret"`,
   * a stack output with `!GetAtt Key.SecretAccessKey`), or the Terraform state in clear text (no
   * `pgp_key`).
   */
  secretExposure?: { kind: 'output' | 'state'; detail: string; location?: SourceLocation }
  location?: SourceLocation
}

export interface Resource {
  /** Stable key: the IaC address when defined in the tree, else the ARN. */
  id: string
  /** `AWS::S3::Bucket` or `aws_s3_bucket` style. */
  type: string
  /** Service prefix of the ARN: `s3`. */
  service: string
  name: string
  address?: string
  /** Possibly symbolic. */
  arn: string
  /**
   * Further ARNs that belong to the resource and that policies name separately: the objects of a
   * bucket (`arn:aws:s3:::kyc/*`), the indexes of a table. Access to these is access to the resource.
   */
  childArns?: string[]
  account?: string
  tags?: Record<string, string>
  /** Resource-based policy: bucket policy, key policy, queue policy, ... (merged when several). */
  policy?: Policy
  /** Whether it stores data (buckets, tables, secrets, ...), for classification and who-can. */
  holdsData: boolean
  /** The public can reach it without any policy saying so (Lambda URL with AuthType NONE, public ACL). */
  publicAccess?: { capabilities: string[]; reason: string; location?: SourceLocation }
  /** S3 Block Public Access settings of a bucket (its own, or the account's, whichever blocks). */
  publicAccessBlock?: PublicAccessBlock
  location?: SourceLocation
}

/** S3 Block Public Access: each setting true when the bucket's or the account's setting is. */
export interface PublicAccessBlock {
  /** A put of a public ACL fails. */
  blockPublicAcls: boolean
  /** Public ACL grants are not effective. */
  ignorePublicAcls: boolean
  /** A put of a public bucket policy fails. */
  blockPublicPolicy: boolean
  /** A public policy grants only to AWS services and the bucket owner's account. */
  restrictPublicBuckets: boolean
  /** Where the settings were written (the bucket's, then the account's). */
  locations: SourceLocation[]
}

/** An SCP or RCP and whom it applies to (configured or read from aws_organizations_policy). */
export interface OrganizationPolicy {
  policy: Policy
  /** Account ids it applies to; undefined means every account of the model. */
  accounts?: string[]
}

export interface Model {
  /** The accounts that hold the tree's resources; the first is the default for unknown ones. */
  homeAccounts: string[]
  partition: string
  principals: Principal[]
  resources: Resource[]
  serviceControlPolicies: OrganizationPolicy[]
  resourceControlPolicies: OrganizationPolicy[]
}

/**
 * What a `${...}` in a value is: an escape for a literal character (`${*}`, `${?}`, `${$}`), an IAM
 * policy variable (a colon inside: `${aws:username}`), or else a symbol of a loader.
 */
export type PlaceholderKind = 'escape' | 'variable' | 'symbol'

export function placeholderKind(inner: string): PlaceholderKind {
  if (inner === '*' || inner === '?' || inner === '$') return 'escape'
  return inner.includes(':') ? 'variable' : 'symbol'
}

/** The text with each `${...}` replaced by what `replace` makes of it (`written` keeps it as it is). */
export function rewritePlaceholders(
  text: string,
  replace: (inner: string, kind: PlaceholderKind, written: string) => string,
): string {
  if (!text.includes('${')) return text
  let out = ''
  let i = 0
  while (i < text.length) {
    const start = text.indexOf('${', i)
    const end = start < 0 ? -1 : text.indexOf('}', start)
    if (start < 0 || end < 0) return out + text.slice(i)
    const inner = text.slice(start + 2, end)
    out += text.slice(i, start) + replace(inner, placeholderKind(inner), text.slice(start, end + 1))
    i = end + 1
  }
  return out
}

export function emptyModel(homeAccounts: string[] = [], partition = 'aws'): Model {
  return {
    homeAccounts,
    partition,
    principals: [],
    resources: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }
}
