/**
 * A plain-text summary of policy documents: per statement, what it allows or denies in capability
 * words, on which resources, and every problem found (grammar, unknown actions), with its JSON path.
 */
import { capabilitiesOf } from '../iam/capabilities.js'
import type { ActionCatalog } from '../iam/catalog.js'
import { parsePolicy } from '../iam/policy.js'
import type { ActionInfo, PolicyKind, PolicyProblem, Statement } from '../iam/types.js'
import { CAPABILITIES } from '../iam/types.js'

export interface PolicyInput {
  /** File name or managed policy ARN, as the reader knows it. */
  name: string
  /** JSON text or an already parsed document. */
  content: unknown
  kind?: PolicyKind
}

export interface PolicySummary {
  name: string
  kind: PolicyKind
  statements: number
  errors: number
  warnings: number
  text: string
}

export function summarizePolicy(input: PolicyInput, catalog: ActionCatalog): PolicySummary {
  const kind = input.kind ?? guessKind(input.content)
  const parsed = parsePolicy(input.content, { kind })
  const problems: PolicyProblem[] = [...parsed.problems]
  const lines: string[] = []
  for (const statement of parsed.policy.statements) {
    lines.push(...describeStatement(statement, catalog, problems))
  }
  problems.sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }))
  for (const p of problems)
    lines.push(`  ${p.severity === 'error' ? 'error' : 'warning'} ${p.path}: ${p.message}`)
  const errors = problems.filter((p) => p.severity === 'error').length
  const warnings = problems.length - errors
  const count = parsed.policy.statements.length
  const header = `${input.name} (${kind} policy, ${count} statement${count === 1 ? '' : 's'} analysed, ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`
  return { name: input.name, kind, statements: count, errors, warnings, text: [header, ...lines].join('\n') }
}

function describeStatement(
  statement: Statement,
  catalog: ActionCatalog,
  problems: PolicyProblem[],
): string[] {
  const label = statement.sid ?? `#${statement.index}`
  const actions = new Set<ActionInfo>()
  if (statement.action !== undefined) {
    statement.action.forEach((pattern, i) => {
      const expansion = catalog.expand(pattern)
      for (const a of expansion.actions) actions.add(a)
      if (expansion.problem !== undefined) {
        const path =
          statement.action!.length === 1 ? `${statement.path}.Action` : `${statement.path}.Action[${i}]`
        problems.push({
          path,
          message: expansion.problem,
          severity: expansion.actions.length === 0 ? 'error' : 'warning',
        })
      }
    })
  } else if (statement.notAction !== undefined) {
    for (const a of catalog.complement(statement.notAction)) actions.add(a)
  }
  const byCapability = new Map<string, Set<string>>()
  for (const action of actions) {
    for (const capability of capabilitiesOf(action)) {
      const services = byCapability.get(capability) ?? new Set<string>()
      services.add(action.service)
      byCapability.set(capability, services)
    }
  }
  const capabilities = CAPABILITIES.filter((c) => byCapability.has(c)).map((c) => {
    const services = [...byCapability.get(c)!].sort()
    return `${c} (${services.length > 3 ? `${services.length} services` : services.join(', ')})`
  })
  const resources =
    statement.resource ??
    (statement.notResource
      ? statement.notResource.map((r) => `all but ${r}`)
      : ['(the policy’s own resource)'])
  const principals =
    statement.principal?.map((p) => `${p.kind} ${p.value}`) ??
    statement.notPrincipal?.map((p) => `all but ${p.kind} ${p.value}`)
  const lines = [
    `  ${statement.effect.padEnd(5)} ${label}: ${actions.size} action${actions.size === 1 ? '' : 's'}${statement.notAction ? ' (NotAction)' : ''}: ${capabilities.join(', ') || 'none'}`,
    `        on ${listSome(resources)}`,
  ]
  if (principals !== undefined) lines.push(`        for ${principals.join(', ')}`)
  if (statement.conditions.length > 0) {
    lines.push(`        only if ${statement.conditions.map((c) => `${c.operator} ${c.key}`).join(' and ')}`)
  }
  return lines
}

function listSome(items: string[], shown = 5): string {
  if (items.length <= shown) return items.join(', ')
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`
}

/** Trust policies allow sts:AssumeRole* to principals; other policies with principals are resource policies. */
function guessKind(content: unknown): PolicyKind {
  let document = content
  if (typeof content === 'string') {
    try {
      document = JSON.parse(content)
    } catch {
      return 'identity'
    }
  }
  const text = JSON.stringify(document) ?? ''
  if (!text.includes('"Principal"') && !text.includes('"NotPrincipal"')) return 'identity'
  return /"sts:AssumeRole/i.test(text) ? 'trust' : 'resource'
}
