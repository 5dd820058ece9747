/**
 * resource-policy-control: a principal can rewrite who may access a resource of the tree (its
 * bucket, key, queue, topic, function, secret, repository policy or ACL). Whoever can do that can
 * open the resource to anyone, so it is reported even when the principal's own access is small.
 * Effective administrators are left to admin-access: saying it again for each resource is noise.
 */

import { patternsIntersect } from '../../engine/resourcePatterns.js'
import type { Grant } from '../../engine/types.js'
import type { Resource } from '../../model/types.js'
import type { Rule, RuleFinding } from '../types.js'
import { locationOf, principalLabel, resourceLabel } from '../words.js'

/** Actions that replace or extend a resource's own access policy, lower-case. */
export const POLICY_CONTROL_ACTIONS = [
  's3:putbucketpolicy',
  's3:deletebucketpolicy',
  's3:putbucketacl',
  's3:putobjectacl',
  's3:putbucketpublicaccessblock',
  's3:deletebucketpublicaccessblock',
  'kms:putkeypolicy',
  'kms:creategrant',
  'sqs:setqueueattributes',
  'sqs:addpermission',
  'sns:settopicattributes',
  'sns:addpermission',
  'lambda:addpermission',
  'lambda:createfunctionurlconfig',
  'lambda:updatefunctionurlconfig',
  'secretsmanager:putresourcepolicy',
  'secretsmanager:deleteresourcepolicy',
  'ecr:setrepositorypolicy',
  'events:putpermission',
  'dynamodb:putresourcepolicy',
  'logs:putresourcepolicy',
  'glacier:setvaultaccesspolicy',
  'iam:updateassumerolepolicy',
]
const CONTROL = new Set(POLICY_CONTROL_ACTIONS)

/** Grants share their action lists: each list is read once. */
const controlOf = new WeakMap<string[], string[]>()

function controlActions(grant: Grant): string[] {
  let found = controlOf.get(grant.actions)
  if (found === undefined) {
    found = grant.actions.filter((a) => CONTROL.has(a.toLowerCase()))
    controlOf.set(grant.actions, found)
  }
  return found
}

function reaches(grant: Grant, resource: Resource): boolean {
  if (grant.service !== resource.service) return false
  if (grant.resource === '*' || patternsIntersect(grant.resource, resource.arn)) return true
  for (const form of resource.childArns ?? []) if (patternsIntersect(grant.resource, form)) return true
  return false
}

export const resourcePolicyControl: Rule = {
  id: 'resource-policy-control',
  description: 'A principal can rewrite who may access a resource of the tree.',
  docs: '#resource-policy-control',
  check({ model, access, classify }) {
    const findings: RuleFinding[] = []
    const withPolicies = model.resources
    for (const a of access.principals) {
      if (a.isAdmin) continue
      const byResource = new Map<Resource, Set<string>>()
      // Indexed: a principal can hold thousands of grants.
      for (let i = 0; i < a.grants.length; i++) {
        const g = a.grants[i]!
        const actions = controlActions(g)
        if (actions.length === 0) continue
        for (const r of withPolicies) {
          if (!reaches(g, r)) continue
          const set = byResource.get(r) ?? new Set<string>()
          for (const x of actions) set.add(x)
          byResource.set(r, set)
        }
      }
      for (const [r, actions] of byResource) {
        const c = classify(r)
        const first = a.grants.find((g) => controlActions(g).length > 0 && reaches(g, r))
        const finding: RuleFinding = {
          key: `resource-policy-control:${a.principal.id}:${r.id}`,
          rule: 'resource-policy-control',
          severity: c.confidential ? 'high' : 'medium',
          principal: a.principal.name,
          principalId: a.principal.id,
          resource: r.name,
          message: `${principalLabel(a.principal)} can rewrite who may access ${resourceLabel(r, c)} (${[...actions].sort().join(', ')})`,
        }
        const location = locationOf(first?.sources[0]?.location)
        if (location !== undefined) finding.location = location
        findings.push(finding)
      }
    }
    return findings.sort((x, y) => x.key.localeCompare(y.key))
  },
}
