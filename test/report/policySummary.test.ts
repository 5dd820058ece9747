import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEMO_MANAGED_POLICY, EXAMPLES } from '../../src/cli/main.js'
import { loadActionCatalog } from '../../src/iam/catalog.js'
import { resolveManagedPolicy } from '../../src/iam/managedPolicies.js'
import { summarizePolicy } from '../../src/report/policySummary.js'
import { expectGolden } from '../golden.js'

const catalog = loadActionCatalog()
const example = (file: string) =>
  readFileSync(new URL(`../../examples/policies/${file}`, import.meta.url), 'utf8')

describe('policy summary', () => {
  it('matches the golden text for the bundled examples', () => {
    const texts = EXAMPLES.map(
      (file) => summarizePolicy({ name: file, content: example(file) }, catalog).text,
    )
    const managed = resolveManagedPolicy(DEMO_MANAGED_POLICY)
    if (!managed.found) throw new Error(managed.reason)
    texts.push(
      summarizePolicy(
        { name: DEMO_MANAGED_POLICY, content: managed.policy.document, kind: 'identity' },
        catalog,
      ).text,
    )
    expectGolden('policy-summary.txt', `${texts.join('\n\n')}\n`)
  })

  it('reports a typo in an action and a miscased Effect, and keeps the good statements', () => {
    const summary = summarizePolicy(
      { name: 'reporting-etl.json', content: example('reporting-etl.json') },
      catalog,
    )
    expect(summary).toMatchObject({ kind: 'identity', statements: 3, errors: 2 })
    expect(summary.text).toContain(
      'error $.Statement[0].Action[0]: s3:GetObjects is not an action of s3 (did you mean s3:GetObject?)',
    )
    expect(summary.text).toContain('error $.Statement[2].Effect:')
  })

  it('names the line and column of broken JSON', () => {
    const summary = summarizePolicy(
      {
        name: 'broken.json',
        content: '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}',
      },
      catalog,
    )
    expect(summary.errors).toBe(1)
    expect(summary.text).toMatch(/error \$: .*line 4/)
  })

  it('tells trust and resource policies from identity policies', () => {
    expect(
      summarizePolicy({ name: 't', content: example('payments-api-task-trust.json') }, catalog).kind,
    ).toBe('trust')
    expect(
      summarizePolicy({ name: 'b', content: example('kyc-docs-bucket-policy.json') }, catalog).kind,
    ).toBe('resource')
  })
})
