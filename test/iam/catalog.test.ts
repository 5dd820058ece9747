import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultDataDir, parseAccessLevels } from '../../src/iam/catalog/data.js'
import { editDistance, nearestName } from '../../src/iam/catalog/suggest.js'
import { loadActionCatalog } from '../../src/iam/catalog.js'

const catalog = loadActionCatalog()
const names = (patterns: string | string[]) =>
  (Array.isArray(patterns) ? patterns : [patterns]).flatMap((p) =>
    catalog.expand(p).actions.map((a) => a.fullName),
  )

describe('action catalog (real iam-data)', () => {
  it('reports the pinned iam-data version and memoizes the default instance', () => {
    const pkg = JSON.parse(readFileSync(join(dirname(defaultDataDir()), 'package.json'), 'utf8')) as {
      version: string
    }
    expect(catalog.dataVersion).toBe(pkg.version)
    expect(catalog.dataVersion).toBe('0.21.202609261')
    expect(loadActionCatalog()).toBe(catalog)
    expect(loadActionCatalog(defaultDataDir())).not.toBe(catalog)
  })

  it('lists services sorted and looks them up case-insensitively', () => {
    const services = catalog.services()
    expect(services.length).toBeGreaterThan(400)
    expect([...services].sort()).toEqual(services)
    expect(catalog.hasService('s3')).toBe(true)
    expect(catalog.hasService('S3')).toBe(true)
    expect(catalog.hasService('s4')).toBe(false)
    expect(catalog.hasService('constructor')).toBe(false)
  })

  it('describes s3:GetObject', () => {
    const action = catalog.action('s3:GetObject')
    expect(action).toMatchObject({ service: 's3', name: 'GetObject', fullName: 's3:GetObject' })
    expect(action?.accessLevels).toEqual(['Read'])
    const object = action?.resourceTypes.find((t) => t.name === 'object')
    expect(object?.arnPatterns).toEqual(['arn:${Partition}:s3:::${BucketName}/${ObjectName}'])
    expect(object?.conditionKeys).toContain('s3:BucketTag/${TagKey}')
    expect(action?.conditionKeys).toContain('s3:ExistingObjectTag/<key>')
    expect(action && catalog.resourceTypesOf(action)).toBe(action?.resourceTypes)
  })

  it('finds actions case-insensitively and keeps the catalog spelling', () => {
    expect(catalog.action('s3:getobject')?.fullName).toBe('s3:GetObject')
    expect(catalog.action('S3:GETOBJECT')?.fullName).toBe('s3:GetObject')
    expect(catalog.action('s3:Get*')).toBeUndefined()
    expect(catalog.action('s3GetObject')).toBeUndefined()
    // Names inherited by plain objects must not look like actions.
    expect(catalog.action('s3:constructor')).toBeUndefined()
    expect(catalog.expand('s3:__proto__').actions).toEqual([])
  })

  it('splits compound access levels', () => {
    expect(catalog.action('iam:AttachRolePolicy')?.accessLevels).toEqual(['Permissions management', 'Write'])
    expect(catalog.action('kms:TagResource')?.accessLevels).toEqual(['Tagging', 'Write'])
    expect(parseAccessLevels('Permissions management, Write', 'x')).toEqual([
      'Permissions management',
      'Write',
    ])
    expect(() => parseAccessLevels('Sometimes', 'x')).toThrow(/unknown access level/)
  })

  it('resolves every resource type of every action to an ARN pattern', () => {
    for (const action of catalog.all()) {
      for (const type of action.resourceTypes) expect(type.arnPatterns[0], action.fullName).toMatch(/^arn:/)
    }
    // Actions without resource-level permissions have no resource types.
    expect(catalog.action('s3:ListAllMyBuckets')?.resourceTypes).toEqual([])
  })

  it('hands out frozen, shared data', () => {
    const action = catalog.action('s3:GetObject')!
    expect(Object.isFrozen(action)).toBe(true)
    expect(Object.isFrozen(action.resourceTypes[0]?.arnPatterns)).toBe(true)
    expect(Object.isFrozen(catalog.expand('s3:GetObject').actions)).toBe(true)
    expect(catalog.expand('s3:Get*')).toBe(catalog.expand('s3:Get*'))
  })

  it('expands s3:Get* to exactly the s3 actions starting with Get', () => {
    const expected = catalog.actionsOf('s3').filter((a) => a.name.startsWith('Get'))
    expect(expected.length).toBeGreaterThan(40)
    const expansion = catalog.expand('s3:Get*')
    expect(expansion.problem).toBeUndefined()
    expect(expansion.actions).toEqual(expected)
    expect(names('s3:Get*')).toContain('s3:GetObject')
    expect(names('s3:Get*')).not.toContain('s3:PutObject')
  })

  it('matches ? as exactly one character', () => {
    expect(names('s3:?etObject')).toEqual(['s3:GetObject'])
    expect(names('s3:??tObject')).toEqual(['s3:GetObject', 's3:PutObject'])
    expect(names('s3:?GetObject')).toEqual([])
  })

  it('ignores case in service and action', () => {
    expect(names('S3:GETOBJECT')).toEqual(['s3:GetObject'])
    expect(names('s3:get*')).toEqual(names('s3:Get*'))
    expect(names('S3:*')).toEqual(catalog.actionsOf('s3').map((a) => a.fullName))
  })

  it('expands * (and **) to every action of every service', () => {
    const all = catalog.expand('*')
    expect(all.actions).toBe(catalog.all())
    expect(all.actions.length).toBeGreaterThan(20_000)
    expect(new Set(all.actions.map((a) => a.service))).toEqual(new Set(catalog.services()))
    expect(catalog.expand('**').actions).toBe(catalog.all())
    expect(new Set(all.actions.map((a) => a.fullName)).size).toBe(all.actions.length)
  })

  it('complements NotAction lists', () => {
    const rest = catalog.complement(['iam:*'])
    expect(rest.some((a) => a.service === 'iam')).toBe(false)
    expect(rest.map((a) => a.fullName)).toContain('s3:GetObject')
    expect(rest.length).toBe(catalog.all().length - catalog.actionsOf('iam').length)
    const noReads = catalog.complement(['s3:Get*', 'S3:LIST*'])
    expect(noReads.map((a) => a.fullName)).not.toContain('s3:ListBucket')
    expect(noReads.map((a) => a.fullName)).toContain('s3:PutObject')
    expect(catalog.complement(['*'])).toEqual([])
    expect(catalog.complement([])).toEqual(catalog.all())
    expect(catalog.complement(['s4:*'])).toEqual(catalog.all())
  })

  it('reports unknown actions with a suggestion', () => {
    expect(catalog.expand('s3:GetObjects')).toEqual({
      actions: [],
      problem: 's3:GetObjects is not an action of s3 (did you mean s3:GetObject?)',
    })
    expect(catalog.expand('kms:CreateGrnt').problem).toMatch(/did you mean kms:CreateGrant\?/)
    expect(catalog.expand('s3:Xyzzy').problem).toBe('s3:Xyzzy is not an action of s3')
  })

  it('reports unknown services, wildcards that match nothing and malformed actions', () => {
    expect(catalog.expand('s4:GetObject').actions).toEqual([])
    expect(catalog.expand('s4:GetObject').problem).toMatch(/unknown service s4/)
    expect(catalog.expand('s3:Frobnicate*')).toEqual({
      actions: [],
      problem: 's3:Frobnicate* matches no action of s3',
    })
    expect(catalog.expand('s3GetObject').problem).toMatch(/not of the form service:action/)
    expect(catalog.expand('s3:Get:Object').problem).toMatch(/more than one ':'/)
    expect(catalog.expand('s3:').problem).toMatch(/no action name/)
    expect(catalog.expand(':GetObject').problem).toMatch(/no service prefix/)
    expect(catalog.expand('').problem).toBeDefined()
  })

  it('matches wildcards in the service prefix, but flags them', () => {
    const expansion = catalog.expand('s3*:GetObject')
    expect(expansion.actions.map((a) => a.fullName)).toContain('s3:GetObject')
    expect(expansion.actions.every((a) => a.service.startsWith('s3') && a.name === 'GetObject')).toBe(true)
    expect(expansion.problem).toMatch(/wildcard in its service prefix/)
    expect(catalog.expand('zz*:GetObject').problem).toMatch(/matches no service prefix/)
  })

  it('expands lists and memoizes', () => {
    const [a, b] = catalog.expandAll(['s3:GetObject', 's4:x'])
    expect(a?.actions.map((x) => x.fullName)).toEqual(['s3:GetObject'])
    expect(b?.problem).toBeDefined()
    expect(catalog.complement(['iam:*'])).toBe(catalog.complement(['iam:*']))
  })

  it('suggests near names only', () => {
    expect(editDistance('kitten', 'sitting', 10)).toBe(3)
    expect(editDistance('kitten', 'sitting', 1)).toBe(2)
    expect(nearestName('GetObjcet', ['GetObject', 'PutObject'])).toBe('GetObject')
    expect(nearestName('Completely', ['GetObject'])).toBeUndefined()
  })
})
