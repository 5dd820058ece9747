/** Loading fixtures and one-file trees for the Terraform loader tests. */
import { join } from 'node:path'
import { loadTerraform } from '../../../src/iac/terraform/index.js'
import type { LoaderOptions, LoadResult } from '../../../src/iac/types.js'
import type { Principal, Resource } from '../../../src/model/types.js'
import { folderSnapshot, memorySnapshot } from '../../../src/source/folder.js'

export const FIXTURES = join(import.meta.dirname, '../../fixtures/terraform')

export function loadFixture(name: string, options: LoaderOptions = {}): Promise<LoadResult> {
  return loadTerraform(folderSnapshot(join(FIXTURES, name)), options)
}

export function loadFiles(files: Record<string, string>, options: LoaderOptions = {}): Promise<LoadResult> {
  return loadTerraform(memorySnapshot(files), options)
}

/** The values of `output` blocks after loading: the evaluator seen from outside. */
export async function outputsOf(
  hcl: string,
  extra: Record<string, string> = {},
): Promise<Record<string, unknown>> {
  const { evaluateOutputs } = await import('../../../src/iac/terraform/debug.js')
  return evaluateOutputs(memorySnapshot({ 'main.tf': hcl, ...extra }))
}

export function principal(result: LoadResult, address: string): Principal {
  const p = result.model.principals.find((x) => x.address === address)
  if (p === undefined)
    throw new Error(`no principal ${address}: ${result.model.principals.map((x) => x.address).join(', ')}`)
  return p
}

export function resource(result: LoadResult, address: string): Resource {
  const r = result.model.resources.find((x) => x.address === address)
  if (r === undefined) throw new Error(`no resource ${address}`)
  return r
}
