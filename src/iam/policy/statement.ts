/**
 * One statement of a policy document. Every error makes the statement unusable (the caller leaves
 * it out); warnings keep it. Which elements are required or forbidden depends on the policy kind.
 */

import type { Effect, PolicyKind, PrincipalKind, PrincipalRef, Statement } from '../types.js'
import { parseConditions } from './conditions.js'
import {
  caseHint,
  describe,
  isObject,
  item,
  type JsonObject,
  member,
  type ProblemSink,
  quote,
} from './shared.js'

const STATEMENT_KEYS = [
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
] as const
const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['AWS', 'Service', 'Federated', 'CanonicalUser']
const EFFECTS: readonly Effect[] = ['Allow', 'Deny']

/** Kinds whose principal is implied by attachment, so naming one is rejected. */
const NO_PRINCIPAL: Partial<Record<PolicyKind, string>> = {
  identity: 'Identity policies',
  boundary: 'Permissions boundaries',
  scp: 'Service control policies',
}
/** Kinds attached to a resource (or a role, for trust), which must say who they apply to. */
const NEEDS_PRINCIPAL: Partial<Record<PolicyKind, string>> = {
  resource: 'Resource policies',
  trust: 'Trust policies',
  rcp: 'Resource control policies',
}

export interface StatementContext {
  kind: PolicyKind | undefined
  /** Policy variables such as `${aws:username}` are only substituted under Version 2012-10-17. */
  variablesEnabled: boolean
  sink: ProblemSink
}

export function parseStatement(
  raw: unknown,
  index: number,
  path: string,
  ctx: StatementContext,
): Statement | undefined {
  const { sink } = ctx
  if (!isObject(raw)) {
    sink.error(path, `A statement must be an object with Effect, Action and Resource, not ${describe(raw)}.`)
    return undefined
  }
  const errorsBefore = sink.errors
  for (const key of Object.keys(raw)) {
    if ((STATEMENT_KEYS as readonly string[]).includes(key)) continue
    const hint = caseHint(key, STATEMENT_KEYS)
    sink.error(
      member(path, key),
      hint === undefined
        ? `${quote(key)} is not a statement element, so AWS rejects the policy; allowed are ${STATEMENT_KEYS.join(', ')}.`
        : `The element must be written ${quote(hint)}, not ${quote(key)}; policy element names are case-sensitive.`,
    )
  }
  const statement: Statement = { index, path, effect: 'Allow', conditions: [] }
  const sid = raw.Sid
  if (sid !== undefined) {
    if (typeof sid !== 'string') sink.error(member(path, 'Sid'), `Sid must be text, not ${describe(sid)}.`)
    else {
      statement.sid = sid
      if ((ctx.kind === 'identity' || ctx.kind === 'boundary') && !/^[A-Za-z0-9]*$/.test(sid)) {
        sink.warning(
          member(path, 'Sid'),
          `IAM accepts only letters and digits in the Sid of identity policies, not ${quote(sid)}.`,
        )
      }
    }
  }
  const effect = parseEffect(raw.Effect, path, sink)
  if (effect !== undefined) statement.effect = effect

  parsePrincipals(raw, path, ctx, statement)
  parsePair(raw, path, ctx, statement, 'Action', 'NotAction')
  parsePair(raw, path, ctx, statement, 'Resource', 'NotResource')
  if (raw.Condition !== undefined) {
    statement.conditions = parseConditions(
      raw.Condition,
      member(path, 'Condition'),
      sink,
      ctx.variablesEnabled,
    )
  }
  return sink.errors === errorsBefore ? statement : undefined
}

function parseEffect(raw: unknown, path: string, sink: ProblemSink): Effect | undefined {
  const at = member(path, 'Effect')
  if (raw === undefined) {
    sink.error(path, 'This statement has no Effect; add "Effect": "Allow" or "Effect": "Deny".')
    return undefined
  }
  const effect = EFFECTS.find((name) => name === raw)
  if (effect !== undefined) return effect
  const hint = typeof raw === 'string' ? caseHint(raw, EFFECTS) : undefined
  sink.error(
    at,
    hint === undefined
      ? `Effect must be "Allow" or "Deny", not ${describe(raw)}.`
      : `Effect must be written exactly ${quote(hint)}, not ${quote(raw as string)}; AWS rejects other spellings.`,
  )
  return undefined
}

function parsePrincipals(raw: JsonObject, path: string, ctx: StatementContext, statement: Statement): void {
  const { sink, kind } = ctx
  const hasPrincipal = raw.Principal !== undefined
  const hasNot = raw.NotPrincipal !== undefined
  if (hasPrincipal && hasNot) sink.error(path, 'A statement can have Principal or NotPrincipal, not both.')
  const forbidden = kind === undefined ? undefined : NO_PRINCIPAL[kind]
  const required = kind === undefined ? undefined : NEEDS_PRINCIPAL[kind]
  if (forbidden !== undefined && (hasPrincipal || hasNot)) {
    const name = hasPrincipal ? 'Principal' : 'NotPrincipal'
    sink.error(
      member(path, name),
      `${forbidden} cannot name a ${name}; they apply to whoever they are attached to.`,
    )
  }
  if (required !== undefined && !hasPrincipal && !hasNot) {
    sink.error(
      path,
      `${required} must say who they apply to with a Principal, e.g. "Principal": {"AWS": "..."}.`,
    )
  }
  if (hasPrincipal) {
    const refs = parsePrincipal(raw.Principal, member(path, 'Principal'), sink)
    if (refs !== undefined) statement.principal = refs
  }
  if (hasNot) {
    const refs = parsePrincipal(raw.NotPrincipal, member(path, 'NotPrincipal'), sink)
    if (refs !== undefined) statement.notPrincipal = refs
    if (raw.Effect === 'Allow') {
      sink.warning(
        member(path, 'NotPrincipal'),
        'NotPrincipal with "Allow" grants access to everyone except the listed principals, including anonymous users.',
      )
    }
  }
}

function parsePrincipal(raw: unknown, path: string, sink: ProblemSink): PrincipalRef[] | undefined {
  if (raw === '*') return [{ kind: 'AWS', value: '*' }]
  if (!isObject(raw)) {
    sink.error(
      path,
      `A principal must be "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"}, not ${describe(raw)}.`,
    )
    return undefined
  }
  const refs: PrincipalRef[] = []
  const keys = Object.keys(raw)
  if (keys.length === 0)
    sink.error(path, 'This principal object names nobody; use keys such as "AWS" or "Service".')
  for (const key of keys) {
    const kind = PRINCIPAL_KINDS.find((name) => name === key)
    if (kind === undefined) {
      const hint = caseHint(key, PRINCIPAL_KINDS)
      sink.error(
        member(path, key),
        hint === undefined
          ? `${quote(key)} is not a principal type; use AWS, Service, Federated or CanonicalUser.`
          : `The principal type must be written ${quote(hint)}, not ${quote(key)}.`,
      )
      continue
    }
    stringList(raw[key], member(path, key), sink, `${kind} principal`, true, (value, valuePath) => {
      if (kind === 'AWS' && value !== '*' && !/^\d{12}$/.test(value) && !value.startsWith('arn:')) {
        sink.warning(valuePath, `AWS principal ${quote(value)} is neither an account ID, an ARN nor "*".`)
      }
      refs.push({ kind, value })
    })
  }
  return refs
}

type PairName = 'Action' | 'Resource'

function parsePair(
  raw: JsonObject,
  path: string,
  ctx: StatementContext,
  statement: Statement,
  name: PairName,
  notName: `Not${PairName}`,
): void {
  const { sink, kind } = ctx
  const has = raw[name] !== undefined
  const hasNot = raw[notName] !== undefined
  if (has && hasNot) sink.error(path, `A statement can have ${name} or ${notName}, not both.`)
  if (name === 'Action' && !has && !hasNot)
    sink.error(path, 'This statement has no Action; say which actions it allows or denies.')
  if (name === 'Resource') {
    if ((kind === 'identity' || kind === 'boundary') && !has && !hasNot) {
      sink.error(
        path,
        'This statement has no Resource; identity policies must name resources (use "*" for all).',
      )
    }
    if (kind === 'trust' && (has || hasNot)) {
      sink.error(
        member(path, has ? name : notName),
        `Trust policies cannot have ${has ? name : notName}; the role itself is the resource.`,
      )
    }
  }
  for (const element of [name, notName] as const) {
    if (raw[element] === undefined) continue
    const elementPath = member(path, element)
    const values = stringList(raw[element], elementPath, sink, element, false, (value, valuePath) => {
      if (name === 'Action') checkAction(value, valuePath, sink)
      else checkResource(value, valuePath, ctx)
    })
    if (element === 'Action') statement.action = values
    else if (element === 'NotAction') statement.notAction = values
    else if (element === 'Resource') statement.resource = values
    else statement.notResource = values
  }
}

/**
 * A string or a non-empty list of strings. Principals also take numbers, because YAML templates
 * turn unquoted account IDs into numbers. Bad entries are reported and skipped, and `check` sees
 * each good one with its path as it comes, so problems stay in document order.
 */
function stringList(
  raw: unknown,
  path: string,
  sink: ProblemSink,
  what: string,
  numbersAllowed: boolean,
  check: (value: string, path: string) => void,
): string[] {
  const list = Array.isArray(raw) ? raw : [raw]
  if (list.length === 0) {
    sink.error(path, `${what} is an empty list; name at least one value.`)
    return []
  }
  const out: string[] = []
  list.forEach((entry, i) => {
    const entryPath = Array.isArray(raw) ? item(path, i) : path
    let value: string | undefined
    if (typeof entry === 'string' && entry.length > 0) value = entry
    else if (numbersAllowed && typeof entry === 'number' && Number.isInteger(entry) && entry >= 0) {
      value = String(entry).padStart(12, '0')
    }
    if (value === undefined)
      sink.error(entryPath, `Each ${what} must be non-empty text, not ${describe(entry)}.`)
    else {
      out.push(value)
      check(value, entryPath)
    }
  })
  return out
}

const SERVICE = /^[A-Za-z0-9*?-]+$/
const ACTION_NAME = /^[A-Za-z0-9*?]+$/

function checkAction(action: string, path: string, sink: ProblemSink): void {
  if (action === '*') return
  const colon = action.indexOf(':')
  let reason: string | undefined
  if (/\s/.test(action)) reason = 'contains a space'
  else if (colon < 0) reason = 'has no colon'
  else if (colon === 0 || !SERVICE.test(action.slice(0, colon))) reason = 'has no valid service prefix'
  else if (!ACTION_NAME.test(action.slice(colon + 1))) reason = 'has no valid action name after the colon'
  if (reason !== undefined) {
    sink.error(
      path,
      `Action ${quote(action)} ${reason}; actions are written service:Action, e.g. "s3:GetObject", or "*".`,
    )
  }
}

function checkResource(resource: string, path: string, ctx: StatementContext): void {
  if (resource.includes('${') && !ctx.variablesEnabled) {
    ctx.sink.warning(
      path,
      `${quote(resource)} holds a policy variable, but variables only work under "Version": "2012-10-17", so AWS reads it as plain text.`,
    )
  }
  if (resource !== '*' && !(resource.startsWith('arn:') && resource.split(':').length >= 6)) {
    ctx.sink.warning(
      path,
      `Resource ${quote(resource)} is neither "*" nor an ARN such as "arn:aws:s3:::my-bucket/*".`,
    )
  }
}
