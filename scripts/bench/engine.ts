import { effectiveAccess, pathsThrough } from '../../src/engine/access.js'
import { EvaluationContext } from '../../src/engine/context.js'
import { accessEdges } from '../../src/engine/transitive.js'
import { whoCanAccess } from '../../src/engine/whoCan.js'
import { loadActionCatalog } from '../../src/iam/catalog.js'
import { countIdentityStatements, generateOrg } from './generateOrg.js'
import type { BenchRow } from './row.js'

/**
 * The whole access map of a generated organisation of 1,000 principals, 2,000 resources and about
 * 5,000 identity statements (targets: under 10 s and 1.5 GB), then its parts on fresh contexts.
 */
export function benchEngine(
  seed = 42,
  size = { principals: 1000, resources: 2000, statements: 5000 },
): BenchRow[] {
  const rows: BenchRow[] = []
  let t = performance.now()
  const model = generateOrg(seed, size)
  rows.push({ name: 'generate organisation', value: performance.now() - t, unit: 'ms' })

  t = performance.now()
  const catalog = loadActionCatalog()
  catalog.expand('*')
  rows.push({ name: 'load action catalog (every service)', value: performance.now() - t, unit: 'ms' })

  t = performance.now()
  const map = effectiveAccess(model, { catalog })
  rows.push({ name: 'effectiveAccess (full map)', value: performance.now() - t, unit: 'ms' })

  const count = (type: string) => model.principals.filter((p) => p.type === type).length
  rows.push({
    name: 'principals (roles / users / groups in the next rows)',
    value: model.principals.length,
    unit: '',
  })
  rows.push({ name: 'roles', value: count('role'), unit: '' })
  rows.push({ name: 'users', value: count('user'), unit: '' })
  rows.push({ name: 'groups', value: count('group'), unit: '' })
  rows.push({ name: 'external principals', value: map.principals.filter((p) => p.external).length, unit: '' })
  rows.push({ name: 'resources', value: model.resources.length, unit: '' })
  rows.push({
    name: 'resources with a policy',
    value: model.resources.filter((r) => r.policy).length,
    unit: '',
  })
  rows.push({
    name: 'identity statements (distinct policies)',
    value: countIdentityStatements(model),
    unit: '',
  })
  rows.push({ name: 'grants', value: map.principals.reduce((n, p) => n + p.grants.length, 0), unit: '' })
  rows.push({
    name: 'inherited grants (through a path)',
    value: map.principals.reduce((n, p) => n + p.grants.filter((g) => g.path).length, 0),
    unit: '',
  })
  rows.push({ name: 'admins', value: map.principals.filter((p) => p.isAdmin).length, unit: '' })
  rows.push({ name: 'edges', value: map.edges.length, unit: '' })
  rows.push({
    name: 'who-can entries',
    value: map.resources.reduce((n, r) => n + r.whoCan.length, 0),
    unit: '',
  })

  // The parts on fresh contexts, so that no cache of the full run helps them.
  const everyone = map.principals.map((p) => p.principal)
  const fresh = () => new EvaluationContext({ ...model, principals: everyone }, catalog)
  let ctx = fresh()
  t = performance.now()
  accessEdges(ctx, everyone)
  rows.push({
    name: 'transitive edges (accessEdges, fresh context)',
    value: performance.now() - t,
    unit: 'ms',
  })
  ctx = fresh()
  t = performance.now()
  whoCanAccess(ctx, map.principals, pathsThrough(map))
  rows.push({ name: 'who-can (whoCanAccess, fresh context)', value: performance.now() - t, unit: 'ms' })

  rows.push({ name: 'peak RSS', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MB' })
  return rows.map((r) => ({ ...r, value: r.unit === 'ms' ? Math.round(r.value) : r.value }))
}
