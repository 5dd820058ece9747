/**
 * AWS's CloudFormation policy validator, its own expectations: `public_access_test.yml` has 9
 * public resources (their check-no-public-access); `public-bucket.yaml` has a public bucket. We
 * print our public-access findings beside them.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { defaultConfig } from '../../src/config/types.js'
import { loadCloudFormation } from '../../src/iac/cloudformation/index.js'
import { report } from '../../src/risk/analyze.js'
import { memorySnapshot } from '../../src/source/folder.js'

const CASES: { file: string; expected: number; note: string }[] = [
  {
    file: 'test_files/public_access_test.yml',
    expected: 9,
    note: 'KMS key, bucket, a role trusting *, S3 Tables, API Gateway, CodeArtifact, CloudTrail x2, S3 Express access point, Backup vault',
  },
  {
    file: 'skills/iam-policy-validator/evaluations/fixtures/public-bucket.yaml',
    expected: 1,
    note: 'bucket policy Principal *',
  },
]

export function evalCfnValidator(corpusDir: string): string[] {
  const root = join(corpusDir, 'aws-cloudformation-iam-policy-validator')
  if (!existsSync(root)) return ['aws-cloudformation-iam-policy-validator: not in the corpus']
  const lines: string[] = []
  let agreed = 0
  for (const c of CASES) {
    const result = loadCloudFormation(memorySnapshot({ [c.file]: readFileSync(join(root, c.file), 'utf8') }))
    const findings = report(result, defaultConfig()).findings.filter((f) => f.rule === 'public-access')
    const resources = [...new Set(findings.map((f) => f.resource ?? f.principal ?? '?'))].sort()
    if (resources.length === c.expected) agreed++
    lines.push(
      `  ${c.file}: ${resources.length} public resources found, validator expects ${c.expected} (${c.note})`,
    )
    for (const r of resources) lines.push(`    public: ${r}`)
    for (const n of result.coverage.notAnalysed) lines.push(`    not analysed: ${n.what} (${n.reason})`)
  }
  return [
    `CloudFormation policy validator public-access expectations: ${agreed}/${CASES.length} files agree`,
    ...lines,
  ]
}
