/**
 * Every loader on one snapshot, merged into one model: CloudFormation (with CDK and SAM),
 * Terraform, and plain IAM policy files (policyFiles.ts). A principal or resource defined twice
 * keeps its first definition and the second is reported, so nothing is lost in silence.
 */
import { emptyModel, type Model, type Policy } from '../model/types.js'
import { loadCloudFormation } from './cloudformation/index.js'
import { loadPolicyFiles } from './policyFiles.js'
import { loadTerraform } from './terraform/index.js'
import type { LoaderOptions, LoadResult, Snapshot } from './types.js'
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
    for (const p of m.principals) {
      if (principalIds.has(p.id)) {
        coverage.errors.push({
          file: p.location?.file ?? p.id,
          ...(p.location?.line !== undefined ? { line: p.location.line } : {}),
          message: `${p.name} is defined more than once (${p.id}); the first definition is analysed`,
        })
        continue
      }
      principalIds.add(p.id)
      model.principals.push(p)
    }
    for (const r of m.resources) {
      if (resourceIds.has(r.id)) {
        coverage.errors.push({
          file: r.location?.file ?? r.id,
          ...(r.location?.line !== undefined ? { line: r.location.line } : {}),
          message: `${r.name} is defined more than once (${r.id}); the first definition is analysed`,
        })
        continue
      }
      resourceIds.add(r.id)
      model.resources.push(r)
    }
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
