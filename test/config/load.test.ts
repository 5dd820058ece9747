import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfigFile, loadConfigFromSnapshot, parseConfig } from '../../src/config/load.js'
import { defaultConfig } from '../../src/config/types.js'
import { memorySnapshot } from '../../src/source/folder.js'

const FILE = '.github/access-diff.yml'

function errorOf(text: string): ConfigError {
  try {
    parseConfig(text, FILE)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('parseConfig', () => {
  it('an empty file, or one with only comments, is the default configuration', () => {
    expect(parseConfig('', FILE)).toEqual(defaultConfig())
    expect(parseConfig('# nothing yet\n', FILE)).toEqual(defaultConfig())
  })

  it('reads the example organisation configuration, kebab-case keys onto the defaults', () => {
    const config = loadConfigFile(
      new URL('../../examples/org/base/.github/access-diff.yml', import.meta.url).pathname,
    )
    expect(config.homeAccounts).toEqual(['111122223333'])
    expect(config.knownAccounts).toEqual([{ id: '222233334444', name: 'acme-audit' }])
    expect(config.failOn).toEqual(['high', 'privilege-escalation'])
    expect(config.exclude).toEqual(['**/test/**'])
    expect(config.include).toEqual([])
    expect(config.confidentiality).toEqual({
      tagKey: 'Confidentiality',
      confidentialValues: ['Confidential', 'Restricted'],
    })
    expect(config.weights).toEqual(defaultConfig().weights)
  })

  it('overrides single weights and keeps the others', () => {
    const config = parseConfig(
      [
        'weights:',
        '  capability: { read-data: 6 }',
        '  scope: { other-account: 16 }',
        '  criticality: { s3: 4, data-store: 5 }',
        '  strong-condition: 0.25',
        '  hazards: { privilege-escalation: 80 }',
        'fail-on: critical',
      ].join('\n'),
      FILE,
    )
    const w = config.weights
    expect(w.capability['read-data']).toBe(6)
    expect(w.capability['write-data']).toBe(3)
    expect(w.scope).toEqual({ ...defaultConfig().weights.scope, otherAccount: 16 })
    expect(w.criticality.s3).toBe(4)
    expect(w.criticality.dataStore).toBe(5)
    expect(w.strongCondition).toBe(0.25)
    expect(w.hazards.privilegeEscalation).toBe(80)
    expect(w.hazards.admin).toBe(100)
    expect(config.failOn).toEqual(['critical'])
  })

  it('an unknown key is an error at its line (a typo must not loosen the rules)', () => {
    const e = errorOf('home-accounts: ["111122223333"]\n\nfail_on: [high]\n')
    expect(e.line).toBe(3)
    expect(e.message).toMatch(/^\.github\/access-diff\.yml:3: fail_on: /)
    expect(errorOf('confidentiality:\n  tag-key: Class\n  valeus: [Secret]\n').line).toBe(3)
  })

  it('a value of the wrong type is an error at the line of its key', () => {
    const e = errorOf('confidentiality:\n  tag-key: Confidentiality\nweights:\n  scope:\n    pattern: two\n')
    expect(e.line).toBe(5)
    expect(e.message).toMatch(/weights\.scope\.pattern/)
  })

  it('an unquoted account id is an error that says to quote it', () => {
    const e = errorOf('known-accounts:\n  - id: "222233334444"\n  - id: 012345678901\n')
    expect(e.line).toBe(3)
    expect(e.message).toMatch(/known-accounts\.1\.id/)
    expect(errorOf('home-accounts:\n  - 111122223333\n').message).toMatch(/:2: .*12 digits/)
  })

  it('a YAML syntax error names the line', () => {
    const e = errorOf('fail-on: [high\nhome-accounts: []\n')
    expect(e.message).toMatch(/not valid YAML/)
    expect(e.line).toBeGreaterThanOrEqual(1)
    expect(errorOf('a: 1\na: 2\n').message).toMatch(/:2: not valid YAML/)
    expect(errorOf('- just\n- a list\n').message).toMatch(/expected object/)
  })

  it('a missing file given explicitly is an error; absent from a tree, the defaults', () => {
    expect(() => loadConfigFile('/nonexistent/access-diff.yml')).toThrow(/cannot read/)
    expect(loadConfigFromSnapshot(memorySnapshot({}))).toEqual(defaultConfig())
    const snap = memorySnapshot({ [FILE]: 'fail-on: [medium]\n' })
    expect(loadConfigFromSnapshot(snap).failOn).toEqual(['medium'])
  })
})
