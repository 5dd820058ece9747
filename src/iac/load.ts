/**
 * Every loader on one snapshot, merged into one model: CloudFormation (with CDK and SAM),
 * Terraform, and plain IAM policy files (policyFiles.ts). A principal or resource defined twice
 * keeps its first definition and the second is reported, so nothing is lost in silence.
 */
import { emptyModel, type Model, type Policy, type SourceLocation } from '../model/types.js'
import { loadCloudFormation } from './cloudformation/index.js'
import { loadPolicyFiles } from './policyFiles.js'
import { loadTerraform } from './terraform/index.js'
import type { Coverage, LoaderOptions, LoadResult, Snapshot } from './types.js'
import { emptyCoverage } from './types.js'

export async function loadTree(snapshot: Snapshot, options: LoaderOptions = {}): Promise<LoadResult> {
  const results = [loadCloudFormation(snapshot, options), await loadTerraform(snapshot, options)]
  // Plain policy files last: those that a loader above read as part of its input are its own.
  const read = new Set(results.flatMap((r) => r.filesRead ?? []))
  results.push(loadPolicyFiles(snapshot, options, read))
  return mergeLoadResults(results)
}

export function mergeLoadResults(results: LoadResult[]): LoadResult {
  const model = emptyModel()
  const coverage = emptyCoverage()
  const principalIds = new Set<string>()
  const resourceIds = new Set<string>()
  for (const { model: m, coverage: c } of results) {
    for (const account of m.homeAccounts)
      if (!model.homeAccounts.includes(account)) model.homeAccounts.push(account)
    if (m.partition !== 'aws') model.partition = m.partition
    model.principals.push(...firstDefinitions(m.principals, principalIds, coverage))
    model.resources.push(...firstDefinitions(m.resources, resourceIds, coverage))
    model.serviceControlPolicies.push(...m.serviceControlPolicies)
    model.resourceControlPolicies.push(...m.resourceControlPolicies)
    coverage.filesAnalyzed += c.filesAnalyzed
    coverage.policiesAnalyzed += c.policiesAnalyzed
    coverage.unresolved.push(...c.unresolved)
    coverage.errors.push(...c.errors)
    coverage.notAnalysed.push(...c.notAnalysed)
  }
  distinctPolicyIds(model)
  return { model, coverage }
}

/**
 * A policy id names one document: the engine compiles each id once. The same AWS managed policy
 * attached to many principals keeps its id; two different documents that came out with the same
 * id (two trees of one loader, two loaders) get the second one's file added to its id.
 */
function distinctPolicyIds(model: Model): void {
  const seen = new Map<string, { policy: Policy; text?: string }>()
  const check = (policy: Policy | undefined): void => {
    if (policy === undefined) return
    const known = seen.get(policy.id)
    if (known === undefined) {
      seen.set(policy.id, { policy })
      return
    }
    if (known.policy === policy || known.policy.document === policy.document) return
    known.text ??= JSON.stringify(known.policy.document)
    if (known.text === JSON.stringify(policy.document)) return
    let id = `${policy.id} (${policy.location?.file ?? 'another definition'})`
    for (let n = 2; seen.has(id); n++) id = `${policy.id} (${n})`
    policy.id = id
    seen.set(id, { policy })
  }
  for (const p of model.principals) {
    for (const policy of p.policies) check(policy)
    check(p.boundary)
    check(p.trustPolicy)
  }
  for (const r of model.resources) check(r.policy)
  for (const o of [...model.serviceControlPolicies, ...model.resourceControlPolicies]) check(o.policy)
}

/** The items whose id is not taken yet; a repeated id is an error naming where it was written. */
function firstDefinitions<T extends { id: string; name: string; location?: SourceLocation }>(
  items: T[],
  taken: Set<string>,
  coverage: Coverage,
): T[] {
  const kept: T[] = []
  for (const item of items) {
    if (taken.has(item.id)) {
      coverage.errors.push({
        file: item.location?.file ?? item.id,
        ...(item.location?.line !== undefined ? { line: item.location.line } : {}),
        message: `${item.name} is defined more than once (${item.id}); the first definition is analysed`,
      })
      continue
    }
    taken.add(item.id)
    kept.push(item)
  }
  return kept
}
