/**
 * The privilege-escalation methods as the rule checks them: pathfinding.cloud's paths, turned by
 * scripts/build-privesc-methods.ts into required actions on a kind of target, plus the
 * prerequisites that the code of a tree can show. data/privesc-methods.json is that output.
 */
import { readFileSync } from 'node:fs'

/**
 * What the key actions of a method are requested on.
 * - `self`: the principal itself (its own inline or attached policies).
 * - `attached-policy`: a customer-managed policy attached to the principal or to one of its groups.
 * - `own-group`: a group the principal (a user) belongs to.
 * - `user`, `role`, `group`: another principal of the tree of that type (never AWS-managed).
 * - `passable-role`: a role of the tree that trusts one of `services`, passed with iam:PassRole.
 * - `resource`: an existing resource of `resourceService` (any, or one of the tree) that runs a role.
 * - `assume-chain`: roles reachable with sts:AssumeRole, one or more hops.
 */
export type TargetKind =
  | 'self'
  | 'attached-policy'
  | 'own-group'
  | 'user'
  | 'role'
  | 'group'
  | 'passable-role'
  | 'resource'
  | 'assume-chain'

export interface MethodAction {
  action: string
  /** `target`: on the target; `target-policy`: on a customer-managed policy attached to the target role; `any`: on `*`. */
  on: 'target' | 'target-policy' | 'any'
}

export interface PrivescMethod {
  id: string
  name: string
  category: string
  /** The method this one extends by removing a prerequisite; reported only when the parent is not. */
  parent?: string
  target: TargetKind
  actions: MethodAction[]
  /** Principal types that can use the method on themselves (self-escalation). */
  principalTypes?: ('user' | 'role')[]
  /** `passable-role`: the service principals the role must trust (any of them). */
  services?: string[]
  /** `resource`: the ARN service of the existing resources. */
  resourceService?: string
  /** The actor writes arbitrary permissions (policy versions, inline or attached policies). */
  writesPolicy: boolean
  /** Prerequisites as pathfinding.cloud words them, for the admin outcome. */
  prerequisites: string[]
  /** Prerequisites a tree of code cannot show (key counts, login profiles, instance state): assumed to hold. */
  assumed: string[]
  /** Where the definition comes from: `pathfinding.cloud`, or `access-diff` for our additions. */
  source: 'pathfinding.cloud' | 'access-diff'
}

export interface PrivescMethodsFile {
  source: { repository: string; commit: string; license: string }
  methods: PrivescMethod[]
}

let cached: PrivescMethodsFile | undefined

/** The committed data file, read once. */
export function privescMethods(): PrivescMethodsFile {
  cached ??= JSON.parse(
    readFileSync(new URL('../../../../data/privesc-methods.json', import.meta.url), 'utf8'),
  ) as PrivescMethodsFile
  return cached
}
