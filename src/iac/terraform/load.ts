/**
 * `loadTerraform`: every root module of a tree (a directory with `.tf` files that no other
 * directory calls as a local module) evaluated statically, its resources made into one model.
 */
import { posix } from 'node:path'
import type { Model, SourceLocation } from '../../model/types.js'
import { emptyCoverage, type LoaderOptions, type LoadResult, type Snapshot } from '../types.js'
import type { ParsedFile } from './ast.js'
import { hclParser } from './hcl.js'
import { Identities, secretReferences } from './identity.js'
import { Resources } from './resources.js'
import { LoadState, rootLabel, SharedState } from './state.js'

export async function loadTerraform(snapshot: Snapshot, options: LoaderOptions = {}): Promise<LoadResult> {
  const parser = await hclParser()
  const coverage = emptyCoverage()
  const shared = new SharedState(filtered(snapshot, options), options, coverage, parser)
  const roots = rootModules(shared)
  const model: Model = {
    homeAccounts: [],
    partition: options.partition ?? 'aws',
    principals: [],
    resources: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }
  const ids = new Set<string>()
  for (const dir of roots) {
    const state = new LoadState(shared, dir)
    const root = state.root()
    const instances = root.allInstances()
    const c = {
      shared,
      env: state.env,
      defaultTags: state.defaultTags,
      secretOutputs: secretOutputs(root.files, rootLabel(dir)),
    }
    const identities = new Identities(c)
    identities.add(instances)
    const resources = new Resources(c)
    resources.add(instances)
    for (const p of identities.principals) model.principals.push(unique(p, ids, dir))
    for (const r of resources.resources) model.resources.push(unique(r, ids, dir))
    model.serviceControlPolicies.push(...resources.scps)
    model.resourceControlPolicies.push(...resources.rcps)
    if (!model.homeAccounts.includes(state.env.account)) model.homeAccounts.push(state.env.account)
  }
  if (model.homeAccounts.length === 0) model.homeAccounts.push(new LoadState(shared, '').env.account)
  coverage.filesAnalyzed = shared.filesLoaded.size
  return { model, coverage, filesRead: [...shared.filesRead].sort() }
}

/** The root module's outputs that read an access key's secret (what `terraform output` shows). */
function secretOutputs(
  files: ParsedFile[],
  label: string,
): Map<string, { name: string; location: SourceLocation }> {
  const out = new Map<string, { name: string; location: SourceLocation }>()
  for (const f of files)
    for (const b of f.body.blocks) {
      const value = b.type === 'output' ? b.body.attributes.get('value') : undefined
      if (value === undefined) continue
      for (const key of secretReferences(value.text))
        if (!out.has(`${label}${key}`))
          out.set(`${label}${key}`, { name: b.labels[0] ?? '', location: { file: f.path, line: b.line } })
    }
  return out
}

/** Two root modules may define the same thing (examples of one module): ids stay unique. */
function unique<T extends { id: string }>(x: T, ids: Set<string>, dir: string): T {
  if (ids.has(x.id)) x.id = `${x.id} (${dir || '.'})`
  ids.add(x.id)
  return x
}

/** Directories with `.tf` files that no other directory calls through a local `source`. */
export function rootModules(shared: SharedState): string[] {
  const dirs = new Set<string>()
  for (const p of shared.snapshot.paths())
    if (p.endsWith('.tf') && !p.includes('.terraform/'))
      dirs.add(posix.dirname(p) === '.' ? '' : posix.dirname(p))
  const called = new Set<string>()
  for (const dir of dirs)
    for (const f of shared.dirFiles(dir))
      for (const source of localSources(f)) {
        const target = posix.normalize(posix.join(dir || '.', source)).replace(/\/$/, '')
        if (target !== (dir || '.')) called.add(target === '.' ? '' : target)
      }
  return [...dirs].filter((d) => !called.has(d)).sort()
}

function localSources(f: ParsedFile): string[] {
  const out: string[] = []
  for (const b of f.body.blocks) {
    if (b.type !== 'module') continue
    const e = b.body.attributes.get('source')?.expr
    const s = e?.k === 'lit' ? e.value : e?.k === 'tpl' && e.parts.length === 1 ? e.parts[0] : undefined
    if (typeof s === 'string' && (s.startsWith('./') || s.startsWith('../'))) out.push(s)
  }
  return out
}

function globRegex(glob: string): RegExp {
  const re = glob
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replaceAll('*', '[^/]*')
        .replaceAll('?', '[^/]'),
    )
    .join('.*')
  return new RegExp(`^${re}$`)
}

export function filtered(snapshot: Snapshot, options: LoaderOptions): Snapshot {
  const include = options.include?.map(globRegex)
  const exclude = options.exclude?.map(globRegex) ?? []
  if (!include && exclude.length === 0) return snapshot
  const keep = (p: string): boolean =>
    (include === undefined || include.some((r) => r.test(p))) && !exclude.some((r) => r.test(p))
  const paths = snapshot.paths().filter(keep)
  return { paths: () => paths, read: (p) => (keep(p) ? snapshot.read(p) : undefined) }
}
