/**
 * The per-principal parts of the PR comment: a table per application, and a collapsed golf card
 * per principal with its `+`/`-` lines in capability words. Everything from the tree is escaped.
 */
import { codeBlock, htmlText, mdCode, mdText, mermaidLabel, oneLine } from './escape.js'
import { type Limits, leftOutLine } from './markdownLimits.js'
import type { PrincipalView } from './principalRisk.js'
import {
  alignColumns,
  grantColumns,
  num,
  plural,
  RISK_EMOJI,
  scoreChange,
  shortResource,
  signed,
} from './words.js'

/** Applications in the order of their riskiest principal; principals in rank order within. */
export function groupByApplication(views: PrincipalView[]): [string, PrincipalView[]][] {
  const groups = new Map<string, PrincipalView[]>()
  for (const view of views) {
    const group = groups.get(view.application) ?? []
    group.push(view)
    groups.set(view.application, group)
  }
  return [...groups]
}

export function applicationTables(views: PrincipalView[], limits: Limits): string[] {
  const shown = new Set(views.slice(0, limits.rows))
  const out: string[] = []
  for (const [application, group] of groupByApplication(views)) {
    const rows = group.filter((v) => shown.has(v))
    out.push(`#### ${mdText(application)} · ${plural(group.length, 'principal')} changed`, '')
    if (rows.length > 0) {
      out.push('| principal | change | score | data touched |', '|---|---|---:|---|')
      for (const view of rows) out.push(tableRow(view))
      out.push('')
    }
    const left = group.filter((v) => !shown.has(v))
    if (left.length > 0) out.push(leftOutLine(left, 'left out of this table'), '')
  }
  return out
}

function tableRow(view: PrincipalView): string {
  const { delta } = view
  const change = [
    delta.added.length > 0 ? `+${delta.added.length}` : '',
    delta.removed.length > 0 ? `−${delta.removed.length}` : '',
  ]
    .filter((c) => c !== '')
    .join(' / ')
  const data = view.touched.slice(0, 3).map((t) => {
    const tag = t.confidentiality === null ? 'unclassified' : mdText(t.confidentiality, 40)
    return `${t.confidential ? '🔒 ' : ''}${mdCode(t.name, { inTable: true, max: 60 })} (${tag})${t.gained ? '' : ' lost'}`
  })
  if (view.touched.length > 3) data.push(`+${view.touched.length - 3} more`)
  const cells = [
    `${RISK_EMOJI[view.level]} ${mdCode(view.label, { inTable: true, max: 80 })}`,
    change === '' ? 'score only' : change,
    scoreChange(delta.score),
    data.length > 0 ? data.join(', ') : '—',
  ]
  return `| ${cells.join(' | ')} |`
}

export function principalDetails(views: PrincipalView[], limits: Limits): string[] {
  const shown = views.slice(0, limits.details)
  const out: string[] = []
  for (const view of shown) out.push(...golfCard(view, limits.linesPerPrincipal), '')
  const left = views.slice(shown.length)
  if (left.length > 0)
    out.push(leftOutLine(left, 'without details here (see `access-diff diff` locally)'), '')
  return out
}

function golfCard(view: PrincipalView, maxLines: number): string[] {
  const { delta } = view
  const summary = `${RISK_EMOJI[view.level]} <code>${htmlText(view.label, 80)}</code> · ${scoreChange(delta.score)} strokes · ${htmlText(view.application, 60)}`
  const rows: string[][] = []
  const scored: [string, string, number][] = []
  for (const g of delta.added) {
    rows.push(['+', ...grantColumns(g).map((c) => oneLine(c, 200))])
    if (g.score !== undefined)
      scored.push(['+', `${g.capability} ${g.service} ${shortResource(g.resource)}`, g.score])
  }
  delta.removed.forEach((g, i) => {
    rows.push(['-', ...grantColumns(g, delta.removedBecause?.[i]).map((c) => oneLine(c, 200))])
    if (g.score !== undefined)
      scored.push(['−', `${g.capability} ${g.service} ${shortResource(g.resource)}`, -g.score])
  })
  const out = [`<details><summary>${summary}</summary>`, '']
  if (rows.length > 0) {
    out.push(codeBlock(alignColumns(rows.slice(0, maxLines)).join('\n'), 'diff'))
    if (rows.length > maxLines) out.push(`…and ${plural(rows.length - maxLines, 'more grant')} not shown.`)
    out.push('')
  }
  out.push(...golfTable(scored.slice(0, maxLines), delta.score), '', '</details>')
  return out
}

function golfTable(scored: [string, string, number][], score: { base: number; head: number; delta: number }) {
  const out = ['| golf card | strokes |', '|---|---:|']
  let sum = 0
  for (const [sign, words, strokes] of scored) {
    sum += strokes
    out.push(`| ${sign} ${mdCode(words, { inTable: true, max: 100 })} | ${signed(strokes)} |`)
  }
  const rest = Math.round((score.delta - sum) * 10) / 10
  if (rest !== 0 || scored.length === 0) out.push(`| hazards and other changes | ${signed(rest)} |`)
  out.push(`| **total** ${num(score.base)} → ${num(score.head)} | **${signed(score.delta)}** |`)
  return out
}

/** An optional Mermaid graph of the changed edges: principal → resource, labelled by capability. */
export function accessGraph(views: PrincipalView[], maxEdges = 40): string[] {
  const lines = ['graph LR']
  const nodes = new Map<string, string>()
  const node = (label: string): string => {
    let id = nodes.get(label)
    if (id === undefined) {
      id = `n${nodes.size}`
      nodes.set(label, id)
      lines.push(`  ${id}["${mermaidLabel(label)}"]`)
    }
    return id
  }
  let edges = 0
  let skipped = 0
  for (const view of views)
    for (const [sign, grants] of [
      ['+', view.delta.added],
      ['-', view.delta.removed],
    ] as const)
      for (const g of grants) {
        if (edges >= maxEdges) {
          skipped++
          continue
        }
        const from = node(view.label)
        const to = node(shortResource(g.resource))
        const arrow = sign === '+' ? '-->' : '-.->'
        lines.push(`  ${from} ${arrow}|"${mermaidLabel(`${sign} ${g.capability}`)}"| ${to}`)
        edges++
      }
  if (edges === 0) return []
  const out = [
    '<details><summary>Access graph (changed edges; dotted: removed)</summary>',
    '',
    codeBlock(lines.join('\n'), 'mermaid'),
  ]
  if (skipped > 0) out.push('', `…and ${plural(skipped, 'more edge')} not drawn.`)
  out.push('</details>', '')
  return out
}
