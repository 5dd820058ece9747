import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/report/markdown.js'
import { expectGolden } from '../golden.js'
import { riskyReport, unchangedReport } from './fixtures.js'
import { hugeReport } from './generatedFixtures.js'

describe('renderMarkdown', () => {
  it('renders the risky change: verdict first, tables, golf cards, data, findings, coverage', () => {
    const text = renderMarkdown(riskyReport(), { marker: 'head=9f3c2ab base=4e1d0c7' })
    expectGolden('diff-risky.md', text)
    expect(
      text.startsWith(
        '<!-- access-diff:comment head=9f3c2ab base=4e1d0c7 -->\n### 🔐 Access diff: 🔴 High risk',
      ),
    ).toBe(true)
  })

  it('renders an unchanged tree briefly', () => {
    expectGolden('diff-unchanged.md', renderMarkdown(unchangedReport()))
  })

  it('adds a Mermaid graph of changed edges when asked', () => {
    const text = renderMarkdown(riskyReport(), { mermaid: true })
    expect(text).toContain('```mermaid\ngraph LR\n')
    expect(text).toContain('n0 -->|"+ read-data"| n1')
    expect(text).toContain('-.->|"- write-data"|')
  })

  it('is deterministic', () => {
    expect(renderMarkdown(riskyReport())).toBe(renderMarkdown(riskyReport()))
  })

  it('fits 5,000 principals under the limit, collapsing low-risk rows and counting them', () => {
    const report = hugeReport(5000)
    const text = renderMarkdown(report)
    expect(text.length).toBeLessThanOrEqual(60_000)
    expect(text.startsWith('<!-- access-diff:comment -->\n### 🔐 Access diff:')).toBe(true)
    // the risky principals keep their rows, in the first table rows
    for (let i = 0; i < 5000; i += 500)
      expect(text).toContain(`\`role/app-${String(i).padStart(5, '0')}-task\``)
    expect(text).toMatch(
      /_…and [\d,]+ lower-risk principals \(🟡 [\d,]+; \+[\d,]+ strokes in total\) left out of this table\._/,
    )
    expect(text).toMatch(/without details here/)
    // the risky ones keep their golf card before low-risk principals keep their row
    expect(text).toContain('<details><summary>🔴 <code>role/app-04500-task</code>')
    // every table is whole: a table row is followed by another row or a blank line
    const lines = text.split('\n')
    lines.forEach((line, i) => {
      if (line.startsWith('| ')) expect(lines[i + 1] === '' || lines[i + 1]?.startsWith('|')).toBe(true)
    })
    // the count of left-out rows adds up
    const shown = lines.filter((l) => /^\| 🔴|^\| 🟡/.test(l) && l.includes('`role/app-')).length
    const leftOut = [...text.matchAll(/_…and ([\d,]+) lower-risk principals? \(.*?left out of this table/g)]
      .map((m) => Number(m[1]?.replace(/,/g, '')))
      .reduce((a, b) => a + b, 0)
    expect(shown + leftOut).toBe(5000)
    expect(text).toContain('<sub>Capabilities:')
  })

  it('honours a small maxLength and still ends with whole sections', () => {
    const text = renderMarkdown(hugeReport(300), { maxLength: 8000 })
    expect(text.length).toBeLessThanOrEqual(8000)
    expect(text).toContain('### 🔐 Access diff:')
  })

  it('keeps a single enormous name from filling the comment', () => {
    const report = riskyReport()
    const first = report.principals[0]!
    first.name = 'x'.repeat(100_000)
    report.verdict.reasons = ['y'.repeat(100_000)]
    const text = renderMarkdown(report)
    expect(text.length).toBeLessThan(20_000)
  })
})
