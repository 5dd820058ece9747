import { defaultDataDir } from '../../src/iam/catalog/data.js'
import { type ActionCatalog, loadActionCatalog } from '../../src/iam/catalog.js'
import type { BenchRow } from './row.js'

/**
 * Catalog load and expansion speed. Each "cold" figure uses a fresh catalog over the same data
 * folder (the OS file cache is warm after the first run, so cold means cold in-process).
 */
export async function benchCatalog(): Promise<BenchRow[]> {
  const dataDir = defaultDataDir()
  const rows: BenchRow[] = []

  rows.push({
    name: 'cold load of all services (median of 3)',
    value: median(3, () => loadActionCatalog(dataDir).all()),
    unit: 'ms',
  })
  rows.push({
    name: 'cold s3:GetObject (loads s3 only)',
    value: time(() => loadActionCatalog(dataDir).expand('s3:GetObject')),
    unit: 'ms',
  })
  rows.push({
    name: "cold expand '*' (includes loading every service)",
    value: time(() => loadActionCatalog(dataDir).expand('*')),
    unit: 'ms',
  })

  const catalog = loadActionCatalog(dataDir)
  catalog.expand('*')
  const rounds = 100_000
  rows.push({
    name: "memoized expand '*'",
    value: (time(() => repeat(rounds, () => catalog.expand('*'))) * 1e6) / rounds,
    unit: 'ns',
  })

  // Distinct patterns, so every expansion is computed: prefixes, infixes, `?`, exact names, misses.
  const fresh = distinctPatterns(catalog, 2_000)
  const expandEach = () => {
    for (const p of fresh) catalog.expand(p)
  }
  const computeMs = time(expandEach)
  rows.push({
    name: `expansions per second, first time (${fresh.length} distinct patterns)`,
    value: (fresh.length / computeMs) * 1000,
    unit: '/s',
  })
  const memoMs = time(() => repeat(100, expandEach))
  rows.push({
    name: 'expansions per second, memoized (same patterns)',
    value: ((fresh.length * 100) / memoMs) * 1000,
    unit: '/s',
  })
  rows.push({
    name: "complement(['iam:*']) first time",
    value: time(() => catalog.complement(['iam:*'])),
    unit: 'ms',
  })
  return rows
}

function distinctPatterns(catalog: ActionCatalog, count: number): string[] {
  const all = catalog.all()
  const patterns = new Set<string>()
  const shapes = [
    (s: string, n: string) => `${s}:${n.slice(0, 3)}*`,
    (s: string, n: string) => `${s}:*${n.slice(-6)}`,
    (s: string, n: string) => `${s}:?${n.slice(1)}`,
    (s: string, n: string) => `${s}:${n.toLowerCase()}`,
    (s: string, n: string) => `${s}:${n}s`,
    (s: string, n: string) => `${s}:${n.slice(0, 2)}*${n.slice(-3)}`,
  ]
  for (let i = 0; patterns.size < count && i < all.length * 3; i++) {
    const action = all[(i * 7_919) % all.length]!
    patterns.add(shapes[i % shapes.length]!(action.service, action.name))
  }
  return [...patterns]
}

function time(run: () => unknown): number {
  const started = performance.now()
  run()
  return performance.now() - started
}

function median(times: number, run: () => unknown): number {
  const samples = Array.from({ length: times }, () => time(run)).sort((a, b) => a - b)
  return samples[Math.floor(times / 2)]!
}

function repeat(times: number, run: () => unknown): void {
  for (let i = 0; i < times; i++) run()
}
