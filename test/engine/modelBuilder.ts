/** Small builders for models in engine tests: realistic shapes with little noise. */
import { parsePolicy } from '../../src/iam/policy.js'
import type { PolicyKind } from '../../src/iam/types.js'
import type { Model, Policy, PolicyOrigin, Principal, Resource } from '../../src/model/types.js'

export const HOME = '111111111111'
export const OTHER = '222222222222'

type StatementJson = Record<string, unknown>

export function policy(
  id: string,
  statements: StatementJson[],
  origin: PolicyOrigin = 'inline',
  kind?: PolicyKind,
): Policy {
  const parsed = parsePolicy(
    { Version: '2012-10-17', Statement: statements },
    kind === undefined ? {} : { kind },
  )
  if (parsed.problems.some((p) => p.severity === 'error')) {
    throw new Error(
      `bad test policy ${id}: ${parsed.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    )
  }
  return { id, name: id, origin, document: parsed.policy, location: { file: 'infra/iam.tf', line: 1 } }
}

export function role(
  name: string,
  policies: Policy[],
  trust: StatementJson[],
  extra: Partial<Principal> = {},
): Principal {
  const arn = `arn:aws:iam::${extra.account ?? HOME}:role/${name}`
  return {
    id: arn,
    type: 'role',
    name,
    arn,
    account: HOME,
    address: `aws_iam_role.${name.replaceAll('-', '_')}`,
    policies,
    trustPolicy: policy(`${name}-trust`, trust, 'trust', 'trust'),
    ...extra,
  }
}

export function user(name: string, policies: Policy[], extra: Partial<Principal> = {}): Principal {
  const arn = `arn:aws:iam::${HOME}:user/${name}`
  return { id: arn, type: 'user', name, arn, account: HOME, policies, ...extra }
}

export function bucket(
  name: string,
  statements?: StatementJson[],
  tags: Record<string, string> = {},
): Resource {
  const arn = `arn:aws:s3:::${name}`
  const resource: Resource = {
    id: `aws_s3_bucket.${name.replaceAll('-', '_')}`,
    address: `aws_s3_bucket.${name.replaceAll('-', '_')}`,
    type: 'aws_s3_bucket',
    service: 's3',
    name,
    arn,
    childArns: [`${arn}/*`],
    account: HOME,
    tags,
    holdsData: true,
  }
  if (statements !== undefined) resource.policy = policy(`${name}-policy`, statements, 'resource', 'resource')
  return resource
}

export function model(
  principals: Principal[],
  resources: Resource[] = [],
  extra: Partial<Model> = {},
): Model {
  return {
    homeAccounts: [HOME],
    partition: 'aws',
    principals,
    resources,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...extra,
  }
}

export const trustAccount = (account = HOME): StatementJson[] => [
  { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' },
]

export const trustService = (service: string): StatementJson[] => [
  { Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' },
]
