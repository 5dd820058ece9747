/**
 * S3 Block Public Access, as both loaders apply it to a bucket of the model once its policy and ACL
 * are known (Terraform `aws_s3_bucket_public_access_block` / `aws_s3_account_public_access_block`,
 * CloudFormation `PublicAccessBlockConfiguration`):
 *
 * - IgnorePublicAcls: public ACL grants are not effective, so the ACL opens nothing.
 * - BlockPublicAcls: putting a public ACL fails; the ACL opens nothing, and coverage says so.
 * - BlockPublicPolicy: putting a public bucket policy fails; coverage says so (the policy is kept:
 *   an existing one stays in force, and the tree's intent is what a reviewer wants to see).
 * - RestrictPublicBuckets: when the policy is public, only AWS services and principals of the
 *   bucket owner's account are granted by it. Its Allow statements that name AWS principals get a
 *   condition `StringEquals aws:PrincipalAccount <owner>`, which the engine checks against each
 *   principal: the public and other accounts fall away, the owner's principals keep their access.
 *
 * "Public" is S3's meaning: a statement allowing a wildcard principal is public unless a condition
 * pins it to fixed values of a key S3 accepts (aws:SourceArn, aws:SourceVpc, aws:SourceVpce,
 * aws:SourceOwner, aws:SourceAccount, aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID,
 * aws:userid, s3:x-amz-server-side-encryption-aws-kms-key-id, or a narrow aws:SourceIp). A
 * condition on such a key whose values the tree leaves unknown (none given, or symbols) is taken as
 * pinning: a statement is public only when it is known to be, so nothing is taken away on a guess.
 */
import type { Condition, Statement } from '../iam/types.js'
import type { PublicAccessBlock, Resource, SourceLocation } from '../model/types.js'
import type { Coverage, NotAnalysed } from './types.js'

const FIXED_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:principalorgid',
  'aws:userid',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
  'aws:sourceip',
])

/** A CIDR wider than /8 (IPv4) or /32 (IPv6) is not a fixed set of addresses. */
function broadCidr(value: string): boolean {
  const [address, bits] = value.split('/')
  if (bits === undefined) return false
  return Number(bits) < (address?.includes(':') ? 32 : 8)
}

/** A loader's symbol (`${var.arns}`), not an escape (`${*}`) nor a policy variable (`${aws:userid}`). */
const SYMBOL = /\$\{(?![*?$]\})[^}:]+\}/

function pins(c: Condition): boolean {
  const key = c.key.toLowerCase()
  if (!FIXED_KEYS.has(key) || c.ifExists) return false
  // Values the tree does not give (none, or symbols): whether they are fixed is unknown, and a
  // statement is called public only when it is known to be.
  if (c.values.length === 0 || c.values.some((v) => SYMBOL.test(v))) return true
  if (/Not/.test(c.baseOperator) || c.setOperator === 'ForAllValues') return false
  if (key === 'aws:sourceip') return c.baseOperator === 'IpAddress' && !c.values.some(broadCidr)
  if (key === 'aws:userid' && c.values.some((v) => /^AROA[A-Z0-9]*:\*$/.test(v))) return false
  // Wildcards and policy variables (`${aws:userid}`) are not fixed values.
  return c.values.every((v) => !v.includes('*') && !v.includes('?') && !/\$\{[^}]*:[^}]*\}/.test(v))
}

/** The statement grants to everyone (or to all but some, with NotPrincipal) without a pinning condition. */
export function isPublicStatement(s: Statement): boolean {
  if (s.effect !== 'Allow') return false
  const everyone = (s.principal ?? []).some((p) => p.value === '*') || s.notPrincipal !== undefined
  return everyone && !s.conditions.some(pins)
}

const ACL_REASON = /^(canned ACL|bucket ACL) /

/** Merges a setting (the bucket's or the account's) into the bucket's block: a setting holds when either says so. */
export function addPublicAccessBlock(
  r: Resource,
  settings: Omit<PublicAccessBlock, 'locations'>,
  location: SourceLocation,
): void {
  const before = r.publicAccessBlock
  r.publicAccessBlock = {
    blockPublicAcls: settings.blockPublicAcls || (before?.blockPublicAcls ?? false),
    ignorePublicAcls: settings.ignorePublicAcls || (before?.ignorePublicAcls ?? false),
    blockPublicPolicy: settings.blockPublicPolicy || (before?.blockPublicPolicy ?? false),
    restrictPublicBuckets: settings.restrictPublicBuckets || (before?.restrictPublicBuckets ?? false),
    locations: [...(before?.locations ?? []), location],
  }
}

/** What the bucket's block does to its ACL and policy; run once, after both are known. */
export function applyPublicAccessBlock(r: Resource, coverage: Coverage, owner: string): void {
  const block = r.publicAccessBlock
  if (block === undefined) return
  const note = (n: NotAnalysed): void => {
    if (!coverage.notAnalysed.some((x) => x.file === n.file && x.line === n.line && x.what === n.what))
      coverage.notAnalysed.push(n)
  }
  const where = (l: SourceLocation | undefined): { file: string; line?: number } => ({
    file: l?.file ?? block.locations[0]?.file ?? '',
    ...(l?.line !== undefined ? { line: l.line } : {}),
  })
  const acl =
    r.publicAccess !== undefined && ACL_REASON.test(r.publicAccess.reason) ? r.publicAccess : undefined
  if (acl !== undefined && block.blockPublicAcls)
    note({
      ...where(acl.location),
      what: `${acl.reason} of ${r.name}`,
      reason: 'blocked: the public access block sets BlockPublicAcls, so putting this ACL fails',
    })
  if (acl !== undefined && (block.ignorePublicAcls || block.blockPublicAcls)) delete r.publicAccess

  const policy = r.policy
  const publicAt = policy?.document.statements.find(isPublicStatement)
  if (policy === undefined || publicAt === undefined) return
  if (block.blockPublicPolicy)
    note({
      ...where(policy.statementLocations?.[publicAt.index] ?? policy.location),
      what: `public bucket policy of ${r.name}`,
      reason: 'blocked: the public access block sets BlockPublicPolicy, so putting this policy fails',
    })
  if (!block.restrictPublicBuckets) return
  const restrict: Condition = {
    operator: 'StringEquals',
    baseOperator: 'StringEquals',
    ifExists: false,
    key: 'aws:PrincipalAccount',
    values: [owner],
  }
  r.policy = {
    ...policy,
    document: {
      ...policy.document,
      statements: policy.document.statements.map((s) =>
        s.effect === 'Allow' &&
        (s.notPrincipal !== undefined || (s.principal ?? []).some((p) => p.kind === 'AWS'))
          ? { ...s, conditions: [...s.conditions, restrict] }
          : s,
      ),
    },
  }
}
