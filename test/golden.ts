/**
 * Golden files: what a person reads is kept in test/golden and compared byte for byte. To accept a
 * change, run `npm run golden` (UPDATE_GOLDEN=1) and review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { expect } from 'vitest'

export function expectGolden(name: string, actual: string): void {
  const file = new URL(`./golden/${name}`, import.meta.url)
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(file, actual)
    return
  }
  if (!existsSync(file))
    throw new Error(`golden file test/golden/${name} is missing: run npm run golden and review it`)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}
