/**
 * Builds `data/privesc-methods.json`, the privilege-escalation methods the `privilege-escalation`
 * rule checks, from pathfinding.cloud's YAML (DataDog/pathfinding.cloud, Apache-2.0).
 *
 *   npx tsx scripts/build-privesc-methods.ts [CORPUS_DIR]            # (re)write the data file
 *   npx tsx scripts/build-privesc-methods.ts [CORPUS_DIR] --check    # compare with the file
 *
 * CORPUS_DIR is the corpus folder given to `npm run eval` with --corpus; the YAML is under
 * taxonomy/pathfinding.cloud/data/paths.
 * Required actions and prerequisites come from the YAML; what each action is requested on (the
 * target kind) is derived from the category and the prerequisites' words, with the explicit table
 * below where words do not say it. The build fails on a method it cannot place, so a new upstream
 * path is never silently dropped. Output is sorted by id, with a fixed key order.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import type {
  MethodAction,
  PrivescMethod,
  PrivescMethodsFile,
  TargetKind,
} from '../src/risk/rules/privilegeEscalation/methods.js'

const COMMIT = '84dd65c97fc21dee54f4587be6dfd5b7b5fe320c'
const OUT_FILE = fileURLToPath(new URL('../data/privesc-methods.json', import.meta.url))

interface Shape {
  target: TargetKind
  /** Actions requested on `*` rather than on the target (default: none). */
  any?: string[]
  /** Actions requested on a customer-managed policy attached to the target role. */
  targetPolicy?: string[]
  principalTypes?: ('user' | 'role')[]
  services?: string[]
  resourceService?: string
  writesPolicy?: boolean
  assumed?: string[]
}

const KEYS_AND_PROFILES = 'the target user has a free access-key slot or login-profile state as needed'
/** Where the YAML's words do not say what the actions are requested on. */
const SHAPES: Record<string, Shape> = {
  'iam-001': { target: 'attached-policy', writesPolicy: true },
  'iam-002': { target: 'user', assumed: [KEYS_AND_PROFILES] },
  'iam-003': { target: 'user', assumed: [KEYS_AND_PROFILES] },
  'iam-004': { target: 'user', assumed: [KEYS_AND_PROFILES] },
  'iam-005': { target: 'self', principalTypes: ['role'], writesPolicy: true },
  'iam-006': { target: 'user', assumed: [KEYS_AND_PROFILES] },
  'iam-007': { target: 'self', principalTypes: ['user'], writesPolicy: true },
  'iam-008': { target: 'self', principalTypes: ['user'], writesPolicy: true },
  'iam-009': { target: 'self', principalTypes: ['role'], writesPolicy: true },
  'iam-010': { target: 'own-group', principalTypes: ['user'], writesPolicy: true },
  'iam-011': { target: 'own-group', principalTypes: ['user'], writesPolicy: true },
  'iam-012': { target: 'role' },
  'iam-013': { target: 'group' },
  'iam-014': { target: 'role', writesPolicy: true },
  'iam-015': { target: 'user', writesPolicy: true, assumed: [KEYS_AND_PROFILES] },
  'iam-016': { target: 'role', targetPolicy: ['iam:CreatePolicyVersion'], writesPolicy: true },
  'iam-017': { target: 'role', writesPolicy: true },
  'iam-018': { target: 'user', writesPolicy: true, assumed: [KEYS_AND_PROFILES] },
  'iam-019': { target: 'role', writesPolicy: true },
  'iam-020': { target: 'role', targetPolicy: ['iam:CreatePolicyVersion'], writesPolicy: true },
  'iam-021': { target: 'role', writesPolicy: true },
  'sts-001': { target: 'assume-chain' },
  // StackSets: the administration role is passed to CloudFormation.
  'cloudformation-004': { target: 'passable-role', services: ['cloudformation.amazonaws.com'] },
  // Change sets on an existing stack run with the stack's service role: no PassRole.
  'cloudformation-005': { target: 'resource', resourceService: 'cloudformation' },
  // Instance-bound methods are requested on EC2 instances.
  'ec2instanceconnect-003': { target: 'resource', resourceService: 'ec2', any: ['ec2:DescribeInstances'] },
  'ssm-001': { target: 'resource', resourceService: 'ec2' },
  'ssm-002': { target: 'resource', resourceService: 'ec2' },
}

/** Not in pathfinding.cloud: iam-vulnerable's privesc2 (roll a policy back to an older version). */
const EXTRA: PrivescMethod[] = [
  {
    id: 'iam-setdefaultpolicyversion',
    name: 'iam:SetDefaultPolicyVersion',
    category: 'self-escalation',
    target: 'attached-policy',
    actions: [{ action: 'iam:SetDefaultPolicyVersion', on: 'target' }],
    writesPolicy: false,
    prerequisites: [
      "Policy must already be attached to the actor's user, role, or group",
      'The policy must have a stored non-default version with broader permissions',
    ],
    assumed: ['the policy has a stored non-default version (IaC shows only the current one)'],
    source: 'access-diff',
  },
]

interface PathYaml {
  id: string
  name: string
  category: string
  parent?: { id: string }
  permissions: { required: { permission: string }[] }
  prerequisites?: string[] | { admin?: string[]; lateral?: string[] } | null
}

function prerequisitesOf(y: PathYaml): string[] {
  const p = y.prerequisites
  if (p === undefined || p === null) return []
  return Array.isArray(p) ? p : (p.admin ?? p.lateral ?? [])
}

function toMethod(y: PathYaml): PrivescMethod {
  const prerequisites = prerequisitesOf(y)
  const required = y.permissions.required.map((r) => r.permission)
  let shape = SHAPES[y.id]
  if (shape === undefined && required.includes('iam:PassRole')) {
    const services = [
      ...new Set(
        prerequisites.flatMap((t) =>
          [...t.matchAll(/([a-z0-9-]+(?:\.[a-z0-9-]+)*\.amazonaws\.com)/g)].map((m) => m[1]!),
        ),
      ),
    ].sort()
    if (services.length > 0) shape = { target: 'passable-role', services }
  } else if (shape === undefined && y.category === 'existing-passrole') {
    shape = { target: 'resource', resourceService: required[0]!.split(':')[0]! }
  }
  if (shape === undefined) throw new Error(`${y.id}: no target kind; add it to SHAPES`)
  const onTarget = (a: string): MethodAction['on'] => {
    if (shape.targetPolicy?.includes(a)) return 'target-policy'
    if (shape.any?.includes(a)) return 'any'
    if (shape.target === 'passable-role') return a === 'iam:PassRole' ? 'target' : 'any'
    if (shape.target === 'assume-chain') return 'target'
    return 'target'
  }
  const method: PrivescMethod = {
    id: y.id,
    name: y.name.replace(/\s*\+\s*/g, '+'),
    category: y.category,
    target: shape.target,
    actions: required.map((action) => ({ action, on: onTarget(action) })),
    writesPolicy: shape.writesPolicy ?? false,
    prerequisites,
    assumed: shape.assumed ?? assumedOf(shape.target, prerequisites),
    source: 'pathfinding.cloud',
  }
  if (y.parent !== undefined) method.parent = y.parent.id
  if (shape.principalTypes !== undefined) method.principalTypes = shape.principalTypes
  if (shape.services !== undefined) method.services = shape.services
  if (shape.resourceService !== undefined) method.resourceService = shape.resourceService
  return method
}

/** Words of prerequisites about running state and attachments that code does not show. */
function assumedOf(target: TargetKind, prerequisites: string[]): string[] {
  if (target === 'resource') return ['an existing resource of the kind runs with a privileged role']
  return prerequisites.filter((p) =>
    /instance profile|must be running|must exist in the account|VPC/i.test(p),
  )
}

function build(corpusDir: string): PrivescMethodsFile {
  const root = join(corpusDir, 'taxonomy', 'pathfinding.cloud', 'data', 'paths')
  const methods: PrivescMethod[] = [...EXTRA]
  for (const service of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, service)).sort()) {
      if (!file.endsWith('.yaml')) continue
      methods.push(
        toMethod(parse(readFileSync(join(root, service, file), 'utf8'), { uniqueKeys: false }) as PathYaml),
      )
    }
  }
  methods.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return {
    source: {
      repository: 'https://github.com/DataDog/pathfinding.cloud',
      commit: COMMIT,
      license: 'Apache-2.0',
    },
    methods,
  }
}

const args = process.argv.slice(2)
const corpus = args.find((a) => !a.startsWith('--')) ?? '../shared/corpus'
const text = `${JSON.stringify(build(corpus), null, 2)}\n`
if (args.includes('--check')) {
  const same = readFileSync(OUT_FILE, 'utf8') === text
  process.stdout.write(
    same ? 'data/privesc-methods.json is up to date\n' : 'data/privesc-methods.json differs\n',
  )
  process.exit(same ? 0 : 1)
}
writeFileSync(OUT_FILE, text)
process.stdout.write(`wrote ${OUT_FILE}\n`)
