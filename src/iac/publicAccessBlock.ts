/**
 * S3 Block Public Access, as both loaders apply it to a bucket of the model once its policy and ACL
 * are known (Terraform `aws_s3_bucket_public_access_block` / `aws_s3_account_public_access_block`,
 * CloudFormation `PublicAccessBlockConfiguration`):
 *
 * - IgnorePublicAcls: public ACL grants are not effective, so the ACL opens nothing.
 * - BlockPublicAcls: putting a public ACL fails; the ACL opens nothing, and coverage says so.
 * - BlockPublicPolicy: putting a public bucket policy fails; coverage says so (the policy is kept:
 *   an existing one stays in force, and the tree's intent is what a reviewer wants to see).
 * - RestrictPublicBuckets: kept on the bucket; the engine reads it (a public policy then grants only
 *   to AWS services and principals of the bucket owner's account).
 *
 * "Public" is S3's meaning (`src/iam/publicPolicy.ts`).
 */
import { isPublicStatement } from '../iam/publicPolicy.js'
import type { PublicAccessBlock, Resource, SourceLocation } from '../model/types.js'
import type { Coverage, NotAnalysed } from './types.js'

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
export function applyPublicAccessBlock(r: Resource, coverage: Coverage): void {
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
}
