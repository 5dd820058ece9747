/**
 * Statements made ready for evaluation: actions as bit sets, resource patterns with IAM policy
 * variables widened to wildcards, and where each statement comes from, for the explanations.
 */
import type { Effect, PrincipalRef, Statement } from '../iam/types.js'
import type { Policy, PolicyOrigin, SourceLocation } from '../model/types.js'
import type { ActionIndex, ActionSet } from './actionSet.js'
import { patternCovers, patternsIntersect, policyVariablesAsWildcards } from './resourcePatterns.js'

export interface StatementSource {
  policyId: string
  policyName: string
  origin: PolicyOrigin
  /** Sid when written, else `#<index>`. */
  statement: string
  location?: SourceLocation
}

export interface PrincipalCondition {
  key: 'arn' | 'account'
  /** Wildcards allowed (`ArnLike`, `StringLike`), or exact values. */
  like: boolean
  values: string[]
}

const PRINCIPAL_OPERATORS = new Set(['ArnLike', 'ArnEquals', 'StringLike', 'StringEquals'])

/**
 * The conditions that name the requester, and that a principal of the tree can be checked against
 * without guessing: required (no IfExists), single-valued, positive.
 */
function principalConditions(statement: Statement): PrincipalCondition[] {
  const out: PrincipalCondition[] = []
  for (const c of statement.conditions) {
    const key = c.key.toLowerCase()
    if (key !== 'aws:principalarn' && key !== 'aws:principalaccount') continue
    if (c.ifExists || c.setOperator !== undefined || !PRINCIPAL_OPERATORS.has(c.baseOperator)) continue
    out.push({
      key: key === 'aws:principalarn' ? 'arn' : 'account',
      like: c.baseOperator.endsWith('Like'),
      values: c.values,
    })
  }
  return out
}

export interface CompiledStatement {
  effect: Effect
  actions: ActionSet
  /** Undefined when the statement has no Resource element (trust policies): it matches any resource. */
  resources?: string[]
  notResources?: string[]
  principals?: PrincipalRef[]
  notPrincipals?: PrincipalRef[]
  conditional: boolean
  conditionKeys: string[]
  /** The resource holds IAM policy variables such as `${aws:username}`: it depends on the request. */
  usesVariables: boolean
  source: StatementSource
  /** Cache: the statement over smaller universes of actions, by universe key (null: none of them). */
  projections?: Map<string, CompiledStatement | null>
  /**
   * Conditions on who is asking (`aws:PrincipalArn`, `aws:PrincipalAccount`) that every request
   * must meet: each entry lists the values of one condition, any of which suffices.
   */
  principalConditions?: PrincipalCondition[]
}

export function compilePolicy(policy: Policy, index: ActionIndex): CompiledStatement[] {
  return policy.document.statements.map((statement) => compileStatement(policy, statement, index))
}

function compileStatement(policy: Policy, statement: Statement, index: ActionIndex): CompiledStatement {
  let actions: ActionSet
  if (statement.action !== undefined) actions = index.ofPatterns(statement.action)
  else if (statement.notAction !== undefined) actions = index.ofNotPatterns(statement.notAction)
  else actions = index.empty()
  let usesVariables = false
  const widen = (patterns: string[] | undefined): string[] | undefined => {
    if (patterns === undefined) return undefined
    return patterns.map((p) => {
      const widened = policyVariablesAsWildcards(p)
      usesVariables ||= widened.hasVariables
      return widened.pattern
    })
  }
  const resources = widen(statement.resource)
  const notResources = widen(statement.notResource)
  const location = policy.statementLocations?.[statement.index] ?? policy.location
  const compiled: CompiledStatement = {
    effect: statement.effect,
    actions,
    conditional: statement.conditions.length > 0 || usesVariables,
    conditionKeys: [...new Set(statement.conditions.map((c) => c.key))].sort(),
    usesVariables,
    source: {
      policyId: policy.id,
      policyName: policy.name,
      origin: policy.origin,
      statement: statement.sid !== undefined && statement.sid !== '' ? statement.sid : `#${statement.index}`,
      ...(location !== undefined ? { location } : {}),
    },
  }
  if (resources !== undefined) compiled.resources = resources
  if (notResources !== undefined) compiled.notResources = notResources
  const onRequester = principalConditions(statement)
  if (onRequester.length > 0) compiled.principalConditions = onRequester
  if (statement.principal !== undefined) compiled.principals = statement.principal
  if (statement.notPrincipal !== undefined) compiled.notPrincipals = statement.notPrincipal
  return compiled
}

/** The statement applies to every resource the scope matches. */
export function statementCovers(statement: CompiledStatement, scope: string): boolean {
  if (statement.resources !== undefined) return statement.resources.some((p) => patternCovers(p, scope))
  if (statement.notResources !== undefined)
    return !statement.notResources.some((p) => patternsIntersect(p, scope))
  return true
}

/** The statement applies to some resource the scope matches. */
export function statementIntersects(statement: CompiledStatement, scope: string): boolean {
  if (statement.resources !== undefined) return statement.resources.some((p) => patternsIntersect(p, scope))
  if (statement.notResources !== undefined)
    return !statement.notResources.some((p) => patternCovers(p, scope))
  return true
}

/** The resource patterns of the scopes an Allow statement opens. */
export function allowScopes(statement: CompiledStatement): string[] {
  return statement.resources ?? ['*']
}

export function describeSource(source: StatementSource): string {
  const where = source.location === undefined ? '' : ` (${formatLocation(source.location)})`
  return `${source.policyName} ${source.statement}${where}`
}

export function formatLocation(location: SourceLocation): string {
  return location.line === undefined ? location.file : `${location.file}:${location.line}`
}
