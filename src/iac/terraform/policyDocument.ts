/**
 * `data "aws_iam_policy_document"` as the AWS provider renders it: statements (static and dynamic
 * blocks), source documents first, then this document's statements (replacing same-Sid ones), then
 * override documents (replacing by Sid or appended). The JSON is remembered with each statement's
 * line so that a policy built from it points at the statement block.
 */
import type { SourceLocation } from '../../model/types.js'
import { bodyValue, type Instance } from './instances.js'
import type { LoadState } from './state.js'
import { asString, isObject, type Value } from './values.js'

interface Located {
  statement: Record<string, unknown>
  location: SourceLocation
}

export function policyDocumentJson(instance: Instance, state: LoadState): string {
  const own: Located[] = statementValues(instance).map(({ value, line }) => ({
    statement: renderStatement(value),
    location: line === undefined ? instance.location : { file: instance.location.file, line },
  }))
  let statements: Located[] = []
  for (const doc of documents(instance.argument('source_policy_documents'), instance.argument('source_json')))
    statements = mergeBySid(statements, parsedStatements(doc, instance, state))
  statements = mergeBySid(statements, own)
  for (const doc of documents(
    instance.argument('override_policy_documents'),
    instance.argument('override_json'),
  ))
    statements = mergeBySid(statements, parsedStatements(doc, instance, state))

  const document: Record<string, unknown> = { Version: stringOr(instance.argument('version'), '2012-10-17') }
  const id = instance.argument('policy_id')
  if (typeof id === 'string') document.Id = id
  document.Statement = statements.map((s) => s.statement)
  const json = JSON.stringify(document, null, 2)
  state.origins.documents.set(
    json,
    statements.map((s) => s.location),
  )
  return json
}

function statementValues(instance: Instance): { value: Value; line?: number }[] {
  if (instance.blocks)
    return instance
      .blocks('statement')
      .map(({ block, ctx }) => ({ value: bodyValue(block.body, ctx), line: block.line }))
  const v = instance.argument('statement')
  return Array.isArray(v) ? v.map((value) => ({ value })) : []
}

function documents(list: Value | undefined, single: Value | undefined): string[] {
  const out: string[] = []
  if (Array.isArray(list)) for (const x of list) if (typeof x === 'string' && x !== '') out.push(x)
  if (typeof single === 'string' && single !== '') out.push(single)
  return out
}

function parsedStatements(json: string, instance: Instance, state: LoadState): Located[] {
  let doc: unknown
  try {
    doc = JSON.parse(json)
  } catch {
    state.error(
      instance.location.file,
      instance.location.line,
      `${instance.address}: a source or override document is not JSON`,
    )
    return []
  }
  const raw = isRecord(doc) ? doc.Statement : undefined
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]
  const known = state.origins.documents.get(json)
  return list
    .filter(isRecord)
    .map((statement, i) => ({ statement, location: known?.[i] ?? instance.location }))
}

/** A later statement with the same Sid replaces the earlier one in place; others are appended. */
function mergeBySid(base: Located[], next: Located[]): Located[] {
  const out = [...base]
  for (const s of next) {
    const sid = s.statement.Sid
    const at = typeof sid === 'string' && sid !== '' ? out.findIndex((x) => x.statement.Sid === sid) : -1
    if (at >= 0) out[at] = s
    else out.push(s)
  }
  return out
}

/** `&{aws:username}` is the provider's way to write an IAM policy variable without interpolation. */
const fixVariables = (s: string): string => s.replaceAll('&{', '${')

function strings(v: Value | undefined): string[] | undefined {
  if (v === undefined || v === null) return undefined
  const list = Array.isArray(v) ? v : [v]
  return list.map((x) => fixVariables(asString(x))).sort()
}

function renderStatement(v: Value): Record<string, unknown> {
  const s = isObject(v) ? v : {}
  const out: Record<string, unknown> = {}
  if (typeof s.sid === 'string' && s.sid !== '') out.Sid = s.sid
  out.Effect = stringOr(s.effect, 'Allow')
  const pairs: [string, string][] = [
    ['actions', 'Action'],
    ['not_actions', 'NotAction'],
    ['resources', 'Resource'],
    ['not_resources', 'NotResource'],
  ]
  for (const [from, to] of pairs) {
    const list = strings(s[from])
    if (list !== undefined && list.length > 0) out[to] = list.length === 1 ? list[0] : list
  }
  for (const [from, to] of [
    ['principals', 'Principal'],
    ['not_principals', 'NotPrincipal'],
  ] as const) {
    const blocks = Array.isArray(s[from]) ? (s[from] as Value[]) : []
    if (blocks.length === 0) continue
    const principal: Record<string, string[]> = {}
    let everyone = false
    for (const b of blocks) {
      if (!isObject(b)) continue
      const type = asString(b.type ?? '')
      const ids = strings(b.identifiers) ?? []
      if (type === '*' && ids.every((x) => x === '*')) everyone = true
      else principal[type] = [...(principal[type] ?? []), ...ids]
    }
    out[to] = everyone && Object.keys(principal).length === 0 ? '*' : principal
  }
  const conditions = Array.isArray(s.condition) ? s.condition : []
  if (conditions.length > 0) {
    const condition: Record<string, Record<string, string[]>> = {}
    for (const c of conditions) {
      if (!isObject(c)) continue
      const test = asString(c.test ?? '')
      const variable = fixVariables(asString(c.variable ?? ''))
      const byTest = condition[test] ?? {}
      byTest[variable] = [...(byTest[variable] ?? []), ...(strings(c.values) ?? [])]
      condition[test] = byTest
    }
    out.Condition = condition
  }
  return out
}

function stringOr(v: Value | undefined, fallback: string): string {
  return typeof v === 'string' && v !== '' ? v : fallback
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
