import { describe, expect, it } from 'vitest'
import { parseTemplate } from '../../../src/iac/cloudformation/parse.js'

describe('parseTemplate', () => {
  it('turns short-form tags into the long form CloudFormation defines', () => {
    const { parsed } = parseTemplate(
      [
        'a: !Ref Bucket',
        'b: !GetAtt Bucket.Arn',
        'c: !GetAtt [Bucket, Arn]',
        'd: !GetAtt Db.Endpoint.Address',
        "e: !Sub ['x-${v}', {v: !Ref AWS::Region}]",
        'f: !If [IsProd, !Join [",", [a, b]], !Ref AWS::NoValue]',
        'g: !Select [0, !Split [",", !ImportValue Shared]]',
        'h: !FindInMap [Map, !Ref AWS::Region, Account]',
        'i: !Base64 {"Fn::Sub": "${AWS::StackName}"}',
        'j: !Condition IsProd',
        'k: !And [!Equals [a, b], !Not [!Or [!Condition C]]]',
        'l: !GetAZs ""',
        'm: !Cidr [10.0.0.0/16, 4, 8]',
      ].join('\n'),
    )
    expect(parsed?.root).toEqual({
      a: { Ref: 'Bucket' },
      b: { 'Fn::GetAtt': ['Bucket', 'Arn'] },
      c: { 'Fn::GetAtt': ['Bucket', 'Arn'] },
      d: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
      e: { 'Fn::Sub': ['x-${v}', { v: { Ref: 'AWS::Region' } }] },
      f: { 'Fn::If': ['IsProd', { 'Fn::Join': [',', ['a', 'b']] }, { Ref: 'AWS::NoValue' }] },
      g: { 'Fn::Select': ['0', { 'Fn::Split': [',', { 'Fn::ImportValue': 'Shared' }] }] },
      h: { 'Fn::FindInMap': ['Map', { Ref: 'AWS::Region' }, 'Account'] },
      i: { 'Fn::Base64': { 'Fn::Sub': '${AWS::StackName}' } },
      j: { Condition: 'IsProd' },
      k: { 'Fn::And': [{ 'Fn::Equals': ['a', 'b'] }, { 'Fn::Not': [{ 'Fn::Or': [{ Condition: 'C' }] }] }] },
      l: { 'Fn::GetAZs': '' },
      m: { 'Fn::Cidr': ['10.0.0.0/16', '4', '8'] },
    })
  })

  it('keeps account ids, octal-looking and sexagesimal-looking values as written', () => {
    const { parsed } = parseTemplate(
      'a: 012345678901\nb: 123456789012\nc: 0o17\nd: 1:20\ne: 2012-10-17\nf: true\ng: ~',
    )
    expect(parsed?.root).toEqual({
      a: '012345678901',
      b: '123456789012',
      c: '0o17',
      d: '1:20',
      e: '2012-10-17',
      f: true,
      g: null,
    })
  })

  it('gives the line of every object and array, also in JSON', () => {
    const { parsed } = parseTemplate(
      '{\n "Statement": [\n  {"Effect": "Allow"},\n\n  {"Effect": "Deny"}\n ]\n}',
    )
    const list = (parsed!.root as { Statement: object[] }).Statement
    expect(list.map((s) => parsed?.lines.get(s))).toEqual([3, 5])
    expect(parsed?.lines.get(list)).toBe(2)
  })

  it('reports invalid YAML and duplicate keys with their line', () => {
    expect(parseTemplate('a: [1, 2\nb: 3').errors[0]?.line).toBeGreaterThan(0)
    const dup = parseTemplate('Resources:\n  A: 1\n  A: 2\n')
    expect(dup.errors).toHaveLength(1)
    expect(dup.errors[0]).toMatchObject({ line: 3, message: expect.stringContaining('unique') })
  })

  it('rejects two short-form tags on one node, as YAML does', () => {
    expect(parseTemplate('i: !Base64 !Sub "${AWS::StackName}"').errors[0]?.message).toMatch(/one tag/)
  })

  it('stops an alias bomb instead of expanding it', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for (let i = 0; i < 9; i++) {
      const prev = String.fromCharCode(97 + i)
      const next = String.fromCharCode(98 + i)
      lines.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(',')}]`)
    }
    const { parsed, errors } = parseTemplate(lines.join('\n'))
    expect(parsed).toBeUndefined()
    expect(errors[0]?.message).toMatch(/alias/)
  })

  it('expands ordinary aliases and merge keys', () => {
    const { parsed } = parseTemplate('base: &b {Effect: Allow}\nuse: *b\nmerged: {<<: *b, Action: "s3:*"}')
    expect(parsed?.root).toEqual({
      base: { Effect: 'Allow' },
      use: { Effect: 'Allow' },
      merged: { Effect: 'Allow', Action: 's3:*' },
    })
  })
})
