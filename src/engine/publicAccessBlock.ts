/**
 * S3 Block Public Access in the engine. With RestrictPublicBuckets, a bucket whose policy is public
 * (`src/iam/publicPolicy.ts`) grants only to AWS services and to principals of the bucket owner's
 * account: every Allow of its policy that names AWS principals (or all but some, with NotPrincipal)
 * admits only principals of that account. The restriction is a fact about the bucket, not a
 * condition of the request: it narrows whom the statements admit and leaves them unconditional.
 * (IgnorePublicAcls and BlockPublicAcls are applied by the loaders: the ACL opens nothing.)
 */
import { isPublicStatement } from '../iam/publicPolicy.js'
import type { Resource } from '../model/types.js'
import type { CompiledStatement, PrincipalCondition } from './compile.js'

export function restrictedToOwner(
  resource: Resource,
  statements: CompiledStatement[],
  owner: string | undefined,
): CompiledStatement[] {
  if (resource.publicAccessBlock?.restrictPublicBuckets !== true || owner === undefined) return statements
  if (!(resource.policy?.document.statements.some(isPublicStatement) ?? false)) return statements
  const restrict: PrincipalCondition = { key: 'account', like: false, values: [owner] }
  // New statements: the compiled ones are shared by every use of the policy.
  return statements.map((s) =>
    s.effect === 'Allow' &&
    (s.notPrincipals !== undefined || (s.principals ?? []).some((p) => p.kind === 'AWS'))
      ? { ...s, principalConditions: [...(s.principalConditions ?? []), restrict] }
      : s,
  )
}
