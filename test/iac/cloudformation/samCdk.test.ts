import { describe, expect, it } from 'vitest'
import { loadFixture, principal, resource, resourcesOf } from './helpers.js'

describe('SAM', () => {
  const result = loadFixture('sam')
  const role = principal(result, 'OrdersFunctionRole')

  it('generates the function role the translator generates, with the basic execution policy', () => {
    expect(role.arn).toBe('arn:aws:iam::${AWS.AccountId}:role/${OrdersFunctionRole.RoleName}')
    expect(role.trustPolicy?.document.statements[0]?.principal).toEqual([
      { kind: 'Service', value: 'lambda.amazonaws.com' },
    ])
    expect(role.policies.filter((p) => p.origin === 'aws-managed').map((p) => p.name)).toEqual([
      'AWSLambdaBasicExecutionRole',
      'AWSXRayDaemonWriteAccess',
    ])
  })

  it('expands S3ReadPolicy and DynamoDBCrudPolicy onto the resources of the template', () => {
    const resources = resourcesOf({ ...role, policies: role.policies.filter((p) => p.origin === 'inline') })
    expect(resources).toContain('arn:aws:s3:::${UploadsBucket.BucketName}')
    expect(resources).toContain('arn:aws:s3:::${UploadsBucket.BucketName}/*')
    expect(resources).toContain(
      'arn:aws:dynamodb:${AWS.Region}:${AWS.AccountId}:table/${OrdersTable.TableName}',
    )
    expect(resources).toContain('*')
    const lines = role.policies
      .filter((p) => p.origin === 'inline')
      .map((p) => p.statementLocations?.[0]?.line)
    expect(lines).toEqual([12, 12, 23]) // templates at the function, the inline statement where written
  })

  it('makes the function public through its URL, and lets S3 invoke it', () => {
    const fn = resource(result, 'OrdersFunction')
    expect(fn.type).toBe('AWS::Lambda::Function')
    expect(fn.publicAccess?.reason).toMatch(/AuthType NONE/)
    const statements = fn.policy!.document.statements
    expect(statements.map((s) => [s.sid, s.principal?.[0]?.value, s.action])).toEqual([
      ['OrdersFunctionUrlPublicPermissions', '*', ['lambda:InvokeFunctionUrl']],
      ['OrdersFunctionURLInvokeAllowPublicAccess', '*', ['lambda:InvokeFunction']],
      ['OrdersFunctionUploadPermission', 's3.amazonaws.com', ['lambda:InvokeFunction']],
    ])
  })

  it('turns SimpleTable into a DynamoDB table', () => {
    expect(resource(result, 'OrdersTable')).toMatchObject({ type: 'AWS::DynamoDB::Table', holdsData: true })
  })
})

describe('CDK cloud assembly', () => {
  const result = loadFixture('cdk')

  it('reads the stack template and the nested stack, named from the manifest', () => {
    expect(result.coverage.filesAnalyzed).toBe(2)
    expect(result.coverage.errors).toEqual([])
    // The same logical id in the stack and its nested stack: both kept, prefixed with the stack name.
    expect(result.model.resources.map((r) => r.id).sort()).toEqual([
      'AppStackNested.nested/DataBucketE3889A50',
      'payments-app/DataBucketE3889A50',
    ])
  })

  it('attaches the CDK default policy to its role and keeps the bucket reference symbolic', () => {
    const reader = principal(result, 'ReaderRoleABC123')
    expect(resourcesOf(reader)).toEqual([
      'arn:aws:s3:::${payments-app/DataBucketE3889A50.BucketName}',
      'arn:aws:s3:::${payments-app/DataBucketE3889A50.BucketName}/*',
    ])
    expect(resource(result, 'payments-app/DataBucketE3889A50').tags).toEqual({
      Confidentiality: 'Confidential',
    })
    const writer = principal(result, 'WriterRole')
    expect(writer.name).toBe('writer')
    expect(resourcesOf(writer)).toEqual([
      'arn:aws:s3:::${AppStackNested.nested/DataBucketE3889A50.BucketName}/*',
    ])
  })

  it('does not read the SSM parameter name of BootstrapVersion as its value', () => {
    expect(result.coverage.unresolved.map((u) => u.expression)).toEqual([])
  })
})
