import { describe, expect, it } from 'vitest'
import { renderAccessReportMarkdown, renderAccessReportText } from '../../src/report/accessReport.js'
import { renderJson } from '../../src/report/json.js'
import { lineDiff, unifiedDiff } from '../../src/report/lineDiff.js'
import { renderSarif } from '../../src/report/sarif.js'
import { renderText } from '../../src/report/text.js'
import { expectGolden } from '../golden.js'
import { accessReport, riskyReport, unchangedReport } from './fixtures.js'

describe('renderText', () => {
  it('prints the risky change without colour', () => {
    const text = renderText(riskyReport())
    expectGolden('diff-risky.txt', text)
    expect(text).not.toContain('\u001b')
  })

  it('colours only when asked', () => {
    expect(renderText(riskyReport(), { color: true })).toContain('\u001b[31m')
    expectGolden('diff-unchanged.txt', renderText(unchangedReport()))
  })
})

describe('renderJson', () => {
  it('orders keys as the contract lists them, 2-space indent, trailing newline', () => {
    const text = renderJson(riskyReport())
    expectGolden('diff-risky.json', text)
    expect(text.endsWith('}\n')).toBe(true)
    expect(Object.keys(JSON.parse(text))).toEqual([
      'schemaVersion',
      'verdict',
      'score',
      'principals',
      'findings',
      'dataResources',
      'coverage',
      'policyChanges',
    ])
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(riskyReport())))
  })

  it('orders a shuffled report the same way', () => {
    const report = riskyReport()
    const shuffled = JSON.parse(JSON.stringify(report, Object.keys(report).reverse()))
    const reversed = Object.fromEntries(Object.entries(report).reverse())
    expect(renderJson(reversed as typeof report)).toBe(renderJson(report))
    expect(shuffled).toBeDefined()
  })

  it('renders an AccessReport', () => {
    expectGolden('report.json', renderJson(accessReport()))
  })
})

describe('renderSarif', () => {
  it('reports findings present at head with rules, levels and locations', () => {
    const sarif = renderSarif(riskyReport(), { toolVersion: '0.1.0' })
    expectGolden('diff-risky.sarif', `${JSON.stringify(sarif, null, 2)}\n`)
    const run = (sarif as { runs: { results: { ruleId: string; level: string; baselineState: string }[] }[] })
      .runs[0]!
    expect(run.results.map((r) => [r.ruleId, r.level, r.baselineState])).toEqual([
      ['cross-account-access', 'error', 'new'],
      ['data-access', 'error', 'new'],
      ['public-access', 'warning', 'unchanged'],
    ])
  })
})

describe('AccessReport renderers', () => {
  it('renders markdown and text', () => {
    expectGolden('report.md', renderAccessReportMarkdown(accessReport()))
    expectGolden('report.txt', renderAccessReportText(accessReport()))
  })
})

describe('lineDiff', () => {
  it('keeps common lines and marks removed before added', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc').map((l) => `${l.op}${l.text}`)).toEqual([' a', '-b', '+x', ' c'])
    expect(unifiedDiff('', 'a\nb')).toEqual(['+a', '+b'])
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n')
    const after = before.replace('l10', 'L10')
    expect(unifiedDiff(before, after, 1)).toEqual([' …', ' l9', '-l10', '+L10', ' l11', ' …'])
  })
})

describe('principal labels', () => {
  it('does not say the kind twice for principals the engine names with it', async () => {
    const { principalLabel } = await import('../../src/report/words.js')
    expect(principalLabel({ name: 'account 999900001111', type: 'account' })).toBe('account 999900001111')
    expect(principalLabel({ name: '444455556666', type: 'account' })).toBe('account 444455556666')
    const report = riskyReport()
    report.principals[1]!.name = 'account 444455556666'
    expect(renderText(report, { color: false })).not.toContain('account account')
  })
})
