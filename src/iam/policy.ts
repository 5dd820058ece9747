/**
 * The IAM policy document parser and validator. It never throws on bad input: every problem gets a
 * JSON path and a one-sentence message, and a bad statement is left out without hiding the good
 * ones, so downstream analysis always sees as much of the policy as AWS would have to evaluate.
 */

import { parseJsonText } from './policy/json.js'
import { caseHint, describe, isObject, item, member, ProblemSink, quote } from './policy/shared.js'
import { parseStatement, type StatementContext } from './policy/statement.js'
import type { PolicyDocument, PolicyKind, PolicyProblem, Statement } from './types.js'

export {
  CONDITION_OPERATORS,
  type ConditionOperator,
  type ParsedOperator,
  parseConditionOperator,
} from './policy/conditions.js'
export { policyToJson } from './policy/json.js'

export interface ParsedPolicy {
  policy: PolicyDocument
  problems: PolicyProblem[]
}

export interface ParsePolicyOptions {
  /** Decides which elements are required or forbidden; without it only the grammar is checked. */
  kind?: PolicyKind
}

const VERSIONS = ['2012-10-17', '2008-10-17']
const TOP_LEVEL_KEYS = ['Version', 'Id', 'Statement']

/** Parses a policy given as a JSON value or as JSON text. */
export function parsePolicy(input: unknown, options: ParsePolicyOptions = {}): ParsedPolicy {
  const sink = new ProblemSink()
  let document = input
  if (typeof input === 'string') {
    const parsed = parseJsonText(input)
    if (!parsed.ok) {
      sink.error('$', parsed.message)
      return { policy: { statements: [] }, problems: sink.problems }
    }
    document = parsed.value
  }
  if (!isObject(document)) {
    sink.error('$', `A policy must be a JSON object with Version and Statement, not ${describe(document)}.`)
    return { policy: { statements: [] }, problems: sink.problems }
  }

  const policy: PolicyDocument = { statements: [] }
  for (const key of Object.keys(document)) {
    if (TOP_LEVEL_KEYS.includes(key)) continue
    const hint = caseHint(key, TOP_LEVEL_KEYS)
    sink.error(
      member('$', key),
      hint === undefined
        ? `${quote(key)} is not a policy element, so AWS rejects the policy; allowed are Version, Id and Statement.`
        : `The element must be written ${quote(hint)}, not ${quote(key)}; policy element names are case-sensitive.`,
    )
  }
  const version = parseVersion(document.Version, sink)
  if (version !== undefined) policy.version = version
  if (document.Id !== undefined) {
    if (typeof document.Id === 'string') policy.id = document.Id
    else sink.error('$.Id', `Id must be text, not ${describe(document.Id)}.`)
  }

  const ctx: StatementContext = { kind: options.kind, variablesEnabled: version === '2012-10-17', sink }
  policy.statements = parseStatements(document.Statement, ctx)
  return { policy, problems: sink.problems }
}

function parseVersion(raw: unknown, sink: ProblemSink): string | undefined {
  if (raw === undefined) {
    sink.warning(
      '$',
      'The policy has no Version, so AWS reads it as 2008-10-17, which does not support policy variables; add "Version": "2012-10-17".',
    )
    return undefined
  }
  if (typeof raw !== 'string') {
    sink.error('$.Version', `Version must be the text "2012-10-17", not ${describe(raw)}.`)
    return undefined
  }
  if (!VERSIONS.includes(raw)) {
    sink.warning('$.Version', `Version ${quote(raw)} is not an IAM policy version; use "2012-10-17".`)
  }
  return raw
}

function parseStatements(raw: unknown, ctx: StatementContext): Statement[] {
  const { sink } = ctx
  if (raw === undefined) {
    sink.error('$', 'The policy has no Statement, so it neither allows nor denies anything.')
    return []
  }
  if (!Array.isArray(raw) && !isObject(raw)) {
    sink.error('$.Statement', `Statement must be an object or a list of objects, not ${describe(raw)}.`)
    return []
  }
  const entries: Array<[unknown, string]> = Array.isArray(raw)
    ? raw.map((entry, i) => [entry, item('$.Statement', i)])
    : [[raw, '$.Statement']]
  if (entries.length === 0) {
    sink.error('$.Statement', 'Statement is an empty list, so the policy neither allows nor denies anything.')
  }

  const statements: Statement[] = []
  const sids = new Map<string, string>()
  entries.forEach(([entry, path], index) => {
    const sid = isObject(entry) ? entry.Sid : undefined
    if (typeof sid === 'string' && sid !== '') {
      const first = sids.get(sid)
      if (first === undefined) sids.set(sid, path)
      else
        sink.warning(
          member(path, 'Sid'),
          `Sid ${quote(sid)} is also used by ${first}; Sids should be unique within a policy.`,
        )
    }
    const statement = parseStatement(entry, index, path, ctx)
    if (statement !== undefined) statements.push(statement)
  })
  return statements
}
