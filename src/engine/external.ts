/**
 * Principals outside the tree, as resource and trust policies name them: other accounts (and
 * roles or users in them), the home account itself, AWS services, identity providers, the public.
 * Their own identity policies cannot be seen: an external account or IAM principal is assumed to
 * allow itself everything, so it gets exactly what the tree's resource policies open to it.
 */
import { classifyAwsPrincipal, iamResourceName } from '../iam/arn.js'
import { parsePolicy } from '../iam/policy.js'
import type { Model, Policy, Principal } from '../model/types.js'

const UNSEEN_IDENTITY: Policy = {
  id: '(identity policies outside the tree)',
  name: 'identity policies outside the tree',
  origin: 'inline',
  document: parsePolicy({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
  }).policy,
}

/** Anyone at all, signed or not. */
export function publicPrincipal(): Principal {
  return { id: '*', type: 'public', name: 'everyone (public)', policies: [] }
}

export function externalPrincipals(model: Model): Principal[] {
  const known = new Set<string>()
  for (const p of model.principals) {
    known.add(p.id)
    if (p.arn !== undefined) known.add(p.arn)
  }
  const found = new Map<string, Principal>()
  const policies = [
    ...model.resources.flatMap((r) => (r.policy === undefined ? [] : [r.policy])),
    ...model.principals.flatMap((p) => (p.trustPolicy === undefined ? [] : [p.trustPolicy])),
  ]
  for (const policy of policies) {
    for (const statement of policy.document.statements) {
      for (const ref of [...(statement.principal ?? []), ...(statement.notPrincipal ?? [])]) {
        const principal = principalFor(ref.kind, ref.value, model.homeAccounts)
        if (principal !== undefined && !known.has(principal.id) && !found.has(principal.id)) {
          found.set(principal.id, principal)
        }
      }
    }
  }
  // Public ACLs and function URLs without auth open resources to everyone without any policy.
  if (model.resources.some((r) => r.publicAccess !== undefined) && !found.has('*') && !known.has('*')) {
    found.set('*', publicPrincipal())
  }
  return [...found.values()].sort((a, b) => a.id.localeCompare(b.id))
}

function principalFor(kind: string, value: string, homeAccounts: string[]): Principal | undefined {
  if (kind === 'Service') return { id: value, type: 'service', name: value, policies: [] }
  if (kind === 'Federated') return { id: value, type: 'federated', name: value, policies: [] }
  if (kind === 'CanonicalUser')
    return { id: `canonical:${value}`, type: 'account', name: value, policies: [] }
  const shape = classifyAwsPrincipal(value)
  switch (shape.shape) {
    case 'public':
      return publicPrincipal()
    case 'account': {
      const home = homeAccounts.includes(shape.account)
      return {
        id: `arn:${shape.partition ?? 'aws'}:iam::${shape.account}:root`,
        type: 'account',
        name: home ? `account ${shape.account} (home)` : `account ${shape.account}`,
        arn: `arn:${shape.partition ?? 'aws'}:iam::${shape.account}:root`,
        account: shape.account,
        // The home account's own IAM is in the tree; only other accounts' side is unseen.
        policies: home ? [] : [UNSEEN_IDENTITY],
      }
    }
    case 'iam': {
      // A home-account role defined elsewhere still gets what resource policies open to it directly.
      const home = homeAccounts.includes(shape.arn.account)
      const type = shape.kind === 'user' ? 'user' : 'role'
      return {
        id: value,
        type,
        name: iamResourceName(shape.arn),
        arn: value,
        account: shape.arn.account,
        policies: home ? [] : [UNSEEN_IDENTITY],
      }
    }
    case 'unknown':
      return undefined
  }
}
