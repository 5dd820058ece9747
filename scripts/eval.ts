/**
 * `npm run eval [-- --corpus DIR]`: measures the analysis against real-world IaC written by others,
 * in the corpus folder given with --corpus. Files are read in place, never copied into the project.
 * `--only k9|policies|cloudformation|terraform|privesc|pairs` runs one part.
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { evalCfnValidator } from './eval/cfnValidator.js'
import { evalCloudFormation } from './eval/cloudformation.js'
import { evalK9Agreement } from './eval/k9.js'
import { evalPairs } from './eval/pairs.js'
import { evalManagedPolicyDocuments } from './eval/policies.js'
import { evalIamVulnerable } from './eval/privesc.js'
import { evalTerraform } from './eval/terraform.js'

const args = process.argv.slice(2)
const at = args.indexOf('--corpus')
const corpus = resolve(at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : '../shared/corpus')
const onlyAt = args.indexOf('--only')
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined
const parts = ['k9', 'policies', 'cloudformation', 'terraform', 'privesc', 'pairs']
if (only !== undefined && !parts.includes(only)) {
  process.stderr.write(`--only takes one of ${parts.join(', ')}.\n`)
  process.exit(1)
}
const runs = (part: string): boolean => only === undefined || only === part
if (!existsSync(corpus)) {
  process.stderr.write(`No corpus at ${corpus}: pass --corpus DIR.\n`)
  process.exit(1)
}
const percent = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`)
let failed = false

if (runs('k9')) {
  const k9 = evalK9Agreement(corpus)
  process.stdout.write(`S3 capabilities vs k9: ${k9.agreed}/${k9.total} (${percent(k9.agreed, k9.total)})\n`)
  for (const d of k9.disagreements)
    process.stdout.write(`  ${d.action}: k9 ${d.k9.join(',')} / ours ${d.ours.join(',')}\n`)
  if (k9.agreed !== k9.total) failed = true
}

if (runs('policies')) {
  const policies = evalManagedPolicyDocuments(corpus)
  process.stdout.write(
    `AWS managed policy documents: ${policies.documents} parsed, ${policies.statements} statements, ` +
      `${policies.errors.length} errors, ${policies.unknownActions.length} action entries matching no action\n`,
  )
  for (const e of policies.errors) process.stdout.write(`  error ${e.file} ${e.path}: ${e.message}\n`)
  const unknownByFile = new Map<string, string[]>()
  for (const u of policies.unknownActions)
    unknownByFile.set(u.file, [...(unknownByFile.get(u.file) ?? []), u.pattern])
  for (const [file, patterns] of unknownByFile) {
    const shown = patterns.slice(0, 4).join(', ')
    process.stdout.write(
      `  ${file}: ${shown}${patterns.length > 4 ? ` and ${patterns.length - 4} more` : ''} (retired or renamed actions)\n`,
    )
  }
  process.stdout.write(
    `Managed policy dataset vs MAMIP: ${policies.datasetSameVersion}/${policies.datasetCompared} at the same version, ` +
      `${policies.datasetSameDocument} of those identical (the others are older MAMIP versions)\n`,
  )
  if (policies.errors.length > 0 || policies.datasetSameDocument !== policies.datasetSameVersion)
    failed = true
}

if (runs('cloudformation')) {
  process.stdout.write('\nCloudFormation, CDK and SAM\n')
  for (const line of evalCloudFormation(corpus)) process.stdout.write(`${line}\n`)
  for (const line of evalCfnValidator(corpus)) process.stdout.write(`${line}\n`)
}
if (runs('terraform')) {
  process.stdout.write('\nTerraform\n')
  for (const line of await evalTerraform(corpus)) process.stdout.write(`${line}\n`)
}

if (runs('privesc')) {
  process.stdout.write('\nPrivilege escalation on iam-vulnerable\n')
  const vulnerable = await evalIamVulnerable(corpus)
  for (const line of vulnerable.lines) process.stdout.write(`${line}\n`)
}

if (runs('pairs')) {
  process.stdout.write('\nBase/head pairs from real history\n')
  for (const line of await evalPairs(corpus)) process.stdout.write(`${line}\n`)
}

process.exit(failed ? 1 : 0)
