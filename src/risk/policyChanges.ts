/**
 * The policy documents that changed between base and head, as the loaders resolved them
 * (variables and references filled in), pretty-printed for the comment's unified diff. A textual
 * diff of the IaC cannot show what a `jsonencode(...)` or `!Sub` finally says; this can.
 */
import { policyToJson } from '../iam/policy.js'
import type { Model, Policy } from '../model/types.js'
import type { PolicyChange } from '../report/contract.js'
import { locationOf } from './words.js'

interface Written {
  name: string
  policy: Policy
}

/** Every policy of a model by id, named as a reader knows it; AWS managed ones never change here. */
function writtenPolicies(model: Model): Map<string, Written> {
  const out = new Map<string, Written>()
  const add = (policy: Policy, name: string): void => {
    if (policy.origin === 'aws-managed') return
    // A policy held twice is named after its first holder in name order, whatever the model's order.
    const held = out.get(policy.id)
    if (held === undefined || name < held.name) out.set(policy.id, { name, policy })
  }
  for (const p of model.principals) {
    const owner = `${p.type}/${p.name}`
    for (const policy of p.policies)
      add(
        policy,
        policy.origin === 'inline' ? `${owner} inline ${policy.name}` : `${policy.origin} ${policy.name}`,
      )
    if (p.boundary !== undefined) add(p.boundary, `${owner} boundary ${p.boundary.name}`)
    if (p.trustPolicy !== undefined) add(p.trustPolicy, `${owner} trust policy`)
  }
  for (const r of model.resources) if (r.policy !== undefined) add(r.policy, `${r.name} resource policy`)
  for (const o of model.serviceControlPolicies) add(o.policy, `SCP ${o.policy.name}`)
  for (const o of model.resourceControlPolicies) add(o.policy, `RCP ${o.policy.name}`)
  return out
}

const text = (p: Policy): string => JSON.stringify(policyToJson(p.document), null, 2)

export function policyChanges(base: Model, head: Model): PolicyChange[] {
  const before = writtenPolicies(base)
  const after = writtenPolicies(head)
  const changes: PolicyChange[] = []
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const b = before.get(id)
    const h = after.get(id)
    const change: PolicyChange = {
      name: (h ?? b)!.name,
      base: b === undefined ? null : text(b.policy),
      head: h === undefined ? null : text(h.policy),
    }
    if (change.base === change.head) continue
    const location = locationOf((h ?? b)!.policy.location)
    if (location !== undefined) change.location = location
    changes.push(change)
  }
  return changes.sort((x, y) => x.name.localeCompare(y.name))
}
