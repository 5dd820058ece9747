/**
 * JSON output: keys in the order `contract.ts` lists them (added fields after), 2-space indent,
 * trailing newline. Array order is the analysis's (it is sorted there, and `removedBecause`
 * pairs with `removed` by index). Keys the contract does not know follow, sorted.
 */
import type { AccessReport, DiffReport } from './contract.js'

/** Keys in order, each with the shape of its value (null: leave as is). */
type Shape = { object: [string, Shape | null][] } | { array: Shape }

const obj = (...keys: (string | [string, Shape])[]): Shape => ({
  object: keys.map((k) => (typeof k === 'string' ? [k, null] : k)),
})
const arr = (items: Shape): Shape => ({ array: items })

const SCORE = obj('base', 'head', 'delta')
const LOCATION = obj('file', 'line')
const GRANT = obj(
  'service',
  'capability',
  'resource',
  'resourceAddress',
  'actions',
  'conditional',
  'conditions',
  'via',
  ['location', LOCATION],
  'statement',
  'score',
)
const FINDING = obj('rule', 'method', 'severity', 'status', 'principal', 'resource', 'message', [
  'location',
  LOCATION,
])
const WHO_CAN = arr(obj('principal', 'capabilities'))
const COVERAGE = obj(
  'filesAnalyzed',
  'policiesAnalyzed',
  ['unresolved', arr(obj('file', 'line', 'expression'))],
  ['errors', arr(obj('file', 'line', 'message'))],
  ['notAnalysed', arr(obj('file', 'line', 'what', 'reason'))],
)

const DIFF_REPORT = obj(
  'schemaVersion',
  ['verdict', obj('risk', 'securityReview', 'blocking', 'reasons')],
  ['score', SCORE],
  [
    'principals',
    arr(
      obj(
        'name',
        'address',
        'type',
        'arn',
        ['score', SCORE],
        ['added', arr(GRANT)],
        ['removed', arr(GRANT)],
        'application',
        'removedBecause',
      ),
    ),
  ],
  ['findings', arr(FINDING)],
  [
    'dataResources',
    arr(
      obj(
        'name',
        'address',
        'arn',
        'type',
        'confidentiality',
        ['whoCan', obj(['base', WHO_CAN], ['head', WHO_CAN])],
        'baseConfidentiality',
        'application',
      ),
    ),
  ],
  ['coverage', COVERAGE],
  ['baseCoverage', COVERAGE],
  ['policyChanges', arr(obj('name', ['location', LOCATION], 'base', 'head'))],
)

const ACCESS_REPORT = obj(
  'schemaVersion',
  'score',
  [
    'principals',
    arr(obj('name', 'address', 'type', 'arn', 'score', 'isAdmin', ['grants', arr(GRANT)], 'application')),
  ],
  ['findings', arr(FINDING)],
  [
    'dataResources',
    arr(obj('name', 'address', 'arn', 'type', 'confidentiality', ['whoCan', WHO_CAN], 'application')),
  ],
  ['coverage', COVERAGE],
)

export function renderJson(report: DiffReport | AccessReport): string {
  const shape = 'verdict' in report ? DIFF_REPORT : ACCESS_REPORT
  return `${JSON.stringify(ordered(report, shape), null, 2)}\n`
}

function ordered(value: unknown, shape: Shape | null): unknown {
  if (Array.isArray(value))
    return value.map((v) => ordered(v, shape !== null && 'array' in shape ? shape.array : null))
  if (value === null || typeof value !== 'object') return value
  const source = value as Record<string, unknown>
  const known = shape !== null && 'object' in shape ? shape.object : []
  const out: Record<string, unknown> = {}
  for (const [key, child] of known) if (source[key] !== undefined) out[key] = ordered(source[key], child)
  const knownKeys = new Set(known.map(([k]) => k))
  for (const key of Object.keys(source).sort())
    if (!knownKeys.has(key) && source[key] !== undefined) out[key] = ordered(source[key], null)
  return out
}
