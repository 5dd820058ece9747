/** Runs one rule on a model, as analyze does, for the rule tables. */
import { type Config, defaultConfig } from '../../src/config/types.js'
import { effectiveAccess } from '../../src/engine/access.js'
import type { Model } from '../../src/model/types.js'
import { classifier } from '../../src/risk/classification.js'
import { withoutServiceRuntimes } from '../../src/risk/revision.js'
import type { Rule, RuleFinding } from '../../src/risk/types.js'
import { HOME } from '../engine/modelBuilder.js'

export const testConfig = (extra: Partial<Config> = {}): Config => ({
  ...defaultConfig(),
  homeAccounts: [HOME],
  ...extra,
})

export function runRule(
  rule: Rule,
  model: Model,
  config: Config = testConfig(),
  previous?: Model,
): RuleFinding[] {
  const access = withoutServiceRuntimes(effectiveAccess(model))
  return rule.check({
    model,
    access,
    config,
    classify: classifier(config),
    ...(previous ? { previous } : {}),
  })
}

/** `severity message` lines: what a rule table compares. */
export const lines = (findings: RuleFinding[]): string[] => findings.map((f) => `${f.severity} ${f.message}`)
