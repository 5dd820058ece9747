/**
 * unknown-action: an Action or NotAction entry that names no action of the catalog (a typo such as
 * `s3:GetObjcet`, an unknown service). An Allow with a typo silently grants less than intended; a
 * Deny with one silently denies nothing, which is worse: medium for Denies, low for Allows.
 * AWS managed policies are left out: they are AWS's to fix and appear in every tree.
 */
import { loadActionCatalog } from '../../iam/catalog.js'
import type { Model, Policy } from '../../model/types.js'
import type { Rule, RuleFinding } from '../types.js'
import { locationOf } from '../words.js'

interface Owner {
  policy: Policy
  principal?: { id: string; name: string }
  resource?: { id: string; name: string }
}

/** Every policy of the model once, with who holds it (shared managed policies: the first holder). */
function policiesOf(model: Model): Owner[] {
  const seen = new Map<string, Owner>()
  const add = (owner: Owner): void => {
    if (owner.policy.origin !== 'aws-managed' && !seen.has(owner.policy.id)) seen.set(owner.policy.id, owner)
  }
  for (const p of model.principals) {
    const principal = { id: p.id, name: p.name }
    for (const policy of p.policies) add({ policy, principal })
    if (p.boundary !== undefined) add({ policy: p.boundary, principal })
    if (p.trustPolicy !== undefined) add({ policy: p.trustPolicy, principal })
  }
  for (const r of model.resources)
    if (r.policy !== undefined) add({ policy: r.policy, resource: { id: r.id, name: r.name } })
  for (const o of [...model.serviceControlPolicies, ...model.resourceControlPolicies])
    add({ policy: o.policy })
  return [...seen.values()].sort((a, b) => a.policy.id.localeCompare(b.policy.id))
}

export const unknownAction: Rule = {
  id: 'unknown-action',
  description: 'A policy names an action that does not exist (a typo).',
  docs: '#unknown-action',
  check({ model }) {
    const catalog = loadActionCatalog()
    const findings: RuleFinding[] = []
    for (const { policy, principal, resource } of policiesOf(model)) {
      for (const s of policy.document.statements) {
        for (const pattern of [...(s.action ?? []), ...(s.notAction ?? [])]) {
          const problem = catalog.expand(pattern).problem
          if (problem === undefined) continue
          const statement = s.sid !== undefined && s.sid !== '' ? s.sid : `#${s.index}`
          const finding: RuleFinding = {
            // Keyed by who holds the policy, not by the policy or the statement index: moving the
            // statement to another policy of the same principal (managed to inline), or inserting
            // one above it, must not make the same typo "new".
            key: `unknown-action:${principal?.id ?? resource?.id ?? policy.id}:${s.effect}:${pattern}`,
            rule: 'unknown-action',
            severity: s.effect === 'Deny' ? 'medium' : 'low',
            message: `${policy.name} ${statement}: ${problem}${s.effect === 'Deny' ? '; the Deny does not apply to it' : ''}`,
          }
          if (principal !== undefined) {
            finding.principal = principal.name
            finding.principalId = principal.id
          }
          if (resource !== undefined) finding.resource = resource.name
          const location = locationOf(policy.statementLocations?.[s.index] ?? policy.location)
          if (location !== undefined) finding.location = location
          findings.push(finding)
        }
      }
    }
    const byKey = new Map(findings.map((f) => [f.key, f]))
    return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key))
  },
}
