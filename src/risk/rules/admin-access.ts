/**
 * admin-access: a principal that can do effectively everything, by its own policies or through a
 * path (assume role, pass role, credentials of an administrator). High severity: an administrator
 * can read every piece of data and rewrite every policy, so it is worth a line in every review.
 */
import type { Rule, RuleFinding } from '../types.js'
import { locationOf, principalLabel } from '../words.js'

export const adminAccess: Rule = {
  id: 'admin-access',
  description: 'An effective administrator, directly or through a path of roles.',
  docs: '#admin-access',
  check({ access }) {
    const findings: RuleFinding[] = []
    for (const a of access.principals) {
      if (!a.isAdmin) continue
      const p = a.principal
      const finding: RuleFinding = {
        key: `admin-access:${p.id}`,
        rule: 'admin-access',
        severity: 'high',
        principal: p.name,
        principalId: p.id,
        message: `${principalLabel(p)} is an effective administrator: ${a.adminReason ?? 'it can do everything'}`,
      }
      const location = locationOf(p.location)
      if (location !== undefined) finding.location = location
      findings.push(finding)
    }
    return findings
  },
}
