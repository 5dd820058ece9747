/**
 * The root module's outputs as plain JSON: how tests and the eval script look at the evaluator
 * without building a model.
 */
import { emptyCoverage, type Snapshot } from '../types.js'
import { hclParser } from './hcl.js'
import { LoadState, SharedState } from './state.js'
import { toJson } from './values.js'

export async function evaluateOutputs(snapshot: Snapshot, rootDir = ''): Promise<Record<string, unknown>> {
  const shared = new SharedState(snapshot, {}, emptyCoverage(), await hclParser())
  const root = new LoadState(shared, rootDir).root()
  const out: Record<string, unknown> = {}
  for (const name of root.outputs.keys()) out[name] = toJson(root.output(name))
  out['@coverage'] = shared.coverage
  return out
}
