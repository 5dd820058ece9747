/** Small helpers shared by the policy parser modules: JSON paths, value descriptions, problem collection. */

import type { PolicyProblem } from '../types.js'

export type JsonObject = Record<string, unknown>

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** Path of a member: `$.Statement` for plain names, `$.Condition['aws:SourceIp']` for keys with other characters. */
export function member(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return `${path}.${key}`
  return `${path}['${key.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`
}

export function item(path: string, index: number): string {
  return `${path}[${index}]`
}

/** A short quoted form of a value for messages; long values are cut so a message stays one readable line. */
export function quote(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text
  return JSON.stringify(shown)
}

/** What kind of JSON value this is, in words: "a number", "null", "a list". */
export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'string') return `the text ${quote(value)}`
  if (typeof value === 'number') return `the number ${value}`
  if (typeof value === 'boolean') return `the value ${value}`
  return `a ${typeof value}`
}

/** Finds the correctly written name when only the case differs, to turn "effect" into a helpful hint. */
export function caseHint(written: string, known: readonly string[]): string | undefined {
  const lower = written.toLowerCase()
  return known.find((name) => name.toLowerCase() === lower && name !== written)
}

/** Collects problems; the error count lets a caller tell whether an element it parsed stayed usable. */
export class ProblemSink {
  readonly problems: PolicyProblem[] = []
  errors = 0

  error(path: string, message: string): void {
    this.errors++
    this.problems.push({ path, message, severity: 'error' })
  }

  warning(path: string, message: string): void {
    this.problems.push({ path, message, severity: 'warning' })
  }
}
