/**
 * Ways for a principal to act as another: assume a role (its identity allows sts:AssumeRole on the
 * role and the trust policy admits it; a same-account trust naming it suffices alone), pass a role
 * to a service it can launch (iam:PassRole plus the service's create action), make credentials for
 * a user, or rewrite its own policies.
 */
import { classifyAwsPrincipal } from '../iam/arn.js'
import type { Principal, Resource } from '../model/types.js'
import type { CompiledStatement } from './compile.js'
import type { EvaluationContext } from './context.js'
import { identityAllowNames, identitySignature, signatureCounts } from './grants.js'
import { matchPrincipal } from './principalMatch.js'
import type { AccessEdge } from './types.js'

/** Actions that make a service run a passed role, per service principal (pathfinding.cloud's PassRole methods). */
const LAUNCH_ACTIONS: Record<string, string[]> = {
  'lambda.amazonaws.com': ['lambda:CreateFunction', 'lambda:UpdateFunctionConfiguration'],
  'ec2.amazonaws.com': ['ec2:RunInstances', 'ec2:AssociateIamInstanceProfile'],
  'ecs-tasks.amazonaws.com': ['ecs:RunTask', 'ecs:RegisterTaskDefinition'],
  'codebuild.amazonaws.com': ['codebuild:CreateProject', 'codebuild:UpdateProject'],
  'cloudformation.amazonaws.com': ['cloudformation:CreateStack', 'cloudformation:UpdateStack'],
  'glue.amazonaws.com': ['glue:CreateDevEndpoint', 'glue:CreateJob', 'glue:UpdateJob'],
  'sagemaker.amazonaws.com': [
    'sagemaker:CreateNotebookInstance',
    'sagemaker:CreateTrainingJob',
    'sagemaker:CreateProcessingJob',
  ],
  'states.amazonaws.com': ['states:CreateStateMachine', 'states:UpdateStateMachine'],
  'datapipeline.amazonaws.com': ['datapipeline:CreatePipeline'],
  'elasticbeanstalk.amazonaws.com': ['elasticbeanstalk:CreateEnvironment'],
  'eks.amazonaws.com': ['eks:CreateCluster'],
  'apprunner.amazonaws.com': ['apprunner:CreateService'],
  'bedrock-agentcore.amazonaws.com': ['bedrock-agentcore:CreateCodeInterpreter'],
}

const PASS_ROLE = ['iam:PassRole']
const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML']
const CREDENTIAL_ACTIONS = ['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile']
const SELF_ACTIONS: Record<string, string[]> = {
  role: ['iam:PutRolePolicy', 'iam:AttachRolePolicy'],
  user: ['iam:PutUserPolicy', 'iam:AttachUserPolicy'],
}

/** A role seen as the resource of sts:AssumeRole, with its trust policy as resource policy. */
const roleResources = new WeakMap<Principal, Resource>()

export function roleAsResource(role: Principal): Resource {
  const known = roleResources.get(role)
  if (known !== undefined) return known
  const resource: Resource = {
    id: role.id,
    type: 'AWS::IAM::Role',
    service: 'iam',
    name: role.name,
    arn: role.arn ?? role.id,
    holdsData: false,
  }
  if (role.account !== undefined) resource.account = role.account
  if (role.trustPolicy !== undefined) resource.policy = role.trustPolicy
  roleResources.set(role, resource)
  return resource
}

/**
 * The principals a trust policy can admit, found from what it names instead of by trying every
 * principal: those it names by ARN, the accounts (and services, identity providers) it names, and
 * the IAM principals of a named account that may call sts:AssumeRole at all (the only ones an
 * account-wide trust lets in). A policy naming everyone, a session, or using NotPrincipal: all.
 */
class NamedPrincipals {
  private readonly byArn = new Map<string, number[]>()
  private readonly byName = new Map<string, number[]>()
  private readonly assumersByAccount = new Map<string, number[]>()

  constructor(
    private readonly principals: Principal[],
    mayAssume: (p: Principal) => boolean,
  ) {
    principals.forEach((p, i) => {
      if (p.arn !== undefined) add(this.byArn, p.arn, i)
      // Accounts by id (and canonical user), services and identity providers by name.
      if (p.type === 'account' && p.account !== undefined) add(this.byName, `account\n${p.account}`, i)
      if (p.type === 'account' || p.type === 'federated') add(this.byName, `${p.type}\n${p.name}`, i)
      if (p.type === 'service') add(this.byName, `service\n${p.name.toLowerCase()}`, i)
      const iam = p.type === 'role' || p.type === 'user' || p.type === 'group'
      if (iam && p.account !== undefined && mayAssume(p)) add(this.assumersByAccount, p.account, i)
    })
  }

  /** Positions of the principals the statements' Allows can admit, in order; undefined: any. */
  admittedBy(statements: CompiledStatement[]): number[] | undefined {
    const found = new Set<number>()
    const take = (list: number[] | undefined): void => {
      for (const i of list ?? []) found.add(i)
    }
    for (const s of statements) {
      if (s.effect !== 'Allow') continue
      if (s.principals === undefined) return undefined
      for (const ref of s.principals) {
        if (ref.kind === 'Service') take(this.byName.get(`service\n${ref.value.toLowerCase()}`))
        else if (ref.kind === 'Federated') take(this.byName.get(`federated\n${ref.value}`))
        else if (ref.kind === 'CanonicalUser') take(this.byName.get(`account\n${ref.value}`))
        else {
          const shape = classifyAwsPrincipal(ref.value)
          if (shape.shape === 'public') return undefined
          if (shape.shape === 'iam' && shape.kind === 'assumed-role') return undefined
          if (shape.shape === 'account') {
            take(this.byName.get(`account\n${shape.account}`))
            take(this.assumersByAccount.get(shape.account))
          } else take(this.byArn.get(ref.value))
        }
      }
    }
    return [...found].sort((a, b) => a - b)
  }
}

function add(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key)
  if (list === undefined) map.set(key, [value])
  else list.push(value)
}

/** The conditions (see conditionText) of the trust's Allows that admit the principal to the action. */
function trustConditions(
  ctx: EvaluationContext,
  trust: CompiledStatement[],
  p: Principal,
  action: string,
): string[] {
  const position = ctx.index.positionOf(action)
  const texts = new Set<string>()
  for (const s of trust) {
    if (s.effect !== 'Allow' || s.conditionTexts.length === 0) continue
    if (position === undefined || !s.actions.has(position) || matchPrincipal(s, p) === 'none') continue
    for (const t of s.conditionTexts) texts.add(t)
  }
  return [...texts].sort()
}

export function accessEdges(ctx: EvaluationContext, principals: Principal[]): AccessEdge[] {
  const edges: AccessEdge[] = []
  const isHomeAccount = (p: Principal): boolean =>
    p.type === 'account' && ctx.model.homeAccounts.includes(p.account ?? '')
  // Principals with the same policies, boundary, account and type (roles sharing managed policies)
  // get the same answer to every request that reads no resource policy: asked once.
  const signatureOf = (p: Principal): string => identitySignature(ctx, p)
  // Cheap pre-checks before deciding requests: does any identity Allow name one of the actions?
  // Keyed by the action lists themselves: constants of this module and of LAUNCH_ACTIONS.
  const wantedSets = new Map<string[], number[]>()
  const mayUse = (p: Principal, actions: string[]): boolean => {
    const union = identityAllowNames(ctx, p)
    let wanted = wantedSets.get(actions)
    if (wanted === undefined) {
      wanted = [...ctx.index.ofNames(actions).indices()]
      wantedSets.set(actions, wanted)
    }
    for (const i of wanted) if (union.has(i)) return true
    return false
  }
  // By signature, then resource: the signature strings are shared, so no key is built per request.
  const passAnswers = new Map<string, Map<string, { conditional: boolean } | null>>()
  /** iam:PassRole on a role: the identity side alone decides. */
  // Answers are kept only for signatures shared by several principals: the others ask once anyway.
  const alike = signatureCounts(ctx, principals)
  const mayPass = (p: Principal, role: string): { conditional: boolean } | undefined => {
    const signature = signatureOf(p)
    if (alike.get(signature) === 1) return allowed(p, 'iam:PassRole', role)
    let byRole = passAnswers.get(signature)
    if (byRole === undefined) {
      byRole = new Map()
      passAnswers.set(signature, byRole)
    }
    let answer = byRole.get(role)
    if (answer === undefined) {
      answer = allowed(p, 'iam:PassRole', role) ?? null
      byRole.set(role, answer)
    }
    return answer ?? undefined
  }
  // By service, then signature: what launches the service for principals with the same policies.
  const launchers = new Map<string, Map<string, string | null>>()
  const launchAction = (p: Principal, service: string, launch: string[]): string | undefined => {
    let bySignature = launchers.get(service)
    if (bySignature === undefined) {
      bySignature = new Map()
      launchers.set(service, bySignature)
    }
    const signature = signatureOf(p)
    let run = bySignature.get(signature)
    if (run === undefined) {
      run = mayUse(p, launch) ? (launch.find((a) => allowed(p, a, '*') !== undefined) ?? null) : null
      bySignature.set(signature, run)
    }
    return run ?? undefined
  }
  const allowed = (
    p: Principal,
    action: string,
    resource: string,
    target?: Resource,
  ): { conditional: boolean } | undefined => {
    const decision = ctx.decide(
      target === undefined ? { principal: p, action, resource } : { principal: p, action, resource, target },
    )
    return decision.decision === 'allow' ? { conditional: decision.conditional } : undefined
  }
  const roles = principals.filter((p) => p.type === 'role' && p.trustPolicy !== undefined)
  // Only principals whose identity policies name iam:PassRole can pass a role.
  const passers = principals.filter((p) => p.type !== 'group' && mayUse(p, PASS_ROLE))
  const named = new NamedPrincipals(principals, (p) => mayUse(p, ASSUME_ACTIONS))
  for (const role of roles) {
    const target = roleAsResource(role)
    const trust = ctx.resource(target).policy ?? []
    const assumeDescription = `assume role ${role.name}`
    const candidates = named.admittedBy(trust)
    for (let c = 0; c < (candidates?.length ?? principals.length); c++) {
      const p = principals[candidates === undefined ? c : candidates[c]!]!
      // The home account as a whole stands for its principals, which the tree shows one by one.
      if (p === role || p.type === 'group' || isHomeAccount(p)) continue
      let match: 'none' | 'account' | 'direct' = 'none'
      for (const s of trust) {
        if (s.effect !== 'Allow') continue
        const m = matchPrincipal(s, p)
        if (m === 'direct') {
          match = m
          break
        }
        if (m !== 'none') match = m
      }
      if (match === 'none') continue
      // Named through its account only, it also needs its own identity policies to allow.
      if (match !== 'direct' && !mayUse(p, ASSUME_ACTIONS)) continue
      for (const action of ASSUME_ACTIONS) {
        const ok = allowed(p, action, target.arn, target)
        if (ok === undefined) continue
        const edge: AccessEdge = {
          from: p.id,
          to: role.id,
          kind: 'assume-role',
          actions: [action],
          conditional: ok.conditional,
          description: assumeDescription,
        }
        const conditions = ok.conditional ? trustConditions(ctx, trust, p, action) : []
        if (conditions.length > 0) edge.conditionValues = conditions
        edges.push(edge)
        break
      }
    }
    const services = trust
      .flatMap((s) => (s.effect === 'Allow' ? (s.principals ?? []) : []))
      .filter((r) => r.kind === 'Service')
    for (const service of new Set(services.map((s) => s.value.toLowerCase()))) {
      const launch = LAUNCH_ACTIONS[service]
      if (launch === undefined) continue
      // Per launch action, the words and actions every edge to this role shares.
      const told = new Map<string, { description: string; actions: string[] }>()
      for (let k = 0; k < passers.length; k++) {
        const p = passers[k]!
        // A principal can pass only the roles of its own account (AWS's rule for iam:PassRole).
        if (p === role || p.account !== role.account) continue
        const pass = mayPass(p, target.arn)
        if (pass === undefined) continue
        const run = launchAction(p, service, launch)
        if (run === undefined) continue
        let words = told.get(run)
        if (words === undefined) {
          words = {
            description: `pass role ${role.name} to ${service.split('.')[0]} (${run})`,
            actions: ['iam:PassRole', run],
          }
          told.set(run, words)
        }
        edges.push({
          from: p.id,
          to: role.id,
          kind: 'pass-role',
          actions: words.actions,
          conditional: pass.conditional,
          description: words.description,
        })
      }
    }
  }
  const minters = principals.filter((p) => p.type !== 'group' && mayUse(p, CREDENTIAL_ACTIONS))
  for (const user of principals.filter((p) => p.type === 'user' && p.arn !== undefined)) {
    for (const p of minters) {
      const action = CREDENTIAL_ACTIONS.find((a) => allowed(p, a, user.arn!) !== undefined)
      if (action === undefined) continue
      if (p === user) continue
      edges.push({
        from: p.id,
        to: user.id,
        kind: 'user-credentials',
        actions: [action],
        conditional: false,
        description: `${action} for user ${user.name}`,
      })
    }
  }
  for (const p of principals) {
    const actions = SELF_ACTIONS[p.type]
    if (actions === undefined || p.arn === undefined || !mayUse(p, actions)) continue
    const action = actions.find((a) => allowed(p, a, p.arn!) !== undefined)
    if (action === undefined) continue
    edges.push({
      from: p.id,
      to: p.id,
      kind: 'self-modification',
      actions: [action],
      conditional: false,
      description: `change its own policies (${action})`,
    })
  }
  return edges
}
