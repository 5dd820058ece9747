/**
 * `terraform show -json` plans (format 0.1 to 1.2): planned values of the root and child modules,
 * and data sources read during planning. A value unknown until apply (`after_unknown`) becomes a
 * symbol tied to its resource; a policy that is unknown is recovered, when the configuration says
 * it is another resource's attribute (a policy document's `json`), from that resource.
 */
import { ACCOUNT_SYMBOL, REGION_SYMBOL } from '../policies.js'
import { emptyCoverage, type LoaderOptions, type LoadResult, type Snapshot } from '../types.js'
import { computedAttribute, type Env } from './attributes.js'
import { Identities, secretReferences } from './identity.js'
import type { Instance } from './instances.js'
import { Resources } from './resources.js'
import { SharedState } from './state.js'
import { fromJson, Unknown, type Value } from './values.js'

interface PlanResource {
  address?: string
  mode?: string
  type?: string
  values?: Record<string, unknown>
}
interface PlanModule {
  address?: string
  resources?: PlanResource[]
  child_modules?: PlanModule[]
}
interface ConfigResource {
  address?: string
  expressions?: Record<string, { references?: string[] } | undefined>
}
interface ConfigModule {
  resources?: ConfigResource[]
  outputs?: Record<string, { expression?: { references?: string[] } } | undefined>
  module_calls?: Record<string, { module?: ConfigModule }>
}
interface Plan {
  format_version?: string
  planned_values?: { root_module?: PlanModule }
  /** `terraform show -json` of a state (no plan file): its values, all known. */
  values?: { root_module?: PlanModule }
  prior_state?: { values?: { root_module?: PlanModule } }
  resource_changes?: { address?: string; change?: { after_unknown?: Record<string, unknown> } }[]
  configuration?: { root_module?: ConfigModule }
}

const noSnapshot: Snapshot = { paths: () => [], read: () => undefined }

export function loadTerraformPlan(planJson: string, file: string, options: LoaderOptions = {}): LoadResult {
  const coverage = emptyCoverage()
  // The plan needs no parser: the shared state only carries coverage and text origins here.
  const shared = new SharedState(noSnapshot, options, coverage, undefined as never)
  const env: Env = {
    account: options.homeAccount ?? ACCOUNT_SYMBOL,
    partition: options.partition ?? 'aws',
    region: options.region ?? REGION_SYMBOL,
  }
  const model = {
    homeAccounts: [env.account],
    partition: env.partition,
    principals: [],
    resources: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  }
  let plan: Plan
  try {
    plan = JSON.parse(planJson) as Plan
  } catch (e) {
    coverage.errors.push({ file, message: `not JSON: ${(e as Error).message}` })
    return { model, coverage }
  }
  const planned = typeof plan === 'object' && plan !== null ? (plan.planned_values ?? plan.values) : undefined
  if (planned === undefined) {
    coverage.errors.push({ file, message: 'not a Terraform plan or state (no planned_values or values)' })
    return { model, coverage }
  }
  coverage.filesAnalyzed = 1
  const unknowns = new Map<string, Record<string, unknown>>()
  for (const rc of plan.resource_changes ?? [])
    if (rc.address && rc.change?.after_unknown) unknowns.set(rc.address, rc.change.after_unknown)
  const references = new Map<string, Record<string, string[]>>()
  collectReferences(plan.configuration?.root_module, '', references)

  const byAddress = new Map<string, Instance>()
  const instances: Instance[] = []
  const add = (r: PlanResource): void => {
    if (!r.address || !r.type || byAddress.has(r.address)) return
    const instance = planInstance(r, unknowns.get(r.address) ?? {}, references, byAddress, file, env)
    byAddress.set(r.address, instance)
    instances.push(instance)
  }
  for (const m of modules(plan.prior_state?.values?.root_module))
    for (const r of m.resources ?? []) if (r.mode === 'data') add(r)
  for (const m of modules(planned.root_module)) for (const r of m.resources ?? []) add(r)

  const secretOutputs = new Map<string, { name: string; location: { file: string } }>()
  for (const [name, o] of Object.entries(plan.configuration?.root_module?.outputs ?? {}))
    for (const key of secretReferences((o?.expression?.references ?? []).join(' ')))
      if (!secretOutputs.has(key)) secretOutputs.set(key, { name, location: { file } })
  const c = { shared, env, defaultTags: {}, secretOutputs }
  const identities = new Identities(c)
  identities.add(instances)
  const resources = new Resources(c)
  resources.add(instances)
  return {
    model: {
      ...model,
      principals: identities.principals,
      resources: resources.resources,
      serviceControlPolicies: resources.scps,
      resourceControlPolicies: resources.rcps,
    },
    coverage,
  }
}

function* modules(m: PlanModule | undefined): Generator<PlanModule> {
  if (!m) return
  yield m
  for (const c of m.child_modules ?? []) yield* modules(c)
}

/** Configuration addresses have no instance keys: `module.x.aws_iam_role.r` for every instance. */
function collectReferences(
  m: ConfigModule | undefined,
  prefix: string,
  into: Map<string, Record<string, string[]>>,
): void {
  if (!m) return
  for (const r of m.resources ?? []) {
    // Every configured argument is listed (references or none): an unknown one that is not
    // configured is merely computed by the provider, not a value the author wrote.
    // References stay relative to their module: an instance resolves them in its own module
    // instance (`module.reader["a"].`), which the configuration's address does not name.
    const refs: Record<string, string[]> = {}
    for (const [k, e] of Object.entries(r.expressions ?? {})) refs[k] = e?.references ?? []
    if (r.address) into.set(`${prefix}${r.address}`, refs)
  }
  for (const [name, call] of Object.entries(m.module_calls ?? {}))
    collectReferences(call.module, `${prefix}module.${name}.`, into)
}

function planInstance(
  r: PlanResource,
  unknown: Record<string, unknown>,
  references: Map<string, Record<string, string[]>>,
  byAddress: Map<string, Instance>,
  file: string,
  env: Env,
): Instance {
  const address = r.address ?? ''
  const configAddress = address.replace(/\[[^\]]*\]/g, '')
  const moduleMatch = /^((?:module\.[^.[]+(?:\[[^\]]*\])?\.)*)/.exec(address)
  const prefix = moduleMatch?.[1] ?? ''
  const values = r.values ?? {}
  const recovering = new Set<string>()
  const argument = (name: string): Value | undefined => {
    // `tags_all` holds the provider's default tags too, which HCL merges into `tags`.
    if (name === 'tags' && typeof values.tags_all === 'object' && values.tags_all !== null)
      return fromJson(values.tags_all)
    if (Object.hasOwn(values, name) && values[name] !== null) return fromJson(values[name])
    if (unknown[name] !== true) return undefined
    const configured = references.get(configAddress)
    if (configured !== undefined && !Object.hasOwn(configured, name)) return undefined
    return recover(name) ?? new Unknown(`${address}.${name}`)
  }
  /** An unknown argument that the configuration says is another resource's attribute. */
  const recover = (name: string): Value | undefined => {
    if (recovering.has(name)) return undefined
    recovering.add(name)
    try {
      const refs = instanceReferences(references.get(configAddress)?.[name] ?? [], address, prefix, byAddress)
      if (refs === undefined) return undefined
      // Terraform lists a resource's attribute and then the resource itself; the value is that
      // attribute only when the expression names nothing else (`jsonencode({...})` naming two
      // resources is not the first of them).
      const attributes = new Set(refs.filter((ref) => !byAddress.has(ref)))
      const candidates = attributes.size > 0 ? [...attributes] : refs
      if (new Set(candidates).size !== 1) return undefined
      const ref = candidates[0]!
      // Format 0.1 lists only the resource (`aws_iam_policy.p`), not the attribute read.
      const whole = byAddress.get(ref)
      const at = ref.lastIndexOf('.')
      const target = whole ?? byAddress.get(ref.slice(0, at)) ?? byAddress.get(`${ref.slice(0, at)}[0]`)
      const v = whole ? whole.get(/arn$/.test(name) ? 'arn' : 'id') : target?.get(ref.slice(at + 1))
      if (v === undefined || v instanceof Unknown) return undefined
      // A policy argument built around a reference (`jsonencode({ Resource = x.arn })`) is not x.arn.
      if (/policy$/.test(name) && typeof v === 'string' && !v.trimStart().startsWith('{')) return undefined
      return v
    } finally {
      recovering.delete(name)
    }
  }
  const instance: Instance = {
    type: r.type ?? '',
    mode: r.mode === 'data' ? 'data' : 'managed',
    address,
    prefix,
    location: { file },
    argument,
    get: (name) => {
      const v = argument(name)
      if (v !== undefined && !(v instanceof Unknown)) return v
      return computedAttribute(instance, name, env) ?? v ?? new Unknown(`${address}.${name}`)
    },
    lineOf: () => undefined,
  }
  return instance
}

/**
 * The references of one instance's argument, as addresses of that instance's module instance.
 * `aws_iam_role.team[each.key]` is listed as `aws_iam_role.team` and `each.key`: for the instance
 * `aws_iam_role_policy.team["a"]` that is `aws_iam_role.team["a"]` when that instance exists
 * (likewise `count.index`). `each.value` is not taken for the key (a map's value is not its key):
 * undefined, the value stays unknown.
 */
function instanceReferences(
  refs: string[],
  address: string,
  prefix: string,
  byAddress: Map<string, Instance>,
): string[] | undefined {
  const iterators = refs.filter((r) => /^(each|count)\./.test(r))
  const rest = refs.filter((r) => !/^(each|count)\./.test(r)).map((r) => `${prefix}${r}`)
  if (iterators.length === 0) return rest
  if (iterators.some((r) => r !== 'each.key' && r !== 'count.index')) return undefined
  const key = /(\[[^\]]*\])$/.exec(address)?.[1]
  if (key === undefined) return undefined
  return rest.map((r) => {
    if (byAddress.has(`${r}${key}`)) return `${r}${key}`
    const at = r.lastIndexOf('.')
    return byAddress.has(`${r.slice(0, at)}${key}`) ? `${r.slice(0, at)}${key}${r.slice(at)}` : r
  })
}
