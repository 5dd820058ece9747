/**
 * The verdict of a diff: whether security must review it (the four conditions of docs/rules.md
 * "The verdict", nothing else), the risk level, whether it blocks, and the reasons in plain sentences.
 *
 * Risk level: the highest severity among the findings that are new at the head; at least `low` when
 * any principal gains access; at least `medium` when a review is requested. Removals and resolved
 * findings never raise it: a change that only removes access is `none`.
 *
 * A finding that is new only because its principal stopped being an administrator (the rules leave
 * administrators to admin-access, so at base nothing else was said of it) tells what remains of a
 * power it already had: when that principal gains no access, the finding stays listed as new, but
 * it does not raise the risk, request a review, block, or stand among the reasons.
 */
import { type Config, RISK_LEVELS } from '../config/types.js'
import type { PrincipalAccess } from '../engine/types.js'
import type { Capability } from '../iam/types.js'
import type { Finding, RiskLevel } from '../report/contract.js'
import type { PrincipalChange, ResourceChange } from './delta.js'
import type { Revision } from './revision.js'
import { homeAccountsOf, isDataCapability } from './score.js'
import { accessPhrase, principalLabel, resourceLabel } from './words.js'

export interface Verdict {
  risk: RiskLevel
  securityReview: boolean
  blocking: boolean
  reasons: string[]
}

interface Inputs {
  base: Revision
  head: Revision
  principals: PrincipalChange[]
  resources: ResourceChange[]
  findings: Finding[]
  config: Config
}

export function verdictOf({ base, head, principals, resources, findings, config }: Inputs): Verdict {
  const fresh = newInSubstance(findings, base, head, principals)
  const review: string[] = []
  const outside: string[] = []
  const headByName = new Map<string, PrincipalAccess>()
  for (const a of head.access.principals)
    if (!headByName.has(a.principal.name)) headByName.set(a.principal.name, a)
  const homes = homeAccountsOf(head.result.model, config)

  // 1 and 3: gains on data that is confidential at base or head, as who-can says (wildcards and paths included).
  for (const change of resources) {
    const cb = change.base === undefined ? undefined : base.classify(change.base)
    const ch = change.head === undefined ? undefined : head.classify(change.head)
    const resource = change.head ?? change.base
    if (resource === undefined || !((cb?.confidential ?? false) || (ch?.confidential ?? false))) continue
    const label = resourceLabel(resource, ch?.confidential ? ch : cb)
    for (const entry of change.whoCan.head) {
      const before = change.whoCan.base.find((w) => w.principal === entry.principal)?.capabilities ?? []
      const gained = entry.capabilities.filter((c) => !before.includes(c)) as Capability[]
      if (gained.length === 0) continue
      const p = headByName.get(entry.principal)
      const who = p === undefined ? entry.principal : principalLabel(p.principal)
      const isOutside =
        p !== undefined &&
        (p.principal.type === 'public' ||
          (p.external && p.principal.account !== undefined && !homes.has(p.principal.account)))
      if (isOutside) {
        const where = p.principal.type === 'public' ? '' : ' (outside the home accounts)'
        outside.push(`Confidential data is exposed: ${who}${where} can now ${accessPhrase(gained, label)}`)
      } else if (gained.some(isDataCapability)) {
        review.push(
          `Confidential data is affected: ${who} can now ${accessPhrase(gained.filter(isDataCapability), label)}`,
        )
      }
    }
  }
  // 2: a downgraded or removed confidentiality tag.
  const downgrades = findings
    .filter((f) => f.rule === 'classification-downgrade' && f.status === 'new')
    .map((f) => `Confidentiality downgraded: ${f.message}`)
  // 4: a new administrator or escalation path while the tree holds confidential data.
  const escalations: string[] = []
  if (base.holdsConfidential || head.holdsConfidential) {
    for (const c of principals) {
      if (c.head?.isAdmin && !c.base?.isAdmin)
        escalations.push(
          `New effective administrator while the tree holds confidential data: ${principalLabel(c.head.principal)} (${c.head.adminReason ?? 'can do everything'})`,
        )
    }
    for (const f of fresh) {
      if (f.rule === 'privilege-escalation')
        escalations.push(`New privilege-escalation path while the tree holds confidential data: ${f.message}`)
    }
  }
  const reviewReasons = [...outside, ...review, ...downgrades, ...escalations]
  const securityReview = reviewReasons.length > 0

  const gains = principals.filter((c) => c.added.length > 0)
  const losses = principals.filter((c) => c.removed.length > 0)
  let risk: RiskLevel = gains.length > 0 ? 'low' : 'none'
  for (const f of fresh) risk = maxRisk(risk, f.severity)
  if (securityReview) risk = maxRisk(risk, 'medium')

  const reasons = [...new Set(reviewReasons)]
  // Already said by a review reason: access to confidential data, downgrades, escalations.
  const told = new Set(['data-access', 'classification-downgrade', 'privilege-escalation'])
  for (const f of fresh) {
    if (f.severity !== 'low' && !(securityReview && told.has(f.rule)))
      reasons.push(`${capitalize(f.severity)}: ${f.message}`)
  }
  const unreadable = newErrors(base, head)
  if (unreadable.length > 0) {
    const first = unreadable[0]!
    const where = first.line === undefined ? first.file : `${first.file}:${first.line}`
    reasons.push(
      unreadable.length === 1
        ? `1 file or policy cannot be read at the head (${where}): what it grants is not counted`
        : `${unreadable.length} files or policies cannot be read at the head (first ${where}): what they grant is not counted`,
    )
  }
  if (gains.length > 0 && !securityReview)
    reasons.push(
      `${count(gains.length, 'principal', 'gains', 'gain')} access; no confidential data is affected`,
    )
  if (losses.length > 0) reasons.push(`${count(losses.length, 'principal', 'loses', 'lose')} access`)
  if (reasons.length === 0) reasons.push('No change in effective access')

  return { risk, securityReview, blocking: isBlocking(risk, fresh, config.failOn), reasons }
}

/** Coverage errors of the head that the base does not have, in file order. */
function newErrors(base: Revision, head: Revision): { file: string; line?: number; message: string }[] {
  const known = new Set(base.result.coverage.errors.map((e) => `${e.file}\u0000${e.message}`))
  return head.result.coverage.errors
    .filter((e) => !known.has(`${e.file}\u0000${e.message}`))
    .sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0))
}

const signature = (f: Omit<Finding, 'status'>): string =>
  [f.rule, f.principal ?? '', f.method ?? '', f.severity, f.message].join('\u0000')

/**
 * The new findings, less those that only remain of a base administrator's power: their principal
 * was an effective administrator at base and gains no access at the head.
 */
function newInSubstance(
  findings: Finding[],
  base: Revision,
  head: Revision,
  principals: PrincipalChange[],
): Finding[] {
  const formerAdmins = new Set(
    principals
      .filter((c) => c.base?.isAdmin && c.head !== undefined && !c.head.isAdmin && c.added.length === 0)
      .map((c) => c.head!.principal.id),
  )
  const baseKeys = new Set(base.findings.map((f) => f.key))
  // Contract findings carry no key: count the inherited ones by what they say.
  const inherited = new Map<string, number>()
  for (const f of head.findings)
    if (!baseKeys.has(f.key) && f.principalId !== undefined && formerAdmins.has(f.principalId))
      inherited.set(signature(f), (inherited.get(signature(f)) ?? 0) + 1)
  return findings.filter((f) => {
    if (f.status !== 'new') return false
    const left = inherited.get(signature(f)) ?? 0
    if (left === 0) return true
    inherited.set(signature(f), left - 1)
    return false
  })
}

export function isBlocking(risk: RiskLevel, fresh: Finding[], failOn: string[]): boolean {
  return failOn.some((entry) => {
    const level = RISK_LEVELS.indexOf(entry.toLowerCase() as RiskLevel)
    if (level > 0) return RISK_LEVELS.indexOf(risk) >= level
    if (level === 0) return false
    return fresh.some((f) => f.rule === entry)
  })
}

function maxRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RISK_LEVELS.indexOf(a) >= RISK_LEVELS.indexOf(b) ? a : b
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function count(n: number, noun: string, one: string, many: string): string {
  return n === 1 ? `1 ${noun} ${one}` : `${n} ${noun}s ${many}`
}
