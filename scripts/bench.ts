/**
 * `npm run bench [-- --full] [--corpus DIR]`: speed and memory figures. It runs the code compiled by
 * tsc (build/bench, as the command line runs build/), not TypeScript transpiled on the fly. Each
 * section measures in-process; figures vary with the machine, so compare runs on the same one. The engine section runs a tenth of the
 * target organisation (100 principals, 200 resources, 500 statements) unless `--full` is given.
 */
import { benchCatalog } from './bench/catalog.js'
import { benchDiff } from './bench/diff.js'
import { benchEngine } from './bench/engine.js'
import { benchEngineVsSimulator } from './bench/engineVsSimulator.js'
import { benchLoaders } from './bench/loaders.js'
import type { BenchRow } from './bench/row.js'
import { benchWildcard } from './bench/wildcard.js'

function print(section: string, rows: BenchRow[]): void {
  process.stdout.write(`\n${section}\n`)
  for (const row of rows) {
    const value = row.value >= 100 ? Math.round(row.value).toLocaleString('en-US') : row.value.toFixed(2)
    process.stdout.write(`  ${row.name.padEnd(60)} ${value.padStart(14)} ${row.unit}\n`)
  }
}

const full = process.argv.includes('--full')
const corpusAt = process.argv.indexOf('--corpus')
const corpus = corpusAt >= 0 ? (process.argv[corpusAt + 1] ?? '') : '../shared/corpus'
print('Action catalog', await benchCatalog())
print('Wildcard matcher', benchWildcard())
const size = full
  ? { principals: 1000, resources: 2000, statements: 5000 }
  : { principals: 100, resources: 200, statements: 500 }
print(
  `Engine (${size.principals} principals, ${size.resources} resources, ${size.statements} statements)`,
  benchEngine(42, size),
)
print('Loaders on the corpus', await benchLoaders(corpus))
print('Diff of an organisation of 50 applications x 3 environments', await benchDiff())
const versus = await benchEngineVsSimulator()
print('Engine and iam-simulate on the same requests', versus.rows)
process.stdout.write(`engine-vs-simulator-ratio: ${versus.ratio.toFixed(1)}\n`)
process.stdout.write(`\npeak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`)
