/**
 * Statements made ready for evaluation: actions as bit sets, resource patterns with IAM policy
 * variables widened to wildcards, and where each statement comes from, for the explanations.
 */
import type { Condition, Effect, PrincipalRef, Statement } from '../iam/types.js'
import type { Policy, PolicyOrigin, SourceLocation } from '../model/types.js'
import { type ActionIndex, type ActionSet, type ElementActions, elementActions } from './actionSet.js'
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
  /**
   * The statement's actions over the whole catalog (its Action or NotAction element), with the span
   * of words a one-action test reads. Also on a projection to a smaller universe, unchanged.
   */
  element: ElementActions
  /**
   * Undefined when the statement has no Resource element (trust policies): it matches any resource.
   * Resource and NotResource may be the policy document's own lists: do not modify them.
   */
  resources?: string[]
  notResources?: string[]
  principals?: PrincipalRef[]
  notPrincipals?: PrincipalRef[]
  conditional: boolean
  /** Sorted, distinct; shared when empty: do not modify. */
  conditionKeys: string[]
  /** Each condition as one text (operator, key, sorted values: see conditionText), sorted; shared when empty. */
  conditionTexts: string[]
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
  const statements = policy.document.statements
  const out = new Array<CompiledStatement>(statements.length)
  for (let i = 0; i < statements.length; i++) out[i] = compileStatement(policy, statements[i]!, index)
  return out
}

/** `#0` … `#15`, the names of statements without a Sid, made once. */
const INDEX_LABELS = Array.from({ length: 16 }, (_, i) => `#${i}`)

function indexLabel(index: number): string {
  return INDEX_LABELS[index] ?? `#${index}`
}

/** Set while widening resource patterns: whether one held an IAM policy variable. */
let sawVariables = false

/** The condition keys of a statement without conditions (shared: do not modify). */
const NO_KEYS: string[] = []

/**
 * The patterns with IAM policy variables widened to wildcards (see `sawVariables`). Patterns
 * without a placeholder are kept as they are, and the list itself (shared with the policy
 * document: do not modify) when none has one.
 */
function widen(patterns: string[]): string[] {
  let i = 0
  while (i < patterns.length && !patterns[i]!.includes('${')) i++
  if (i === patterns.length) return patterns
  const out = patterns.slice(0, i)
  for (; i < patterns.length; i++) {
    const widened = policyVariablesAsWildcards(patterns[i]!)
    if (widened.hasVariables) sawVariables = true
    out.push(widened.pattern)
  }
  return out
}

function compileStatement(policy: Policy, statement: Statement, index: ActionIndex): CompiledStatement {
  let element: ElementActions
  if (statement.action !== undefined) element = index.ofElement(statement.action, false)
  else if (statement.notAction !== undefined) element = index.ofElement(statement.notAction, true)
  else element = elementActions(index.empty())
  sawVariables = false
  const resources = statement.resource === undefined ? undefined : widen(statement.resource)
  const notResources = statement.notResource === undefined ? undefined : widen(statement.notResource)
  const usesVariables = sawVariables
  const conditions = statement.conditions
  const location = policy.statementLocations?.[statement.index] ?? policy.location
  const source: StatementSource = {
    policyId: policy.id,
    policyName: policy.name,
    origin: policy.origin,
    statement:
      statement.sid !== undefined && statement.sid !== '' ? statement.sid : indexLabel(statement.index),
  }
  if (location !== undefined) source.location = location
  let conditionKeys = NO_KEYS
  let conditionTexts = NO_KEYS
  let onRequester: PrincipalCondition[] | undefined
  if (conditions.length > 0) {
    conditionKeys =
      conditions.length === 1 ? [conditions[0]!.key] : [...new Set(conditions.map((c) => c.key))].sort()
    conditionTexts = conditions.map(conditionText).sort()
    const found = principalConditions(statement)
    if (found.length > 0) onRequester = found
  }
  // Every statement has the same fields, in the same order (absent ones undefined): the decision
  // loops then read them with one hidden class.
  return {
    effect: statement.effect,
    actions: element.set,
    element,
    resources,
    notResources,
    principals: statement.principal,
    notPrincipals: statement.notPrincipal,
    conditional: conditions.length > 0 || usesVariables,
    conditionKeys,
    conditionTexts,
    usesVariables,
    source,
    projections: undefined,
    principalConditions: onRequester,
  }
}

/**
 * One condition as text: operator as written, key in lower case (keys are case-insensitive), and
 * the values sorted, so that two conditions read alike exactly when they test the same thing.
 */
export function conditionText(condition: Condition): string {
  return [condition.operator, condition.key.toLowerCase(), ...[...condition.values].sort()].join('\u0000')
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
