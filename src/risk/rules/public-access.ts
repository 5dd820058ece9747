/**
 * public-access: anyone on the internet can reach a resource of the tree, because a resource
 * policy names `*` without a condition that narrows who (an organisation, a VPC endpoint, a source
 * account), or because the resource is public by itself (Lambda URL without auth, public ACL).
 */
import type { Grant } from '../../engine/types.js'
import { entriesNaming } from '../../engine/whoCan.js'
import type { Capability } from '../../iam/types.js'
import { CAPABILITIES } from '../../iam/types.js'
import type { Resource } from '../../model/types.js'
import type { Severity } from '../../report/contract.js'
import { isDataCapability } from '../score.js'
import type { Classification, Rule, RuleFinding } from '../types.js'
import { accessPhrase, locationOf, resourceLabel } from '../words.js'

/** Condition keys that narrow who "everyone" is; lower-case. `aws:SecureTransport` does not. */
const NARROWING = new Set([
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourcevpce',
  'aws:sourcevpc',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourceip',
  'aws:userid',
  'aws:username',
  'aws:resourceorgid',
])

export function narrowsWho(grant: Grant): boolean {
  return grant.conditional && (grant.conditions ?? []).some((k) => NARROWING.has(k.toLowerCase()))
}

function severityOf(capabilities: Capability[], c: Classification): Severity {
  const data = capabilities.some(isDataCapability)
  if (data && c.confidential) return 'critical'
  return data ? 'high' : 'medium'
}

export const publicAccess: Rule = {
  id: 'public-access',
  description: 'Anyone can access a resource of the tree.',
  docs: '#public-access',
  check({ model, access, classify }) {
    const byResource = new Map<string, { resource: Resource; capabilities: Set<Capability> }>()
    const add = (resource: Resource, capabilities: Iterable<Capability>): void => {
      let entry = byResource.get(resource.id)
      if (entry === undefined) {
        entry = { resource, capabilities: new Set() }
        byResource.set(resource.id, entry)
      }
      for (const c of capabilities) entry.capabilities.add(c)
    }
    const everyone = access.principals.find((a) => a.principal.type === 'public')
    if (everyone !== undefined) {
      const open = everyone.grants.filter((g) => !narrowsWho(g))
      // Who-can tells which resources the public grants reach, after Denies of the resource policy.
      for (const { resource, whoCan } of access.resources) {
        const [entry] = entriesNaming(whoCan, everyone.principal.name)
        if (entry === undefined) continue
        const caps = entry.capabilities.filter((c) => open.some((g) => g.capability === c))
        if (caps.length > 0) add(resource, caps)
      }
    }
    for (const r of model.resources) {
      if (r.publicAccess === undefined) continue
      add(
        r,
        r.publicAccess.capabilities.filter((c): c is Capability =>
          (CAPABILITIES as readonly string[]).includes(c),
        ),
      )
    }
    const findings: RuleFinding[] = []
    for (const { resource, capabilities } of byResource.values()) {
      const caps = CAPABILITIES.filter((c) => capabilities.has(c))
      const c = classify(resource)
      const why = resource.publicAccess !== undefined ? ` (${resource.publicAccess.reason})` : ''
      const finding: RuleFinding = {
        key: `public-access:${resource.id}`,
        rule: 'public-access',
        severity: severityOf(caps, c),
        principal: everyone?.principal.name ?? 'everyone (public)',
        principalId: everyone?.principal.id ?? '*',
        resource: resource.name,
        message: `Anyone can ${caps.length > 0 ? accessPhrase(caps, resourceLabel(resource, c)) : `reach ${resourceLabel(resource, c)}`}${why}`,
      }
      const location = locationOf(
        resource.publicAccess?.location ?? resource.policy?.location ?? resource.location,
      )
      if (location !== undefined) finding.location = location
      findings.push(finding)
    }
    // A role whose trust policy admits everyone can be assumed by anyone with AWS credentials.
    for (const edge of access.edges) {
      if (everyone === undefined || edge.from !== everyone.principal.id || edge.kind !== 'assume-role')
        continue
      const role = model.principals.find((p) => p.id === edge.to)
      if (role === undefined) continue
      const finding: RuleFinding = {
        key: `public-access:assume:${role.id}`,
        rule: 'public-access',
        severity: edge.conditional ? 'medium' : 'high',
        principal: everyone.principal.name,
        principalId: everyone.principal.id,
        resource: role.name,
        message: `Anyone can assume role ${role.name}${edge.conditional ? ' (under a condition)' : ''}: its trust policy admits every principal`,
      }
      const location = locationOf(role.trustPolicy?.location ?? role.location)
      if (location !== undefined) finding.location = location
      findings.push(finding)
    }
    return findings.sort((a, b) => a.key.localeCompare(b.key))
  },
}
