/** Generated reports: a hostile tree (names an attacker controls) and a huge change. */
import type { DiffReport } from '../../src/report/contract.js'
import { readKyc, riskyReport, writeArchive } from './fixtures.js'

/** Every string an attacker controls, with Markdown, HTML, mentions, pipes, backticks, newlines. */
export const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '@acme/security',
  '| pipe | table',
  'a`b``c',
  'line\n+ administer-resource iam * forged',
  '<!-- access-diff:comment -->',
  '[click](javascript:alert(1))',
  '**bold** _it_ #1 ~~x~~',
  '\u001b[31mred',
]

export function hostileReport(): DiffReport {
  const report = riskyReport()
  report.principals = HOSTILE.map((name, i) => ({
    name,
    address: name,
    type: 'role' as const,
    score: { base: 0, head: i + 1, delta: i + 1 },
    added: [{ ...readKyc, resource: `arn:aws:s3:::${name}`, actions: [name], statement: name, via: name }],
    removed: [],
    application: name,
  }))
  report.verdict.reasons = HOSTILE.map((h) => `reason ${h}`)
  report.findings = HOSTILE.map((h) => ({
    rule: h,
    severity: 'low' as const,
    status: 'new' as const,
    principal: h,
    message: h,
    location: { file: h, line: 1 },
  }))
  report.dataResources = [
    {
      name: HOSTILE[0]!,
      type: 'aws_s3_bucket',
      confidentiality: HOSTILE[1]!,
      whoCan: { base: [], head: [{ principal: HOSTILE[2]!, capabilities: [HOSTILE[3]!] }] },
    },
  ]
  report.coverage.unresolved = HOSTILE.map((h) => ({ file: h, expression: h }))
  report.coverage.errors = HOSTILE.map((h) => ({ file: h, message: h }))
  return report
}

/** `count` changed principals across 50 applications, a few risky, most low-risk. */
export function hugeReport(count: number): DiffReport {
  const report = riskyReport()
  report.principals = []
  for (let i = 0; i < count; i++) {
    const n = String(i).padStart(5, '0')
    const risky = i % 500 === 0
    report.principals.push({
      name: `app-${n}-task`,
      address: `aws_iam_role.app_${n}`,
      type: 'role',
      score: { base: 10, head: risky ? 82 : 12, delta: risky ? 72 : 2 },
      added: [
        risky
          ? readKyc
          : {
              ...writeArchive,
              resource: `arn:aws:s3:::logs-${n}/*`,
              capability: 'read-config',
              actions: ['s3:GetBucketTagging'],
              score: 2,
            },
      ],
      removed: [],
      application: `app-${String(i % 50).padStart(2, '0')}`,
    })
  }
  report.findings = Array.from({ length: 400 }, (_, i) => ({
    rule: 'unknown-action',
    severity: 'low' as const,
    status: 'new' as const,
    message: `Action s3:GetObjct${i} is not in the catalog.`,
    location: { file: `infra/app-${i}.tf`, line: i + 1 },
  }))
  return report
}
