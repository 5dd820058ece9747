/**
 * JSON text in and normalized JSON out. Parse errors name the line and column within the policy
 * text, because IaC embeds policies as strings and V8 only sometimes says where it failed.
 */

import type { Condition, PolicyDocument, PrincipalKind, PrincipalRef, Statement } from '../types.js'

export type JsonText = { ok: true; value: unknown } | { ok: false; message: string }

export function parseJsonText(text: string): JsonText {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  try {
    return { ok: true, value: JSON.parse(source) }
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error)
    const stated = /at position (\d+)/.exec(raw)
    const offset = stated?.[1] === undefined ? findJsonError(source) : Number(stated[1])
    // V8 appends the offset or a snippet of the input; the line and column replace both.
    const reason = raw
      .replace(/\s*in JSON at position \d+.*$/s, '')
      .replace(/,\s*".*" is not valid JSON$/s, '')
      .replace(/\.$/, '')
    const { line, column } = lineAndColumn(source, offset)
    return {
      ok: false,
      message: `The policy is not valid JSON: ${reason} at line ${line}, column ${column}.`,
    }
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)))
  const lastBreak = before.lastIndexOf('\n')
  return { line: before.split('\n').length, column: before.length - lastBreak }
}

/** Offset of the first JSON syntax error (or the text's length when the text simply ends too early). */
export function findJsonError(text: string): number {
  let i = 0
  const fail = (): never => {
    throw i
  }
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++
  }
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail()
      i++
    }
  }
  const string = (): void => {
    i++
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail()
      if (text[i] === '\\') {
        i++
        if (text[i] === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9A-Fa-f]/.test(text[i + k] ?? '')) fail()
          i += 4
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail()
      }
      i++
    }
    if (i >= text.length) fail()
    i++
  }
  const number = (): void => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))
    if (match === null) fail()
    else i += match[0].length
  }
  // The members of an object or the items of a list, up to the closing bracket.
  const container = (close: string, entry: () => void): void => {
    i++
    space()
    if (text[i] !== close) {
      for (;;) {
        entry()
        space()
        if (text[i] === close) break
        if (text[i] !== ',') fail()
        i++
      }
    }
    i++
  }
  function pair(): void {
    space()
    if (text[i] !== '"') fail()
    string()
    space()
    if (text[i] !== ':') fail()
    i++
    value()
  }
  function value(): void {
    space()
    const ch = text[i]
    if (ch === '{') container('}', pair)
    else if (ch === '[') container(']', value)
    else if (ch === '"') string()
    else if (ch === 't') literal('true')
    else if (ch === 'f') literal('false')
    else if (ch === 'n') literal('null')
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) number()
    else fail()
  }
  try {
    value()
    space()
    if (i < text.length) fail()
    return text.length
  } catch (offset) {
    return Math.min(typeof offset === 'number' ? offset : text.length, text.length)
  }
}

// ---------------------------------------------------------------------------------------------

const PRINCIPAL_ORDER: readonly PrincipalKind[] = ['AWS', 'Service', 'Federated', 'CanonicalUser']

/** Sorted by code unit, not locale, so output is byte-identical on every machine. */
function sorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * A normalized IAM JSON document: lists everywhere, fixed key order, values sorted and without
 * duplicates (their order has no meaning in IAM), so two synthesized policies diff line by line.
 */
export function policyToJson(policy: PolicyDocument): object {
  const out: Record<string, unknown> = {}
  if (policy.version !== undefined) out.Version = policy.version
  if (policy.id !== undefined) out.Id = policy.id
  out.Statement = policy.statements.map(statementToJson)
  return out
}

function statementToJson(statement: Statement): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (statement.sid !== undefined) out.Sid = statement.sid
  out.Effect = statement.effect
  if (statement.principal !== undefined) out.Principal = principalsToJson(statement.principal)
  if (statement.notPrincipal !== undefined) out.NotPrincipal = principalsToJson(statement.notPrincipal)
  if (statement.action !== undefined) out.Action = sorted(statement.action)
  if (statement.notAction !== undefined) out.NotAction = sorted(statement.notAction)
  if (statement.resource !== undefined) out.Resource = sorted(statement.resource)
  if (statement.notResource !== undefined) out.NotResource = sorted(statement.notResource)
  if (statement.conditions.length > 0) out.Condition = conditionsToJson(statement.conditions)
  return out
}

function principalsToJson(refs: readonly PrincipalRef[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const kind of PRINCIPAL_ORDER) {
    const values = refs.filter((ref) => ref.kind === kind).map((ref) => ref.value)
    if (values.length > 0) out[kind] = sorted(values)
  }
  return out
}

function conditionsToJson(conditions: readonly Condition[]): Record<string, Record<string, string[]>> {
  const grouped = new Map<string, Map<string, string[]>>()
  for (const condition of conditions) {
    const keys = grouped.get(condition.operator) ?? new Map<string, string[]>()
    grouped.set(condition.operator, keys)
    keys.set(condition.key, [...(keys.get(condition.key) ?? []), ...condition.values])
  }
  const out: Record<string, Record<string, string[]>> = {}
  for (const operator of sorted([...grouped.keys()])) {
    const keys = grouped.get(operator)!
    const block: Record<string, string[]> = {}
    for (const key of sorted([...keys.keys()])) block[key] = sorted(keys.get(key)!)
    out[operator] = block
  }
  return out
}
