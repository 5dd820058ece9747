/**
 * Whom the Principal element of a resource or trust policy admits. Naming a principal grants to it
 * directly; naming its account (id or `:root`) delegates to the account, whose own IAM policies must
 * then allow too (AWS's rule for both same-account and cross-account requests).
 */
import { type AwsPrincipalShape, classifyAwsPrincipal } from '../iam/arn.js'
import type { PrincipalRef } from '../iam/types.js'
import { wildcardMatch } from '../iam/wildcard.js'
import type { Principal } from '../model/types.js'
import type { CompiledStatement, PrincipalCondition } from './compile.js'

export type PrincipalMatch = 'direct' | 'account' | 'none'

export function matchPrincipal(statement: CompiledStatement, principal: Principal): PrincipalMatch {
  const match = matchElement(statement, principal)
  const conditions = statement.principalConditions
  if (match === 'none' || conditions === undefined) return match
  for (let i = 0; i < conditions.length; i++) if (!meetsCondition(conditions[i]!, principal)) return 'none'
  return match
}

/**
 * Whether a principal can meet a condition on `aws:PrincipalArn` / `aws:PrincipalAccount`. A
 * principal without an ARN (the public, services, identity providers) never does; an account as a
 * whole does when some principal of it could.
 */
function meetsCondition(condition: PrincipalCondition, principal: Principal): boolean {
  const test = (pattern: string, value: string): boolean =>
    condition.like ? wildcardMatch(pattern, value) : pattern === value
  if (condition.key === 'account') {
    return principal.account !== undefined && condition.values.some((v) => test(v, principal.account!))
  }
  if (principal.type === 'account') {
    return condition.values.some(
      (v) => v === '*' || v.split(':')[4] === principal.account || (v.split(':')[4] ?? '').includes('*'),
    )
  }
  return principal.arn !== undefined && condition.values.some((v) => test(v, principal.arn!))
}

function matchElement(statement: CompiledStatement, principal: Principal): PrincipalMatch {
  const principals = statement.principals
  if (principals !== undefined) {
    // The best of the entries: direct, else account, else none.
    let match: PrincipalMatch = 'none'
    for (let i = 0; i < principals.length; i++) {
      const one = matchRef(principals[i]!, principal)
      if (one === 'direct') return 'direct'
      if (one === 'account') match = 'account'
    }
    return match
  }
  const notPrincipals = statement.notPrincipals
  if (notPrincipals !== undefined) {
    // NotPrincipal excludes exactly what it names: naming an account root does not exclude its roles.
    for (let i = 0; i < notPrincipals.length; i++) {
      if (matchRef(notPrincipals[i]!, principal) === 'direct') return 'none'
    }
    return 'direct'
  }
  return 'none'
}

/** The Principal element names everyone (`"*"` or `{"AWS": "*"}`), whatever else it names. */
export function namesEveryone(statement: CompiledStatement): boolean {
  const principals = statement.principals
  if (principals === undefined) return false
  for (let i = 0; i < principals.length; i++) {
    const ref = principals[i]!
    if (ref.kind === 'AWS' && ref.value === '*') return true
  }
  return false
}

/** Policies repeat principal strings: classify each once, within a bound. */
const shapes = new Map<string, AwsPrincipalShape>()

function shapeOf(value: string): AwsPrincipalShape {
  let shape = shapes.get(value)
  if (shape === undefined) {
    shape = classifyAwsPrincipal(value)
    if (shapes.size >= 50_000) shapes.clear()
    shapes.set(value, shape)
  }
  return shape
}

function matchRef(ref: PrincipalRef, principal: Principal): PrincipalMatch {
  switch (ref.kind) {
    case 'AWS': {
      const shape = shapeOf(ref.value)
      if (shape.shape === 'public') return 'direct'
      if (shape.shape === 'account') {
        if (principal.type === 'account' && principal.account === shape.account) return 'direct'
        return principal.account === shape.account && isIamPrincipal(principal) ? 'account' : 'none'
      }
      if (principal.arn !== undefined && principal.arn === ref.value) return 'direct'
      if (shape.shape === 'iam' && shape.kind === 'assumed-role' && principal.type === 'role') {
        return sessionOf(ref.value, principal) ? 'direct' : 'none'
      }
      return 'none'
    }
    case 'Service':
      return principal.type === 'service' && principal.name.toLowerCase() === ref.value.toLowerCase()
        ? 'direct'
        : 'none'
    case 'Federated':
      return principal.type === 'federated' && principal.name === ref.value ? 'direct' : 'none'
    case 'CanonicalUser':
      return principal.type === 'account' && principal.name === ref.value ? 'direct' : 'none'
  }
}

function isIamPrincipal(principal: Principal): boolean {
  return principal.type === 'role' || principal.type === 'user' || principal.type === 'group'
}

/** `arn:aws:sts::123:assumed-role/payments/session` is a session of role `payments` of account 123. */
function sessionOf(sessionArn: string, role: Principal): boolean {
  const parts = sessionArn.split(':')
  const path = parts.slice(5).join(':').split('/')
  return parts[4] === role.account && path[1] === role.name
}
