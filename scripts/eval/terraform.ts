/**
 * The Terraform loader on the corpus: every folder's `.tf` tree (and plan JSON where there are
 * plans), with counts of what was loaded and what could not be; for iam-vulnerable, how many of
 * the labelled privilege-escalation principals the model holds. Files are read in place.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { loadTerraform, loadTerraformPlan } from '../../src/iac/terraform/index.js'
import type { LoadResult } from '../../src/iac/types.js'
import { folderSnapshot } from '../../src/source/folder.js'

const FOLDERS = [
  'iam-vulnerable',
  'cloudgoat',
  'terragoat',
  'sadcloud',
  'terraform-aws-iam',
  'terraform-aws-s3-bucket',
  'terraform-aws-lambda',
  'k9-terraform-aws-s3-bucket',
  'terraform-iam-policy-validator',
  'regula',
]

const counts = (r: LoadResult): string => {
  const keys = r.model.principals.flatMap((p) => p.accessKeys ?? [])
  const inOutputs = keys.filter((k) => k.secretExposure?.kind === 'output').length
  return (
    `${r.model.principals.length} principals, ${r.model.resources.length} resources, ` +
    `${r.coverage.policiesAnalyzed} policies, ${keys.length} access keys (${inOutputs} with the secret in an output), ` +
    `${r.coverage.errors.length} errors, ${r.coverage.unresolved.length} unresolved, ` +
    `${r.coverage.notAnalysed.length} not analysed`
  )
}

export async function evalTerraform(corpusDir: string): Promise<string[]> {
  const lines: string[] = []
  for (const folder of FOLDERS) {
    const dir = join(corpusDir, folder)
    if (!existsSync(dir)) {
      lines.push(`${folder}: missing`)
      continue
    }
    const snapshot = folderSnapshot(dir)
    const tf = snapshot.paths().filter((p) => p.endsWith('.tf'))
    const dirs = new Set(tf.map((p) => posix.dirname(p)))
    const started = Date.now()
    const result = await loadTerraform(snapshot)
    const ms = Date.now() - started
    lines.push(
      `${folder} (.tf): ${dirs.size} module directories, ${result.coverage.filesAnalyzed}/${tf.length} files, ${counts(result)} (${ms} ms)`,
    )
    if (folder === 'iam-vulnerable') lines.push(...iamVulnerable(dir, result))
    const plans = snapshot
      .paths()
      .filter((p) => p.endsWith('.json') && (snapshot.read(p) ?? '').includes('"planned_values"'))
    if (plans.length > 0) {
      const totals = { principals: 0, resources: 0, policies: 0, errors: 0, unresolved: 0 }
      for (const p of plans) {
        const r = loadTerraformPlan(snapshot.read(p) ?? '', p)
        totals.principals += r.model.principals.length
        totals.resources += r.model.resources.length
        totals.policies += r.coverage.policiesAnalyzed
        totals.errors += r.coverage.errors.length
        totals.unresolved += r.coverage.unresolved.length
      }
      lines.push(
        `${folder} (plans): ${plans.length} plans, ${totals.principals} principals, ${totals.resources} resources, ` +
          `${totals.policies} policies, ${totals.errors} errors, ${totals.unresolved} unresolved`,
      )
    }
  }
  return lines
}

/** The path principals (`privesc*-role`, `privesc*-user`) named in the privesc-paths sources. */
function iamVulnerable(dir: string, result: LoadResult): string[] {
  const snapshot = folderSnapshot(dir)
  const expected = new Set<string>()
  for (const p of snapshot.paths()) {
    if (!p.startsWith('modules/free-resources/privesc-paths/') || !p.endsWith('.tf')) continue
    const text = readFileSync(join(dir, p), 'utf8')
    for (const m of text.matchAll(/^\s*name\s*=\s*"(privesc[^"]*-(?:role|user))"/gm))
      if (m[1]) expected.add(m[1])
  }
  const byName = new Map(result.model.principals.map((p) => [p.name, p]))
  const found = [...expected].filter((n) => byName.has(n))
  const withPolicies = found.filter((n) => (byName.get(n)?.policies.length ?? 0) > 0)
  const missing = [...expected].filter((n) => !byName.has(n))
  return [
    `iam-vulnerable path principals: ${found.length}/${expected.size} in the model, ${withPolicies.length} with identity policies` +
      (missing.length > 0 ? `; missing: ${missing.join(', ')}` : ''),
  ]
}

if (process.argv[1]?.endsWith('terraform.ts')) {
  const corpus = process.argv[2] ?? '../shared/corpus'
  for (const line of await evalTerraform(corpus)) process.stdout.write(`${line}\n`)
}
