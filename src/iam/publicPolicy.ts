/**
 * Whether a bucket policy statement is public in S3's sense: it allows a wildcard principal (or all
 * but some, with NotPrincipal) without a condition that pins it to fixed values of a key S3 accepts
 * (aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner, aws:SourceAccount,
 * aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalOrgID, aws:userid,
 * s3:x-amz-server-side-encryption-aws-kms-key-id, or a narrow aws:SourceIp). A condition on such a
 * key whose values the tree leaves unknown (none given, or symbols) is taken as pinning: a
 * statement is public only when it is known to be, so nothing is taken away on a guess.
 */
import type { Condition, Statement } from './types.js'

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
