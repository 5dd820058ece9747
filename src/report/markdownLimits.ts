/**
 * How much of a report a Markdown body shows, and how to find the most that fits a length limit.
 * Whole rows and whole sections are left out, lowest risk first, and counted; nothing is cut
 * mid-table.
 */
import type { PrincipalView } from './principalRisk.js'
import { plural, RISK_EMOJI, riskRank, signed } from './words.js'

export interface Limits {
  /** Principals (in rank order) that get a table row. */
  rows: number
  /** Principals (in rank order) that get a collapsed golf card. */
  details: number
  /** `+`/`-` lines per golf card. */
  linesPerPrincipal: number
  /** Rows of findings, data resources, coverage items, policy diffs. */
  listItems: number
}

export function fullLimits(principals: number): Limits {
  return { rows: principals, details: principals, linesPerPrincipal: 40, listItems: 50 }
}

/** `_…and 40 lower-risk principals (🟡 38, 🟢 2; +12 strokes in total) left out of this table._` */
export function leftOutLine(left: PrincipalView[], where: string): string {
  const counts = new Map<string, number>()
  let strokes = 0
  for (const v of left) {
    counts.set(v.level, (counts.get(v.level) ?? 0) + 1)
    strokes += v.delta.score.delta
  }
  const levels = [...counts]
    .sort((a, b) => riskRank(b[0] as PrincipalView['level']) - riskRank(a[0] as PrincipalView['level']))
    .map(([level, n]) => `${RISK_EMOJI[level as PrincipalView['level']]} ${n.toLocaleString('en-US')}`)
  return `_…and ${plural(left.length, 'lower-risk principal')} (${levels.join(', ')}; ${signed(strokes)} strokes in total) ${where}._`
}

/** The largest n in [low, high] for which `fits(n)` holds (it must be monotone), or -1. */
export function largestFitting(low: number, high: number, fits: (n: number) => boolean): number {
  if (!fits(low)) return -1
  let lo = low
  let hi = high
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (fits(mid)) lo = mid
    else hi = mid - 1
  }
  return lo
}

/**
 * Shrinks limits until `render` fits `maxLength`. The first `important` principals (medium risk or
 * more, ranked first) keep their golf card and row longest: low-risk golf cards go first, then
 * low-risk rows, then important golf cards, then important rows, then long lists. As a last
 * resort whole lines are dropped from the end.
 */
export function fitMarkdown(
  render: (limits: Limits) => string,
  principals: number,
  maxLength: number,
  important = 0,
): string {
  const fits = (limits: Limits) => render(limits).length <= maxLength
  let limits = fullLimits(principals)
  if (fits(limits)) return render(limits)
  limits = { ...limits, linesPerPrincipal: 12 }
  const keep = Math.min(important, principals)
  const steps: [keyof Limits, number, number, Partial<Limits>][] = [
    ['details', keep, principals, {}],
    ['rows', keep, principals, { details: keep }],
    ['details', 0, keep, { rows: keep, listItems: 10 }],
    ['rows', 0, keep, { details: 0, listItems: 10 }],
  ]
  for (const [key, low, high, fixed] of steps) {
    limits = { ...limits, ...fixed }
    const n = largestFitting(low, high, (k) => fits({ ...limits, [key]: k }))
    if (n >= 0) return render({ ...limits, [key]: n })
    limits = { ...limits, [key]: low }
  }
  limits = { ...limits, rows: 0, details: 0, listItems: 3 }
  let text = render(limits)
  while (text.length > maxLength && text.includes('\n')) text = text.slice(0, text.lastIndexOf('\n'))
  return text.length > maxLength ? '' : text
}
