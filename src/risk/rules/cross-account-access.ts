/**
 * cross-account-access: a principal of an account outside the home accounts can reach a resource
 * of the tree through its resource policy, or can assume a role of the tree. Accounts listed as
 * known in the configuration lower the severity; a role that another account may assume without an
 * `sts:ExternalId` condition is noted, as a third party could be tricked into using it for someone
 * else (the confused deputy).
 */
import { classifyAwsPrincipal } from '../../iam/arn.js'
import { wildcardMatch } from '../../iam/wildcard.js'
import type { Principal } from '../../model/types.js'
import type { Severity } from '../../report/contract.js'
import { homeAccountsOf, isDataCapability } from '../score.js'
import type { Rule, RuleFinding } from '../types.js'
import { accessPhrase, locationOf, principalLabel, resourceLabel } from '../words.js'

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity']

export const crossAccountAccess: Rule = {
  id: 'cross-account-access',
  description: 'A principal of another account can access a resource or assume a role of the tree.',
  docs: '#cross-account-access',
  check({ model, access, config, classify }) {
    const homes = homeAccountsOf(model, config)
    const known = new Map(config.knownAccounts.map((k) => [k.id, k.name ?? k.id]))
    const outside = (account: string | undefined): account is string =>
      account !== undefined && /^\d{12}$/.test(account) && !homes.has(account)
    const accountLabel = (account: string): string =>
      known.has(account) ? `known account ${known.get(account)}` : `unknown account ${account}`
    const findings: RuleFinding[] = []

    const externals = new Map<string, Principal>()
    for (const a of access.principals) {
      if (a.external && outside(a.principal.account)) externals.set(a.principal.name, a.principal)
    }
    for (const { resource, whoCan } of access.resources) {
      // Indexed: every principal of the tree has an entry on most resources.
      for (let i = 0; i < whoCan.length; i++) {
        const entry = whoCan[i]!
        const p = externals.get(entry.principal)
        // Reaching it only through an assumed role of the tree is reported on the trust below.
        if (p === undefined || entry.via !== undefined || p.account === undefined) continue
        const c = classify(resource)
        const sensitive = c.confidential && entry.capabilities.some(isDataCapability)
        const finding: RuleFinding = {
          key: `cross-account-access:${p.id}:${resource.id}`,
          rule: 'cross-account-access',
          severity: bump(known.has(p.account) ? 'low' : 'medium', sensitive),
          principal: p.name,
          principalId: p.id,
          resource: resource.name,
          message: `${principalLabel(p)} (${accountLabel(p.account)}) can ${accessPhrase(entry.capabilities, resourceLabel(resource, c))}`,
        }
        const location = locationOf(resource.policy?.location ?? resource.location)
        if (location !== undefined) finding.location = location
        findings.push(finding)
      }
    }

    for (const role of model.principals) {
      if (role.type !== 'role' || role.trustPolicy === undefined) continue
      const policy = role.trustPolicy
      for (const s of policy.document.statements) {
        if (s.effect !== 'Allow') continue
        const assumes = (s.action ?? []).some((a) =>
          ASSUME_ACTIONS.some((x) => wildcardMatch(a, x, { caseInsensitive: true })),
        )
        if (!assumes) continue
        const externalId = s.conditions.some((c) => c.key.toLowerCase() === 'sts:externalid')
        for (const ref of s.principal ?? []) {
          if (ref.kind !== 'AWS') continue
          const shape = classifyAwsPrincipal(ref.value)
          const account =
            shape.shape === 'account' ? shape.account : shape.shape === 'iam' ? shape.arn.account : undefined
          if (!outside(account)) continue
          const isKnown = known.has(account)
          const note = externalId ? '' : ' without an sts:ExternalId condition'
          const finding: RuleFinding = {
            key: `cross-account-access:trust:${role.id}:${ref.value}`,
            rule: 'cross-account-access',
            severity: isKnown ? 'low' : externalId ? 'medium' : 'high',
            principal: role.name,
            principalId: role.id,
            message: `${principalLabel(role)} can be assumed from ${accountLabel(account)} (${ref.value})${note}`,
          }
          const location = locationOf(
            policy.statementLocations?.[s.index] ?? policy.location ?? role.location,
          )
          if (location !== undefined) finding.location = location
          findings.push(finding)
        }
      }
    }
    return dedupe(findings)
  },
}

function bump(severity: Severity, up: boolean): Severity {
  if (!up) return severity
  return severity === 'low' ? 'medium' : severity === 'medium' ? 'high' : 'critical'
}

/** One finding per key: a trust policy may name the same account in two statements. */
function dedupe(findings: RuleFinding[]): RuleFinding[] {
  const byKey = new Map<string, RuleFinding>()
  for (const f of findings) if (!byKey.has(f.key)) byKey.set(f.key, f)
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key))
}
