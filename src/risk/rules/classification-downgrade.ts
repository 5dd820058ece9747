/**
 * classification-downgrade: a resource's confidentiality tag is lowered or removed between base and
 * head. It hides the resource from every confidential-data check that follows, so it is at least
 * medium, and high when the resource leaves the confidential tiers altogether.
 */
import type { Resource } from '../../model/types.js'
import { classify, LEVEL_RANK } from '../classification.js'
import type { Rule, RuleFinding } from '../types.js'
import { locationOf } from '../words.js'

export const classificationDowngrade: Rule = {
  id: 'classification-downgrade',
  description: 'A confidentiality tag is downgraded or removed.',
  docs: '#classification-downgrade',
  check({ model, previous, config, classify: classifyHead }) {
    if (previous === undefined) return []
    const before = new Map<string, Resource>()
    for (const r of previous.resources) {
      before.set(r.id, r)
      before.set(r.arn, r)
    }
    const findings: RuleFinding[] = []
    for (const r of model.resources) {
      const old = before.get(r.id) ?? before.get(r.arn)
      if (old === undefined) continue
      const was = classify(old, config)
      const now = classifyHead(r)
      if (was.value === null) continue
      const removed = now.value === null && was.level !== 'public'
      const lowered = LEVEL_RANK[now.level] < LEVEL_RANK[was.level]
      if (!removed && !lowered) continue
      const finding: RuleFinding = {
        key: `classification-downgrade:${r.id}`,
        rule: 'classification-downgrade',
        severity: was.confidential && !now.confidential ? 'high' : 'medium',
        resource: r.name,
        message:
          now.value === null
            ? `The ${config.confidentiality.tagKey} tag (${was.value}) was removed from ${r.name}`
            : `${r.name} was downgraded from ${was.value} to ${now.value}`,
      }
      const location = locationOf(r.location)
      if (location !== undefined) finding.location = location
      findings.push(finding)
    }
    return findings.sort((a, b) => a.key.localeCompare(b.key))
  },
}
