import { describe, expect, it } from 'vitest'
import {
  accountRootArn,
  classifyAwsPrincipal,
  formatArn,
  iamResourceName,
  isAccountRootArn,
  isKnownPartition,
  parseArn,
  servicePrincipalName,
  urlSuffix,
} from '../../src/iam/arn.js'

describe('parseArn', () => {
  it('splits the six fields and keeps colons inside the resource', () => {
    expect(parseArn('arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/pay:*')).toEqual({
      partition: 'aws',
      service: 'logs',
      region: 'eu-west-1',
      account: '123456789012',
      resource: 'log-group:/aws/lambda/pay:*',
    })
  })

  it('reads S3 ARNs, which have neither region nor account', () => {
    const arn = parseArn('arn:aws:s3:::kyc-docs/2024/*')
    expect(arn).toMatchObject({ service: 's3', region: '', account: '', resource: 'kyc-docs/2024/*' })
  })

  it.each(['arn:aws-cn:iam::123456789012:role/x', 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1'])(
    'reads the partition of %s',
    (text) => {
      const arn = parseArn(text)!
      expect(isKnownPartition(arn.partition)).toBe(true)
      expect(formatArn(arn)).toBe(text)
    },
  )

  it.each(['', 'arn:aws:s3', 'aws:s3:::bucket', 'arn::s3:::bucket', '*', 'arn:aws:iam::123'])(
    'rejects %j',
    (text) => {
      expect(parseArn(text)).toBeUndefined()
    },
  )
})

describe('principals', () => {
  it('names the account root', () => {
    expect(accountRootArn('123456789012')).toBe('arn:aws:iam::123456789012:root')
    expect(accountRootArn('123456789012', 'aws-cn')).toBe('arn:aws-cn:iam::123456789012:root')
    expect(isAccountRootArn('arn:aws:iam::123456789012:root')).toBe(true)
    expect(isAccountRootArn('arn:aws:iam::123456789012:role/root')).toBe(false)
  })

  it.each([
    ['*', { shape: 'public' }],
    ['123456789012', { shape: 'account', account: '123456789012' }],
    ['arn:aws:iam::444455556666:root', { shape: 'account', account: '444455556666', partition: 'aws' }],
  ])('classifies %s', (value, expected) => {
    expect(classifyAwsPrincipal(value)).toEqual(expected)
  })

  it('classifies IAM and STS principals by kind', () => {
    expect(classifyAwsPrincipal('arn:aws:iam::123456789012:role/app/payments-api')).toMatchObject({
      kind: 'role',
    })
    expect(classifyAwsPrincipal('arn:aws:iam::123456789012:user/alice')).toMatchObject({ kind: 'user' })
    expect(classifyAwsPrincipal('arn:aws:sts::123456789012:assumed-role/admin/alice')).toMatchObject({
      kind: 'assumed-role',
    })
    expect(classifyAwsPrincipal('AROAEXAMPLEID')).toEqual({ shape: 'unknown', text: 'AROAEXAMPLEID' })
    // A 13-digit number is not an account id.
    expect(classifyAwsPrincipal('1234567890123')).toEqual({ shape: 'unknown', text: '1234567890123' })
  })

  it('takes the name from the end of an IAM path', () => {
    expect(iamResourceName(parseArn('arn:aws:iam::123456789012:role/app/payments-api')!)).toBe('payments-api')
  })

  it.each([
    ['lambda.amazonaws.com', 'lambda'],
    ['ecs-tasks.amazonaws.com', 'ecs-tasks'],
    ['states.eu-west-1.amazonaws.com', 'states'],
    ['ec2.amazonaws.com.cn', 'ec2'],
    ['Lambda.AmazonAWS.com', 'lambda'],
    ['lambda.example.com', undefined],
    ['arn:aws:iam::123456789012:root', undefined],
  ])('service principal %s is %s', (principal, service) => {
    expect(servicePrincipalName(principal)).toBe(service)
  })

  it('knows the China partition has its own domain', () => {
    expect(urlSuffix('aws')).toBe('amazonaws.com')
    expect(urlSuffix('aws-cn')).toBe('amazonaws.com.cn')
  })
})
