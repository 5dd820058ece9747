/** Loading small templates written inline, and the fixtures of test/fixtures/cloudformation. */
import { fileURLToPath } from 'node:url'
import { loadCloudFormation } from '../../../src/iac/cloudformation/index.js'
import type { LoaderOptions, LoadResult } from '../../../src/iac/types.js'
import type { Principal, Resource } from '../../../src/model/types.js'
import { folderSnapshot, memorySnapshot } from '../../../src/source/folder.js'

export const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/cloudformation/${name}`, import.meta.url))

export function loadFixture(name: string, options: LoaderOptions = {}): LoadResult {
  return loadCloudFormation(folderSnapshot(fixture(name)), options)
}

export function loadText(text: string, options: LoaderOptions = {}, file = 'template.yaml'): LoadResult {
  return loadCloudFormation(memorySnapshot({ [file]: text }), options)
}

export function principal(result: LoadResult, address: string): Principal {
  const found = result.model.principals.find((p) => p.address === address)
  if (found === undefined) throw new Error(`no principal ${address}`)
  return found
}

export function resource(result: LoadResult, id: string): Resource {
  const found = result.model.resources.find((r) => r.id === id)
  if (found === undefined) throw new Error(`no resource ${id}`)
  return found
}

/** The resources of every statement of a principal's policies. */
export function resourcesOf(p: Principal): string[] {
  return p.policies.flatMap((policy) => policy.document.statements.flatMap((s) => s.resource ?? []))
}
