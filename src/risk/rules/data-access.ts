/**
 * data-access: who can read, write, delete or administer confidential data, one finding per
 * principal, resource and capability, so that gaining write on top of read shows as new. Access
 * to confidential data is often intended (the application's own store): low for Confidential,
 * medium for Restricted; the security review (DESIGN.md) decides what needs a human.
 */
import type { Principal } from '../../model/types.js'
import { isDataCapability } from '../score.js'
import type { Rule, RuleFinding } from '../types.js'
import { accessPhrase, locationOf, principalLabel, resourceLabel } from '../words.js'

export const dataAccess: Rule = {
  id: 'data-access',
  description: 'A principal can access confidential data.',
  docs: '#data-access',
  check({ access, classify }) {
    const byName = new Map<string, Principal>()
    for (const a of access.principals)
      if (!byName.has(a.principal.name)) byName.set(a.principal.name, a.principal)
    const findings: RuleFinding[] = []
    for (const { resource, whoCan } of access.resources) {
      const c = classify(resource)
      if (!c.confidential) continue
      for (const entry of whoCan) {
        const p = byName.get(entry.principal)
        for (const capability of entry.capabilities.filter(isDataCapability)) {
          const finding: RuleFinding = {
            key: `data-access:${p?.id ?? entry.principal}:${resource.id}:${capability}`,
            rule: 'data-access',
            severity: c.level === 'restricted' ? 'medium' : 'low',
            principal: entry.principal,
            resource: resource.name,
            message: `${p === undefined ? entry.principal : principalLabel(p)} can ${accessPhrase([capability], resourceLabel(resource, c))}${entry.via !== undefined ? ` (${entry.via})` : ''}`,
          }
          if (p !== undefined) finding.principalId = p.id
          const location = locationOf(resource.location)
          if (location !== undefined) finding.location = location
          findings.push(finding)
        }
      }
    }
    return findings.sort((a, b) => a.key.localeCompare(b.key))
  },
}
