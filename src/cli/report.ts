/** `access-diff report`: the effective access of one git revision or one folder. */
import { resolve } from 'node:path'
import { isRiskLevel } from '../config/schema.js'
import { type Config, RISK_LEVELS } from '../config/types.js'
import type { Snapshot } from '../iac/types.js'
import type { AccessReport } from '../report/contract.js'
import { gitSnapshot } from '../source/git.js'
import { analyzeOne, renderAccess } from './core.js'
import { readFolder } from './diff.js'
import {
  COMMON_OPTIONS,
  configFor,
  emit,
  format,
  loadWithProgress,
  parse,
  UsageError,
  useColor,
} from './io.js'

const OPTIONS = {
  ...COMMON_OPTIONS,
  repo: { type: 'string' },
  rev: { type: 'string' },
  dir: { type: 'string' },
} as const

export async function reportCommand(args: string[]): Promise<number | 'help'> {
  const o = parse(args, OPTIONS)
  if (o.help) return 'help'
  const fmt = format(o.format)
  let tree: Snapshot
  let label: string
  if (o.dir !== undefined) {
    if (o.repo !== undefined || o.rev !== undefined)
      throw new UsageError('--dir cannot be combined with --repo or --rev')
    tree = readFolder(o.dir)
    label = o.dir
  } else {
    label = o.rev ?? 'HEAD'
    tree = await gitSnapshot(resolve(o.repo ?? '.'), label)
  }
  const config = configFor(o.config, tree, label)
  const report = await analyzeOne(await loadWithProgress(tree, config, label), config)
  await emit(
    await renderAccess(report, fmt, {
      color: useColor(o.output),
      confidentialValues: config.confidentiality.confidentialValues,
    }),
    o.output,
  )
  return blocking(report, config) ? 2 : 0
}

/** fail-on for one revision: a finding whose rule is listed, or whose severity is at or above a listed level. */
export function blocking(report: AccessReport, config: Config): boolean {
  const levels = config.failOn.filter(isRiskLevel).map((l) => RISK_LEVELS.indexOf(l))
  const threshold = levels.length > 0 ? Math.min(...levels) : Number.POSITIVE_INFINITY
  return report.findings.some(
    (f) => config.failOn.includes(f.rule) || RISK_LEVELS.indexOf(f.severity) >= threshold,
  )
}
