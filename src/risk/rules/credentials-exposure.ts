/**
 * credentials-exposure: a principal can mint credentials for another user (access keys, console
 * password, service-specific credentials) and so act as that user; or it can read every secret or
 * parameter of the account, not only those of its application (administrators are left to
 * admin-access for both); or the tree creates a long-lived access key for a user, worse when its
 * secret is an output or sits in the Terraform state in clear text.
 */
import type { Grant } from '../../engine/types.js'
import type { Severity } from '../../report/contract.js'
import type { Rule, RuleFinding } from '../types.js'
import { locationOf, principalLabel } from '../words.js'

/** Services whose data is credentials: reading all of it is reading everyone's secrets. */
const SECRET_SERVICES = new Set(['secretsmanager', 'ssm'])

/** The grant names every secret: `*`, or a pattern whose resource part is all wildcard. */
function everySecret(grant: Grant): boolean {
  if (grant.resource === '*') return true
  const name = grant.resource.split(':').slice(5).join(':')
  return /^(secret:|parameter\/?)?\*$/.test(name)
}

const KEY_SEVERITY: Severity[] = ['low', 'medium', 'high', 'critical']

export const credentialsExposure: Rule = {
  id: 'credentials-exposure',
  description:
    'A principal can create credentials for other users or read secrets widely, or a user has a long-lived access key.',
  docs: '#credentials-exposure',
  check({ access }) {
    const findings: RuleFinding[] = []
    const byId = new Map(access.principals.map((a) => [a.principal.id, a]))
    // Indexed: a tree can have tens of thousands of edges.
    for (let i = 0; i < access.edges.length; i++) {
      const e = access.edges[i]!
      if (e.kind !== 'user-credentials' || e.from === e.to) continue
      const from = byId.get(e.from)
      const to = byId.get(e.to)
      if (from === undefined || to === undefined || from.isAdmin) continue
      const finding: RuleFinding = {
        key: `credentials-exposure:${e.from}:${e.to}`,
        rule: 'credentials-exposure',
        severity: to.isAdmin ? 'critical' : 'high',
        principal: from.principal.name,
        principalId: from.principal.id,
        message: `${principalLabel(from.principal)} can create credentials for ${principalLabel(to.principal)} (${e.actions.join(', ')}) and act as it`,
      }
      const location = locationOf(from.principal.location)
      if (location !== undefined) finding.location = location
      findings.push(finding)
    }
    for (const a of access.principals) {
      if (a.isAdmin) continue
      // Indexed: a principal can hold thousands of grants, and this runs once per revision.
      for (let i = 0; i < a.grants.length; i++) {
        const g = a.grants[i]!
        // Inherited grants are reported on the principal that holds them.
        if (g.path !== undefined || g.capability !== 'read-data') continue
        if (!SECRET_SERVICES.has(g.service) || !everySecret(g)) continue
        const finding: RuleFinding = {
          key: `credentials-exposure:secrets:${a.principal.id}:${g.service}`,
          rule: 'credentials-exposure',
          severity: 'medium',
          principal: a.principal.name,
          principalId: a.principal.id,
          message: `${principalLabel(a.principal)} can read every ${g.service === 'ssm' ? 'parameter' : 'secret'} (${g.actions.join(', ')} on ${g.resource})`,
        }
        const location = locationOf(g.sources[0]?.location)
        if (location !== undefined) finding.location = location
        findings.push(finding)
      }
    }
    for (const a of access.principals)
      for (const k of a.principal.accessKeys ?? []) {
        const exposure = k.secretExposure
        // An inactive key is low whatever happens to its secret; else by where the secret is.
        const level =
          k.status === 'Inactive' ? 0 : exposure?.kind === 'output' ? 2 : exposure?.kind === 'state' ? 1 : 0
        const severity = KEY_SEVERITY[Math.min(level + (a.isAdmin ? 1 : 0), KEY_SEVERITY.length - 1)]!
        const where = exposure === undefined ? '' : `; its secret is in ${exposure.detail}`
        const finding: RuleFinding = {
          key: `credentials-exposure:access-key:${a.principal.id}:${k.address}`,
          rule: 'credentials-exposure',
          severity,
          principal: a.principal.name,
          principalId: a.principal.id,
          message: `${principalLabel(a.principal)}${a.isAdmin ? ' (an administrator)' : ''} has a long-lived ${k.status === 'Inactive' ? 'inactive ' : ''}access key (${k.address})${where}`,
        }
        const location = locationOf(exposure?.location ?? k.location)
        if (location !== undefined) finding.location = location
        findings.push(finding)
      }
    const byKey = new Map(findings.map((f) => [f.key, f]))
    return [...byKey.values()].sort((x, y) => x.key.localeCompare(y.key))
  },
}
