/**
 * The words every renderer shares: risk levels, signed scores, principal labels, short resources,
 * grant columns. Strings returned here are raw (unescaped): each renderer escapes for its medium.
 */
import type { ContractGrant, PrincipalDelta, RiskLevel, Severity } from './contract.js'

export const RISK_EMOJI: Record<RiskLevel, string> = {
  none: '🟢',
  low: '🟡',
  medium: '🟠',
  high: '🔴',
  critical: '⛔',
}

export const RISK_ORDER: RiskLevel[] = ['none', 'low', 'medium', 'high', 'critical']

export function riskRank(level: RiskLevel | Severity): number {
  return RISK_ORDER.indexOf(level)
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Scores may hold halves (strong conditions); show at most one decimal, no trailing `.0`. */
/** One formatter for every number of a report: building one per call is slow. */
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

export function num(value: number): string {
  return NUMBER.format(Math.round(value * 10) / 10)
}

/** `+70`, `−4`, `±0`; `ascii` for terminals and plain text. */
export function signed(value: number, ascii = false): string {
  if (value > 0) return `+${num(value)}`
  if (value < 0) return `${ascii ? '-' : '−'}${num(-value)}`
  return '±0'
}

export function scoreChange(score: { base: number; head: number; delta: number }, ascii = false): string {
  return `${num(score.base)} → ${num(score.head)} (${signed(score.delta, ascii)})`
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`
}

type Named = Pick<PrincipalDelta, 'name' | 'type'>

/** `role/payments-api`, `account 444455556666`, `service lambda.amazonaws.com`, `everyone (public)`. */
export function principalLabel(p: Named): string {
  switch (p.type) {
    case 'role':
    case 'user':
    case 'group':
      return `${p.type}/${p.name}`
    case 'public':
      return 'everyone (public)'
    default:
      // The engine names principals outside the tree with their kind (`account 999900001111`,
      // `account 111122223333 (home)`): the kind is not said twice.
      return p.name.startsWith(`${p.type} `) ? p.name : `${p.type} ${p.name}`
  }
}

export function locationText(location: { file: string; line?: number } | undefined): string {
  if (location === undefined) return ''
  return location.line === undefined ? location.file : `${location.file}:${location.line}`
}

/** S3 ARNs carry neither region nor account, so the bucket path alone says it all. */
export function shortResource(resource: string): string {
  const s3 = /^arn:aws[\w-]*:s3:::(.+)$/.exec(resource)
  return s3?.[1] ?? resource
}

export function actionList(actions: string[], max = 6): string {
  const sorted = [...actions].sort()
  if (sorted.length <= max) return sorted.join(', ')
  return `${sorted.slice(0, max).join(', ')}, +${sorted.length - max} more`
}

/** Where and how a grant comes from: file:line, statement, path, conditions. */
export function grantSource(grant: ContractGrant, removedBecause?: string): string {
  const parts: string[] = []
  const where = locationText(grant.location)
  if (where !== '') parts.push(grant.statement === undefined ? where : `${where} ${grant.statement}`)
  else if (grant.statement !== undefined) parts.push(`statement ${grant.statement}`)
  // the engine's `via` often repeats the location in parentheses: say it once
  if (grant.via !== undefined) parts.push(`via ${grant.via.replace(` (${where})`, '')}`)
  if (grant.conditional) {
    const keys = grant.conditions ?? []
    parts.push(keys.length > 0 ? `only if ${keys.join(', ')}` : 'only under conditions')
  }
  if (removedBecause !== undefined) parts.push(`because ${removedBecause}`)
  return parts.join(' · ')
}

/** The columns of one `+`/`-` line, raw. */
export function grantColumns(grant: ContractGrant, removedBecause?: string): string[] {
  return [
    grant.capability,
    grant.service,
    shortResource(grant.resource),
    actionList(grant.actions),
    grantSource(grant, removedBecause),
  ]
}

/** Lines with columns padded to the widest cell (capped), so a block reads as a table. */
export function alignColumns(rows: string[][], maxWidth = 48): string[] {
  const widths: number[] = []
  for (const row of rows)
    row.forEach((cell, i) => {
      widths[i] = Math.min(maxWidth, Math.max(widths[i] ?? 0, [...cell].length))
    })
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + cell.length - [...cell].length),
      )
      .join('  ')
      .trimEnd(),
  )
}

export function isConfidentialValue(value: string | null | undefined, confidentialValues: string[]): boolean {
  if (value === null || value === undefined) return false
  return confidentialValues.some((v) => v.toLowerCase() === value.toLowerCase())
}

export const DEFAULT_CONFIDENTIAL_VALUES = ['Confidential', 'Restricted']

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
