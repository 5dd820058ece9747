/**
 * The Condition element: `{ Operator: { Key: value | value[] } }`. Operators follow the IAM User
 * Guide ("IAM JSON policy elements: Condition operators"): a base operator, optionally `IfExists`
 * (any operator but Null), optionally prefixed by `ForAllValues:` or `ForAnyValue:`.
 */

import type { Condition, ConditionSetOperator } from '../types.js'
import { caseHint, describe, isObject, item, member, type ProblemSink, quote } from './shared.js'

export const CONDITION_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
] as const

export type ConditionOperator = (typeof CONDITION_OPERATORS)[number]

const OPERATORS: ReadonlySet<string> = new Set(CONDITION_OPERATORS)
const SET_OPERATORS: readonly ConditionSetOperator[] = ['ForAllValues', 'ForAnyValue']
const IF_EXISTS = 'IfExists'

export interface ParsedOperator {
  baseOperator: ConditionOperator
  setOperator?: ConditionSetOperator
  ifExists: boolean
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; a string tells why the operator is not valid. */
export function parseConditionOperator(operator: string): ParsedOperator | string {
  let rest = operator
  let setOperator: ConditionSetOperator | undefined
  const colon = operator.indexOf(':')
  if (colon >= 0) {
    const prefix = operator.slice(0, colon)
    const known = SET_OPERATORS.find((name) => name === prefix)
    if (known === undefined) {
      const hint = caseHint(prefix, SET_OPERATORS)
      return hint === undefined
        ? `${quote(prefix)} is not a condition set operator; only ForAllValues: and ForAnyValue: are.`
        : `The condition set operator must be written ${quote(hint)}, not ${quote(prefix)}.`
    }
    setOperator = known
    rest = operator.slice(colon + 1)
  }
  let ifExists = false
  if (rest.endsWith(IF_EXISTS) && rest.length > IF_EXISTS.length) {
    ifExists = true
    rest = rest.slice(0, -IF_EXISTS.length)
  }
  const base = CONDITION_OPERATORS.find((name) => name === rest)
  if (base === undefined) {
    const hint = caseHint(rest, CONDITION_OPERATORS)
    return hint === undefined
      ? `${quote(operator)} is not an IAM condition operator.`
      : `The condition operator must be written ${quote(hint)}, not ${quote(rest)}; operator names are case-sensitive.`
  }
  if (base === 'Null' && ifExists)
    return 'The Null operator cannot take IfExists, because it already tests whether the key exists.'
  return setOperator === undefined
    ? { baseOperator: base, ifExists }
    : { baseOperator: base, setOperator, ifExists }
}

export function isConditionOperator(name: string): name is ConditionOperator {
  return OPERATORS.has(name)
}

/** Parses a Condition block, reporting problems; errors make the enclosing statement unusable. */
export function parseConditions(
  raw: unknown,
  path: string,
  sink: ProblemSink,
  variablesEnabled: boolean,
): Condition[] {
  if (!isObject(raw)) {
    sink.error(
      path,
      `Condition must be an object of operators such as {"StringEquals": {...}}, not ${describe(raw)}.`,
    )
    return []
  }
  const conditions: Condition[] = []
  for (const [operator, block] of Object.entries(raw)) {
    const operatorPath = member(path, operator)
    const parsed = parseConditionOperator(operator)
    if (typeof parsed === 'string') {
      sink.error(operatorPath, parsed)
      continue
    }
    if (!isObject(block)) {
      sink.error(operatorPath, `${operator} must map condition keys to values, not be ${describe(block)}.`)
      continue
    }
    if (Object.keys(block).length === 0)
      sink.warning(operatorPath, `${operator} names no condition key, so it checks nothing.`)
    for (const [key, value] of Object.entries(block)) {
      const keyPath = member(operatorPath, key)
      if (!key.includes(':')) {
        sink.warning(
          keyPath,
          `Condition key ${quote(key)} has no prefix; keys are written like "aws:SourceIp" or "s3:prefix".`,
        )
      }
      const values = conditionValues(value, keyPath, sink)
      if (values === undefined) continue
      values.forEach((text, i) => {
        const valuePath = Array.isArray(value) ? item(keyPath, i) : keyPath
        checkValue(parsed.baseOperator, text, valuePath, sink, variablesEnabled)
      })
      const condition: Condition = {
        operator,
        baseOperator: parsed.baseOperator,
        ifExists: parsed.ifExists,
        key,
        values,
      }
      if (parsed.setOperator !== undefined) condition.setOperator = parsed.setOperator
      conditions.push(condition)
    }
  }
  return conditions
}

function conditionValues(value: unknown, path: string, sink: ProblemSink): string[] | undefined {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0)
    sink.warning(path, 'This condition key has an empty list of values, so it can never match.')
  const values: string[] = []
  let ok = true
  list.forEach((entry, i) => {
    const entryPath = Array.isArray(value) ? item(path, i) : path
    if (typeof entry === 'string') values.push(entry)
    else if (typeof entry === 'boolean' || (typeof entry === 'number' && Number.isFinite(entry)))
      values.push(String(entry))
    else {
      sink.error(entryPath, `A condition value must be text, a number or true/false, not ${describe(entry)}.`)
      ok = false
    }
  })
  return ok ? values : undefined
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const EPOCH = /^\d+$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/\d{1,2})?$/
const IPV6 = /^[0-9A-Fa-f:.]+(\/\d{1,3})?$/

/** Values AWS would compare as something other than text; a mismatch never matches, which is worth a warning. */
function checkValue(
  operator: ConditionOperator,
  value: string,
  path: string,
  sink: ProblemSink,
  variablesEnabled: boolean,
): void {
  if (value.includes('${')) {
    if (!variablesEnabled) {
      sink.warning(
        path,
        `${quote(value)} holds a policy variable, but variables only work under "Version": "2012-10-17", so AWS reads it as plain text.`,
      )
    }
    return
  }
  const expected = expectedValue(operator, value)
  if (expected !== undefined)
    sink.warning(path, `${operator} expects ${expected}, but the value is ${quote(value)}.`)
}

function expectedValue(operator: ConditionOperator, value: string): string | undefined {
  if (operator === 'Bool' || operator === 'Null') {
    const lower = value.toLowerCase()
    return lower === 'true' || lower === 'false' ? undefined : '"true" or "false"'
  }
  if (operator.startsWith('Numeric')) return NUMBER.test(value) ? undefined : 'a number'
  if (operator.startsWith('Date')) {
    return EPOCH.test(value) || ISO_DATE.test(value) ? undefined : 'a date such as "2025-01-31T00:00:00Z"'
  }
  if (operator === 'IpAddress' || operator === 'NotIpAddress') {
    return isIpRange(value) ? undefined : 'an IP address or CIDR range such as "203.0.113.0/24"'
  }
  return undefined
}

function isIpRange(value: string): boolean {
  const v4 = IPV4.exec(value)
  if (v4 !== null) {
    const octets = v4.slice(1, 5).map(Number)
    const prefix = v4[5] === undefined ? 32 : Number(v4[5].slice(1))
    return octets.every((octet) => octet <= 255) && prefix <= 32
  }
  if (!value.includes(':') || !IPV6.test(value)) return false
  const slash = value.indexOf('/')
  return slash < 0 || Number(value.slice(slash + 1)) <= 128
}
