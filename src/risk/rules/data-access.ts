/**
 * data-access: who can read, write, delete or administer confidential data. Direct access gives
 * one finding per principal, resource and capability, so that gaining write on top of read shows
 * as new. Access only through paths (assume role, pass role) repeats what the principals at the
 * end of the paths hold, which have their own findings: it gives one finding per principal,
 * capability and tier, naming the resources. Access to confidential data is often intended (the
 * application's own store): low for Confidential, medium for Restricted; the security review
 * (docs/rules.md, "The verdict") decides what needs a human.
 */
import { CAPABILITIES, type Capability } from '../../iam/types.js'
import type { Principal, Resource } from '../../model/types.js'
import { isDataCapability } from '../score.js'
import type { Classification, Rule, RuleFinding } from '../types.js'
import { accessPhrase, joinWords, locationOf, principalLabel, resourceLabel } from '../words.js'

/** Resources named in the message of a finding for access through paths. */
const NAMED = 3

export const dataAccess: Rule = {
  id: 'data-access',
  description: 'A principal can access confidential data.',
  docs: '#data-access',
  check({ access, classify }) {
    const byName = new Map<string, Principal>()
    for (const a of access.principals)
      if (!byName.has(a.principal.name)) byName.set(a.principal.name, a.principal)
    const findings: RuleFinding[] = []
    // Access through paths, per principal, then per capability and tier.
    const throughPaths = new Map<string, Map<string, PathAccess>>()
    // Confidential resources by name: the resources of each finding through paths come in order.
    const confidential = access.resources
      .map((r) => ({ ...r, c: classify(r.resource) }))
      .filter((r) => r.c.confidential)
      .sort((a, b) => byResourceName(a.resource, b.resource))
    for (const { resource, whoCan, c } of confidential) {
      const kinds = KINDS[c.level]
      // Indexed: every principal of the tree can have an entry on each resource.
      for (let i = 0; i < whoCan.length; i++) {
        const entry = whoCan[i]!
        const p = byName.get(entry.principal)
        const who = p?.id ?? entry.principal
        let reached: Reached | undefined
        for (const capability of entry.capabilities) {
          if (!isDataCapability(capability)) continue
          if (entry.via !== undefined) {
            let byKind = throughPaths.get(who)
            if (byKind === undefined) {
              byKind = new Map()
              throughPaths.set(who, byKind)
            }
            const kind = kinds[capability]
            const known = byKind.get(kind)
            reached ??= { resource, c, via: entry.via }
            if (known === undefined)
              byKind.set(kind, { who: entry.principal, p, capability, c, reached: [reached] })
            else known.reached.push(reached)
            continue
          }
          const finding: RuleFinding = {
            key: `data-access:${who}:${resource.id}:${capability}`,
            rule: 'data-access',
            severity: c.level === 'restricted' ? 'medium' : 'low',
            principal: entry.principal,
            resource: resource.name,
            message: `${p === undefined ? entry.principal : principalLabel(p)} can ${accessPhrase([capability], resourceLabel(resource, c))}`,
          }
          if (p !== undefined) finding.principalId = p.id
          const location = locationOf(resource.location)
          if (location !== undefined) finding.location = location
          findings.push(finding)
        }
      }
    }
    for (const [id, byKind] of throughPaths) findings.push(...pathFindings(id, byKind))
    return findings.sort((a, b) => a.key.localeCompare(b.key))
  },
}

/** One finding per capability and tier for access through paths, naming the resources. */
function pathFindings(id: string, byKind: Map<string, PathAccess>): RuleFinding[] {
  const findings: RuleFinding[] = []
  for (const [kind, { who, p, capability, c, reached }] of byKind) {
    const key = `data-access:${id}:paths:${kind}`
    const first = reached[0]!
    const named = reached.slice(0, NAMED).map((r) => resourceLabel(r.resource, r.c))
    const what =
      reached.length === 1
        ? named[0]!
        : reached.length <= NAMED
          ? joinWords(named)
          : `${reached.length} resources (${named.join(', ')}, …)`
    const finding: RuleFinding = {
      key,
      rule: 'data-access',
      severity: c.level === 'restricted' ? 'medium' : 'low',
      principal: who,
      resource: first.resource.name,
      message: `${p === undefined ? who : principalLabel(p)} can ${accessPhrase([capability], what)} through paths (${first.via}${reached.some((r) => r.via !== first.via) ? ', and others' : ''})`,
    }
    if (p !== undefined) finding.principalId = p.id
    const location = locationOf(first.resource.location)
    if (location !== undefined) finding.location = location
    findings.push(finding)
  }
  return findings
}

function byResourceName(a: Resource, b: Resource): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** The key part of each capability and tier, written once. */
const KINDS = Object.fromEntries(
  (['public', 'internal', 'unclassified', 'confidential', 'restricted'] as const).map((level) => [
    level,
    Object.fromEntries(CAPABILITIES.map((capability) => [capability, `${capability}:${level}`])),
  ]),
) as Record<Classification['level'], Record<Capability, string>>

interface PathAccess {
  who: string
  p: Principal | undefined
  capability: Capability
  c: Classification
  reached: Reached[]
}

interface Reached {
  resource: Resource
  c: Classification
  via: string
}
