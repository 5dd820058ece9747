/**
 * Every loader on one snapshot, merged into one model: CloudFormation (with CDK and SAM) and
 * Terraform. A principal or resource defined twice keeps its first definition and the second is
 * reported, so nothing is lost in silence.
 */
import { emptyModel } from '../model/types.js'
import { loadCloudFormation } from './cloudformation/index.js'
import { loadTerraform } from './terraform/index.js'
import type { LoaderOptions, LoadResult, Snapshot } from './types.js'
import { emptyCoverage } from './types.js'

export async function loadTree(snapshot: Snapshot, options: LoaderOptions = {}): Promise<LoadResult> {
  const results = [loadCloudFormation(snapshot, options), await loadTerraform(snapshot, options)]
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
  return { model, coverage }
}
