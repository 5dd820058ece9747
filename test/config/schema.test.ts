import { readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseDocument } from 'yaml'
import { configJsonSchema, configSchema } from '../../src/config/schema.js'

const FILE = new URL('../../schema/access-diff.schema.json', import.meta.url)

describe('schema/access-diff.schema.json', () => {
  it('is the JSON Schema generated from the zod schema (UPDATE_GOLDEN=1 regenerates it)', () => {
    const generated = `${JSON.stringify(configJsonSchema(), null, 2)}\n`
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(FILE, generated)
    // Compared as JSON: the file may be formatted (biome) differently from JSON.stringify.
    expect(JSON.parse(readFileSync(FILE, 'utf8'))).toEqual(JSON.parse(generated))
  })

  it('accepts and rejects exactly what the zod schema accepts and rejects', () => {
    const schema = JSON.parse(readFileSync(FILE, 'utf8')) as JsonSchema
    const samples: unknown[] = [
      {},
      { 'fail-on': 'high' },
      { 'fail-on': ['critical', 'public-access'] },
      { 'fail-on': ['High!'] },
      { fail_on: ['high'] },
      { 'home-accounts': ['111122223333'] },
      { 'home-accounts': [111122223333] },
      { 'home-accounts': ['1234'] },
      { 'known-accounts': [{ id: '222233334444', name: 'audit' }] },
      { terraform: { 'var-files': { 'envs/prod': ['prod.tfvars', '../common.tfvars'] } } },
      { terraform: { 'var-files': { '.': 'prod.tfvars' } } },
      { terraform: { var_files: {} } },
      { 'known-accounts': [{ name: 'audit' }] },
      { 'known-accounts': [{ id: '222233334444', nmae: 'audit' }] },
      { confidentiality: { 'tag-key': 'Class', values: ['Secret'] } },
      { confidentiality: { 'tag-key': '' } },
      { paths: { include: ['infra/**'], exclude: [] } },
      { paths: { include: 'infra/**' } },
      { weights: { capability: { 'read-data': 4 }, criticality: { s3: 2, 'data-store': 3 } } },
      { weights: { capability: { 'read-dta': 4 } } },
      { weights: { scope: { 'other-account': -1 } } },
      { weights: { criticality: { S3: 2 } } },
      { weights: { 'strong-condition': 0.5, hazards: { admin: 10 } } },
      { weights: { hazards: { root: 10 } } },
      { 'application-tag-key': 'App', 'security-reviewers': ['@acme/security'] },
      [],
      'fail-on: high',
    ]
    for (const example of [
      'examples/org/base/.github/access-diff.yml',
      'examples/org/head/.github/access-diff.yml',
    ])
      samples.push(parseDocument(readFileSync(example, 'utf8')).toJS())
    for (const sample of samples)
      expect({ sample, valid: validates(schema, sample) }).toEqual({
        sample,
        valid: configSchema.safeParse(sample).success,
      })
  })
})

/** The subset of JSON Schema that the generated file uses, enough to compare behaviours. */
interface JsonSchema {
  type?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  propertyNames?: JsonSchema
  items?: JsonSchema
  anyOf?: JsonSchema[]
  enum?: unknown[]
  pattern?: string
  minLength?: number
  minimum?: number
}

function validates(s: JsonSchema, v: unknown): boolean {
  if (s.anyOf && !s.anyOf.some((x) => validates(x, v))) return false
  if (s.enum && !s.enum.includes(v)) return false
  switch (s.type) {
    case 'string':
      if (typeof v !== 'string') return false
      if (s.minLength !== undefined && v.length < s.minLength) return false
      return s.pattern === undefined || new RegExp(s.pattern).test(v)
    case 'number':
      return typeof v === 'number' && (s.minimum === undefined || v >= s.minimum)
    case 'array':
      return Array.isArray(v) && (s.items === undefined || v.every((x) => validates(s.items!, x)))
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
      const o = v as Record<string, unknown>
      if (!(s.required ?? []).every((k) => k in o)) return false
      return Object.entries(o).every(([k, x]) => {
        if (s.propertyNames && !validates(s.propertyNames, k)) return false
        const p = s.properties?.[k]
        if (p) return validates(p, x)
        if (s.additionalProperties === false) return false
        return typeof s.additionalProperties !== 'object' || validates(s.additionalProperties, x)
      })
    }
    default:
      return true
  }
}
