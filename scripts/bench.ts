/**
 * `npm run bench`: speed and memory figures. Each section measures in-process; figures vary with
 * the machine, so compare runs on the same one.
 */
import { benchCatalog } from './bench/catalog.js'
import type { BenchRow } from './bench/row.js'
import { benchWildcard } from './bench/wildcard.js'

function print(section: string, rows: BenchRow[]): void {
  process.stdout.write(`\n${section}\n`)
  for (const row of rows) {
    const value = row.value >= 100 ? Math.round(row.value).toLocaleString('en-US') : row.value.toFixed(2)
    process.stdout.write(`  ${row.name.padEnd(60)} ${value.padStart(14)} ${row.unit}\n`)
  }
}

print('Action catalog', await benchCatalog())
print('Wildcard matcher', benchWildcard())
const rss = process.memoryUsage().rss / 1024 / 1024
process.stdout.write(`\npeak-ish RSS at end: ${rss.toFixed(0)} MB\n`)
