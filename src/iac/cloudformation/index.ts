/**
 * The CloudFormation loader (plain templates, SAM, CDK cloud assemblies): every principal, policy and
 * resource of a tree of templates, with intrinsics resolved to stable values.
 *
 * Two passes over all templates: the first makes principals, resources and policies; the second
 * (Builder.later) attaches policies to principals and resource policies to resources, by the names
 * and ARNs the first pass gave them, so references across stacks work the same as within one.
 */
import { emptyModel } from '../../model/types.js'
import { ACCOUNT_SYMBOL, REGION_SYMBOL } from '../policies.js'
import { applyPublicAccessBlock } from '../publicAccessBlock.js'
import { type Coverage, emptyCoverage, type LoaderOptions, type LoadResult, type Snapshot } from '../types.js'
import { Builder } from './build.js'
import { discoverTemplates, type Template } from './discover.js'
import { IAM_TYPES, loadIam } from './iam.js'
import { type Exports, isRecord, Resolver, type TemplateInfo } from './intrinsics.js'
import type { Value } from './parse.js'
import { carriesPolicy, isHandledResource, loadResource } from './resources.js'
import { expandSam, SAM_TRANSFORM } from './sam.js'
import type { Env } from './types.js'

export { MAX_TEMPLATE_BYTES } from './discover.js'

const record = (v: Value): Record<string, Value> => (isRecord(v) ? v : {})

export function loadCloudFormation(snapshot: Snapshot, options: LoaderOptions = {}): LoadResult {
  const coverage = emptyCoverage()
  const templates = discoverTemplates(snapshot, options, coverage)
  const env: Env = {
    partition: options.partition ?? 'aws',
    region: options.region ?? REGION_SYMBOL,
    account: options.homeAccount ?? ACCOUNT_SYMBOL,
    ...(options.parameters !== undefined ? { parameters: options.parameters } : {}),
  }
  const model = emptyModel([env.account], env.partition)
  const builder = new Builder(coverage)
  const exports: Exports = new Map()
  const importing = new Set<string>()
  const duplicates = duplicateIds(templates)

  const resolvers = templates.map((t) => {
    const info: TemplateInfo = {
      file: t.file,
      stack: t.stack,
      duplicates: duplicates.get(t) ?? new Set(),
      parsed: t.parsed,
      parameters: record(t.root.Parameters) as Record<string, Record<string, Value>>,
      mappings: record(t.root.Mappings),
      conditions: record(t.root.Conditions),
      resources: record(t.root.Resources) as Record<string, Record<string, Value>>,
    }
    const resolver = new Resolver(info, env, coverage, exports, importing)
    expandSam(resolver, coverage)
    for (const output of Object.values(record(t.root.Outputs))) {
      if (!isRecord(output) || !isRecord(output.Export)) continue
      const line = resolver.lineOf(output)
      const name = resolver.text(output.Export.Name, line)
      exports.set(name, () => resolver.resolve(output.Value, line))
    }
    return resolver
  })

  for (const r of resolvers) loadTemplate(builder, r, coverage)
  builder.finish()
  // Once every bucket has its merged policy: what its public access block does to it.
  for (const r of builder.resources) applyPublicAccessBlock(r, coverage)
  model.principals = builder.principals
  model.resources = builder.resources
  return { model, coverage }
}

function loadTemplate(b: Builder, r: Resolver, coverage: Coverage): void {
  const root = r.t.parsed.root as Record<string, Value>
  const transforms = [root.Transform].flat().filter((t): t is string => typeof t === 'string')
  const macros = transforms.filter((t) => t !== SAM_TRANSFORM && t !== 'AWS::LanguageExtensions')
  for (const macro of macros) {
    coverage.notAnalysed.push({
      file: r.t.file,
      what: `Transform ${macro}`,
      reason: 'a macro rewrites the template before deployment; resources are read as written',
    })
  }
  for (const [id, resource] of Object.entries(r.t.resources)) {
    if (!isRecord(resource)) continue
    // The line of the logical id, where a reader looks for the resource.
    const line = r.t.parsed.keyLines.get(r.t.resources)?.[id] ?? r.lineOf(resource)
    const type = typeof resource.Type === 'string' ? resource.Type : ''
    if (typeof resource.Condition === 'string' && r.condition(resource.Condition, line) === false) continue
    const props = isRecord(resource.Properties) ? r.resolvePropsShallow(resource.Properties) : {}
    try {
      if (IAM_TYPES.has(type)) loadIam(b, r, id, type, props, line)
      else if (isHandledResource(type)) loadResource(b, r, id, type, props, line)
      else if (carriesPolicy(props) || type === 'AWS::SSO::PermissionSet') {
        coverage.notAnalysed.push({
          file: r.t.file,
          ...(line !== undefined ? { line } : {}),
          what: type,
          reason: 'resource type with a policy that the loader does not analyse',
        })
      }
    } catch (error) {
      // One broken resource must not hide the rest of the tree.
      r.error(`${id}: ${error instanceof Error ? error.message : String(error)}`, line)
    }
  }
}

/** For each template, the logical ids that some other template also defines. */
function duplicateIds(templates: Template[]): Map<Template, Set<string>> {
  const seen = new Map<string, number>()
  for (const t of templates)
    for (const id of Object.keys(record(t.root.Resources))) seen.set(id, (seen.get(id) ?? 0) + 1)
  return new Map(
    templates.map((t) => [
      t,
      new Set(Object.keys(record(t.root.Resources)).filter((id) => (seen.get(id) ?? 0) > 1)),
    ]),
  )
}
