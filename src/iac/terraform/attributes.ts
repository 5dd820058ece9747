/**
 * What Terraform computes for a resource: its ARN, id, URL. `aws_s3_bucket.kyc.arn` must evaluate
 * to exactly the ARN the model gives the bucket, so that a policy naming it matches it; both come
 * from here. Unknown names stay symbols tied to the resource (`${aws_s3_bucket.kyc.bucket}`).
 */
import { Unknown, type Value } from './values.js'

export interface Env {
  account: string
  partition: string
  region: string
}

export interface TypeInfo {
  service: string
  /** The argument that names it. */
  nameAttr: string
  arn: (name: string, env: Env, path: string) => string
  /** What `id` is: the name, the ARN, or something only known after apply. */
  id: 'name' | 'arn' | 'unknown'
  holdsData: boolean
  children?: (arn: string) => string[]
}

const regional =
  (service: string, resource: (n: string) => string) =>
  (n: string, e: Env): string =>
    `arn:${e.partition}:${service}:${e.region}:${e.account}:${resource(n)}`
const iam =
  (kind: string) =>
  (n: string, e: Env, path: string): string =>
    `arn:${e.partition}:iam::${e.account}:${kind}${path}${n}`

export const TYPES: Record<string, TypeInfo> = {
  aws_iam_role: { service: 'iam', nameAttr: 'name', arn: iam('role'), id: 'name', holdsData: false },
  aws_iam_user: { service: 'iam', nameAttr: 'name', arn: iam('user'), id: 'name', holdsData: false },
  aws_iam_group: { service: 'iam', nameAttr: 'name', arn: iam('group'), id: 'name', holdsData: false },
  aws_iam_policy: { service: 'iam', nameAttr: 'name', arn: iam('policy'), id: 'arn', holdsData: false },
  aws_iam_instance_profile: {
    service: 'iam',
    nameAttr: 'name',
    arn: iam('instance-profile'),
    id: 'name',
    holdsData: false,
  },
  aws_s3_bucket: {
    service: 's3',
    nameAttr: 'bucket',
    arn: (n, e) => `arn:${e.partition}:s3:::${n}`,
    id: 'name',
    holdsData: true,
    children: (arn) => [`${arn}/*`],
  },
  aws_dynamodb_table: {
    service: 'dynamodb',
    nameAttr: 'name',
    arn: regional('dynamodb', (n) => `table/${n}`),
    id: 'name',
    holdsData: true,
    children: (arn) => [`${arn}/index/*`, `${arn}/stream/*`],
  },
  aws_sqs_queue: {
    service: 'sqs',
    nameAttr: 'name',
    arn: regional('sqs', (n) => n),
    id: 'unknown',
    holdsData: true,
  },
  aws_sns_topic: {
    service: 'sns',
    nameAttr: 'name',
    arn: regional('sns', (n) => n),
    id: 'arn',
    holdsData: true,
  },
  aws_kms_key: {
    service: 'kms',
    nameAttr: 'key_id',
    arn: regional('kms', (n) => `key/${n}`),
    id: 'name',
    holdsData: false,
  },
  aws_secretsmanager_secret: {
    service: 'secretsmanager',
    nameAttr: 'name',
    // AWS appends six random characters: a symbol tied to the secret stands for them.
    arn: (n, e) => `arn:${e.partition}:secretsmanager:${e.region}:${e.account}:secret:${n}`,
    id: 'arn',
    holdsData: true,
  },
  aws_lambda_function: {
    service: 'lambda',
    nameAttr: 'function_name',
    arn: regional('lambda', (n) => `function:${n}`),
    id: 'name',
    holdsData: false,
  },
  aws_ecr_repository: {
    service: 'ecr',
    nameAttr: 'name',
    arn: regional('ecr', (n) => `repository/${n}`),
    id: 'name',
    holdsData: false,
  },
  aws_ssm_parameter: {
    service: 'ssm',
    nameAttr: 'name',
    arn: regional('ssm', (n) => `parameter${n.startsWith('/') ? '' : '/'}${n}`),
    id: 'name',
    holdsData: true,
  },
  aws_db_instance: {
    service: 'rds',
    nameAttr: 'identifier',
    arn: regional('rds', (n) => `db:${n}`),
    id: 'name',
    holdsData: true,
  },
  aws_rds_cluster: {
    service: 'rds',
    nameAttr: 'cluster_identifier',
    arn: regional('rds', (n) => `cluster:${n}`),
    id: 'name',
    holdsData: true,
  },
  aws_kinesis_stream: {
    service: 'kinesis',
    nameAttr: 'name',
    arn: regional('kinesis', (n) => `stream/${n}`),
    id: 'arn',
    holdsData: true,
  },
  aws_cloudwatch_log_group: {
    service: 'logs',
    nameAttr: 'name',
    arn: regional('logs', (n) => `log-group:${n}`),
    id: 'name',
    holdsData: true,
    children: (arn) => [`${arn}:*`, `${arn}:log-stream:*`],
  },
  aws_glacier_vault: {
    service: 'glacier',
    nameAttr: 'name',
    arn: regional('glacier', (n) => `vaults/${n}`),
    id: 'name',
    holdsData: true,
  },
  aws_efs_file_system: {
    service: 'elasticfilesystem',
    nameAttr: 'id',
    arn: regional('elasticfilesystem', (n) => `file-system/${n}`),
    id: 'name',
    holdsData: true,
  },
  aws_opensearch_domain: {
    service: 'es',
    nameAttr: 'domain_name',
    arn: regional('es', (n) => `domain/${n}`),
    id: 'arn',
    holdsData: true,
    children: (arn) => [`${arn}/*`],
  },
  aws_elasticsearch_domain: {
    service: 'es',
    nameAttr: 'domain_name',
    arn: regional('es', (n) => `domain/${n}`),
    id: 'arn',
    holdsData: true,
    children: (arn) => [`${arn}/*`],
  },
  aws_api_gateway_rest_api: {
    service: 'execute-api',
    nameAttr: 'id',
    arn: regional('execute-api', (n) => n),
    id: 'name',
    holdsData: false,
    children: (arn) => [`${arn}/*`],
  },
  aws_cloudwatch_event_bus: {
    service: 'events',
    nameAttr: 'name',
    arn: regional('events', (n) => `event-bus/${n}`),
    id: 'name',
    holdsData: false,
  },
  aws_backup_vault: {
    service: 'backup',
    nameAttr: 'name',
    arn: regional('backup', (n) => `backup-vault:${n}`),
    id: 'name',
    holdsData: true,
  },
}

/** What a resource looks like from outside: its arguments as written (or planned). */
export interface AttributeSource {
  type: string
  address: string
  /** The argument's value when set; undefined when not set. */
  argument(name: string): Value | undefined
}

export function nameOf(r: AttributeSource, info: TypeInfo): string {
  const v = r.argument(info.nameAttr)
  if (typeof v === 'string' && v !== '') return v
  if (v instanceof Unknown) return v.symbol
  return new Unknown(`${r.address}.${info.nameAttr}`).symbol
}

export function arnOf(r: AttributeSource, info: TypeInfo, env: Env): string {
  const path = r.argument('path')
  return info.arn(nameOf(r, info), env, typeof path === 'string' && path !== '' ? path : '/')
}

/** A computed attribute, or undefined when Terraform does not know it before apply. */
export function computedAttribute(r: AttributeSource, name: string, env: Env): Value | undefined {
  if (r.type === 'aws_caller_identity')
    return name === 'account_id' || name === 'id' ? env.account : undefined
  if (r.type === 'aws_partition') {
    if (name === 'partition' || name === 'id') return env.partition
    return name === 'dns_suffix' ? 'amazonaws.com' : undefined
  }
  if (r.type === 'aws_region') return ['name', 'id', 'region'].includes(name) ? env.region : undefined
  const info = TYPES[r.type]
  if (info === undefined) return undefined
  if (name === info.nameAttr || (name === 'name' && info.nameAttr !== 'id')) return nameOf(r, info)
  if (name === 'arn') return arnOf(r, info, env)
  if (r.type === 'aws_sqs_queue' && (name === 'id' || name === 'url'))
    return `https://sqs.${env.region}.amazonaws.com/${env.account}/${nameOf(r, info)}`
  if (r.type === 'aws_s3_bucket' && name === 'bucket_domain_name')
    return `${nameOf(r, info)}.s3.amazonaws.com`
  if (name === 'id')
    return info.id === 'name' ? nameOf(r, info) : info.id === 'arn' ? arnOf(r, info, env) : undefined
  return undefined
}
