/**
 * ARNs and the principal strings that policies use: `arn:partition:service:region:account:resource`,
 * bare account ids (`"AWS": "123456789012"` means that account's root), and service principals.
 */

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const
export type Partition = (typeof PARTITIONS)[number]

export interface Arn {
  partition: string
  service: string
  region: string
  account: string
  /** Everything after the fifth colon, e.g. `role/app/payments` or `my-bucket/key`. */
  resource: string
}

const ACCOUNT_ID = /^\d{12}$/

export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value)
}

/** Parses an ARN, or returns undefined when the text is not one (fewer than six parts, wrong prefix). */
export function parseArn(text: string): Arn | undefined {
  if (!text.startsWith('arn:')) return undefined
  const parts: string[] = []
  let start = 0
  // Only the first five colons separate fields: resource ids may contain colons themselves.
  for (let i = 0; i < 5; i++) {
    const colon = text.indexOf(':', start)
    if (colon < 0) return undefined
    parts.push(text.slice(start, colon))
    start = colon + 1
  }
  const [, partition, service, region, account] = parts as [string, string, string, string, string]
  if (partition === '' || service === '') return undefined
  return { partition, service, region, account, resource: text.slice(start) }
}

export function formatArn(arn: Arn): string {
  return `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:${arn.resource}`
}

export function isKnownPartition(partition: string): partition is Partition {
  return (PARTITIONS as readonly string[]).includes(partition)
}

/** DNS suffix of each partition, used by `AWS::URLSuffix` and service principals. */
export function urlSuffix(partition: string): string {
  return partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'
}

export function accountRootArn(account: string, partition: string = 'aws'): string {
  return `arn:${partition}:iam::${account}:root`
}

export function isAccountRootArn(text: string): boolean {
  const arn = parseArn(text)
  return arn !== undefined && arn.service === 'iam' && arn.region === '' && arn.resource === 'root'
}

export type AwsPrincipalShape =
  | { shape: 'public' }
  | { shape: 'account'; account: string; partition?: string }
  | { shape: 'iam'; arn: Arn; kind: 'role' | 'user' | 'group' | 'assumed-role' | 'federated-user' | 'other' }
  | { shape: 'unknown'; text: string }

/**
 * What an `"AWS": ...` principal value names. A bare account id and `arn:...:root` both name the
 * whole account (any principal of it that its own IAM allows), not a single user.
 */
export function classifyAwsPrincipal(value: string): AwsPrincipalShape {
  if (value === '*') return { shape: 'public' }
  if (isAccountId(value)) return { shape: 'account', account: value }
  const arn = parseArn(value)
  if (arn === undefined) return { shape: 'unknown', text: value }
  if (arn.service === 'iam' && arn.resource === 'root') {
    return { shape: 'account', account: arn.account, partition: arn.partition }
  }
  if (arn.service === 'sts') {
    if (arn.resource.startsWith('assumed-role/')) return { shape: 'iam', arn, kind: 'assumed-role' }
    if (arn.resource.startsWith('federated-user/')) return { shape: 'iam', arn, kind: 'federated-user' }
    return { shape: 'iam', arn, kind: 'other' }
  }
  if (arn.service !== 'iam') return { shape: 'iam', arn, kind: 'other' }
  const type = arn.resource.slice(0, arn.resource.indexOf('/'))
  const kind = type === 'role' || type === 'user' || type === 'group' ? type : 'other'
  return { shape: 'iam', arn, kind }
}

/** The last path element of an IAM resource: `role/app/payments` gives `payments`. */
export function iamResourceName(arn: Arn): string {
  const slash = arn.resource.lastIndexOf('/')
  return slash < 0 ? arn.resource : arn.resource.slice(slash + 1)
}

/**
 * The service prefix a service principal stands for: `lambda.amazonaws.com` gives `lambda`,
 * `states.eu-west-1.amazonaws.com` gives `states`, `ec2.amazonaws.com.cn` gives `ec2`.
 */
export function servicePrincipalName(principal: string): string | undefined {
  const match = /^([a-z0-9-]+)(?:\.[a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/.exec(principal.toLowerCase())
  return match?.[1]
}

export function isServicePrincipal(principal: string): boolean {
  return servicePrincipalName(principal) !== undefined
}
