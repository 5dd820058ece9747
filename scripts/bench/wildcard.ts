import { compileWildcard } from '../../src/iam/wildcard.js'
import type { BenchRow } from './row.js'

/** Matches per second on realistic action and resource patterns, and the adversarial worst case. */
export function benchWildcard(): BenchRow[] {
  const patterns = ['s3:Get*', 's3:*Object*', 'arn:aws:s3:::kyc-*/*', 'arn:aws:iam::*:role/deploy-?', '*']
  const values = [
    's3:GetObjectVersion',
    's3:PutObject',
    'arn:aws:s3:::kyc-docs/2024/passport.pdf',
    'arn:aws:iam::123456789012:role/deploy-1',
    'arn:aws:dynamodb:eu-west-1:123456789012:table/orders',
  ]
  const compiled = patterns.map((p) => compileWildcard(p))
  const rounds = 200_000
  let hits = 0
  const started = performance.now()
  for (let r = 0; r < rounds; r++) {
    for (const pattern of compiled) {
      if (pattern.matches(values[r % values.length]!)) hits++
    }
  }
  const seconds = (performance.now() - started) / 1000
  const rows: BenchRow[] = [
    {
      name: 'wildcard matches per second (compiled, realistic)',
      value: Math.round((rounds * patterns.length) / seconds),
      unit: '/s',
    },
  ]
  const adversarial = `${'*a'.repeat(4_999)}*b`
  const text = 'a'.repeat(10_000)
  const t0 = performance.now()
  compileWildcard(adversarial).matches(text)
  rows.push({
    name: 'adversarial 10,000 x 10,000 match (compile + match)',
    value: performance.now() - t0,
    unit: 'ms',
  })
  if (hits < 0) throw new Error('unreachable: keeps the loop from being optimised away')
  return rows
}
