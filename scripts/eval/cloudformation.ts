/**
 * The CloudFormation loader against the corpus: what each folder's templates load to, and the SAM
 * check (the access computed from each SAM input equals the access computed from the expanded
 * template the SAM translator produced for it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { effectiveAccess } from '../../src/engine/access.js'
import { loadCloudFormation } from '../../src/iac/cloudformation/index.js'
import type { LoaderOptions, LoadResult } from '../../src/iac/types.js'
import { folderSnapshot, memorySnapshot } from '../../src/source/folder.js'

const FOLDERS: [string, LoaderOptions][] = [
  ['aws-cloudformation-templates', {}],
  ['aws-cloudformation-iam-policy-validator', {}],
  ['serverless-application-model', {}],
  ['aws-cdk-integ-snapshots', {}],
  ['k9-cdk', {}],
  ['regula', { include: ['rego/tests/rules/cfn/**'] }],
]

const SAM = 'serverless-application-model/tests/translator'

export function evalCloudFormation(corpusDir: string): string[] {
  const lines: string[] = []
  for (const [folder, options] of FOLDERS) {
    const dir = join(corpusDir, folder)
    if (!existsSync(dir)) continue
    const started = performance.now()
    const { model, coverage } = loadCloudFormation(folderSnapshot(dir), options)
    const ms = performance.now() - started
    const resourcePolicies = model.resources.filter((r) => r.policy !== undefined).length
    lines.push(
      `CloudFormation ${folder}: ${coverage.filesAnalyzed} templates, ${model.principals.length} principals, ` +
        `${model.resources.length} resources (${resourcePolicies} with a policy), ${coverage.policiesAnalyzed} policies, ` +
        `${coverage.errors.length} errors, ${coverage.unresolved.length} unresolved, ` +
        `${coverage.notAnalysed.length} not analysed (${ms.toFixed(0)} ms)`,
    )
  }
  lines.push(...samCheck(corpusDir))
  return lines
}

function accessSet(result: LoadResult): Set<string> {
  const set = new Set<string>()
  for (const p of effectiveAccess(result.model).principals) {
    for (const g of p.grants) set.add(`${p.principal.name} ${g.service} ${g.capability} ${g.resource}`)
  }
  return set
}

function samCheck(corpusDir: string): string[] {
  const input = join(corpusDir, SAM, 'input')
  if (!existsSync(input)) return []
  const lines: string[] = []
  const cases = readdirSync(input)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .filter((name) => existsSync(join(corpusDir, SAM, 'output', `${name}.json`)))
    .sort()
  let agreed = 0
  for (const name of cases) {
    const sam = loadCloudFormation(
      memorySnapshot({ [`${name}.yaml`]: readFileSync(join(input, `${name}.yaml`), 'utf8') }),
    )
    const expanded = loadCloudFormation(
      memorySnapshot({
        [`${name}.json`]: readFileSync(join(corpusDir, SAM, 'output', `${name}.json`), 'utf8'),
      }),
    )
    const ours = accessSet(sam)
    const theirs = accessSet(expanded)
    const missing = [...theirs].filter((g) => !ours.has(g))
    const extra = [...ours].filter((g) => !theirs.has(g))
    if (missing.length === 0 && extra.length === 0) {
      agreed++
      continue
    }
    lines.push(
      `  ${name}: ${missing.length} grants only in the expanded template, ${extra.length} only from SAM`,
    )
    for (const g of missing.slice(0, 3)) lines.push(`    expanded only: ${g}`)
    for (const g of extra.slice(0, 3)) lines.push(`    SAM only: ${g}`)
  }
  return [`SAM input vs expanded template, same access: ${agreed}/${cases.length}`, ...lines]
}

if (process.argv[1]?.endsWith('cloudformation.ts')) {
  for (const line of evalCloudFormation(process.argv[2] ?? '../shared/corpus'))
    process.stdout.write(`${line}\n`)
}
