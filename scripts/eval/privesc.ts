/**
 * The `privilege-escalation` rule on BishopFox/iam-vulnerable (INDEX.md section 1): every principal
 * of the 31 privesc paths and of fn1-fn4 must be flagged, no principal of fp1-fp5.
 *
 * The tree is loaded as deployed by default: the root `main.tf`, which calls the free-resources
 * modules (privesc-paths, tool-testing); the non-free modules are commented out there, so their
 * folders are left out. Cases are the files; a case's principals are the roles and users its file
 * defines, except privesc-AssumeRole, whose principals are the chain's starting points
 * (start-user, starting-role). privesc2 (iam:SetDefaultPolicyVersion) has no pathfinding.cloud id:
 * the rule checks it as method `iam-setdefaultpolicyversion`, documented in docs.
 *
 *   npx tsx scripts/eval/privesc.ts [CORPUS_DIR]
 */
import { join } from 'node:path'
import { effectiveAccess } from '../../src/engine/access.js'
import { loadTerraform } from '../../src/iac/terraform/index.js'
import type { Snapshot } from '../../src/iac/types.js'
import type { PolicyDocument } from '../../src/iam/types.js'
import type { Model, Principal } from '../../src/model/types.js'
import { privilegeEscalation } from '../../src/risk/rules/privilege-escalation.js'
import type { Classification } from '../../src/risk/types.js'
import { folderSnapshot } from '../../src/source/folder.js'

const PATHS = 'modules/free-resources/privesc-paths/'
const TOOLS = 'modules/free-resources/tool-testing/'
/** Files of privesc-paths that hold targets and shared pieces, not paths. */
const NOT_PATHS = new Set(['service-linked-role-common.tf', 'sre.tf', 'variables.tf'])
const ASSUME_ROLE_STARTS = new Set(['privesc-AssumeRole-start-user', 'privesc-AssumeRole-starting-role'])

export interface IamVulnerableResult {
  lines: string[]
  recall: number
  expected: number
  falsePositives: number
  fpCases: number
}

/** Only what `main.tf` deploys by default. */
function deployed(snapshot: Snapshot): Snapshot {
  const paths = snapshot
    .paths()
    .filter((p) => p === 'main.tf' || p === 'variables.tf' || p.startsWith('modules/free-resources/'))
  const known = new Set(paths)
  return { ...snapshot, paths: () => paths, read: (p) => (known.has(p) ? snapshot.read(p) : undefined) }
}

function caseOf(p: Principal): { file: string; kind: 'path' | 'fn' | 'fp' } | undefined {
  const file = p.location?.file
  if (file === undefined) return undefined
  const name = file.split('/').pop()!
  if (file.startsWith(PATHS) && !NOT_PATHS.has(name)) {
    if (name === 'privesc-AssumeRole.tf' && !ASSUME_ROLE_STARTS.has(p.name)) return undefined
    return { file: name, kind: 'path' }
  }
  if (file.startsWith(TOOLS) && /^f[np]\d/.test(name))
    return { file: name, kind: name.startsWith('fn') ? 'fn' : 'fp' }
  return undefined
}

const unclassified = (): Classification => ({ level: 'unclassified', value: null, confidential: false })

export async function evalIamVulnerable(corpusDir: string): Promise<IamVulnerableResult> {
  const dir = join(corpusDir, 'iam-vulnerable')
  const { model } = await loadTerraform(deployed(folderSnapshot(dir)))
  const access = effectiveAccess(model)
  const findings = privilegeEscalation.check({
    model,
    access,
    config: {} as never,
    classify: unclassified,
  })
  const methodsOf = new Map<string, string[]>()
  for (const f of findings)
    methodsOf.set(f.principal ?? '', [...(methodsOf.get(f.principal ?? '') ?? []), f.method ?? ''])
  const cases = new Map<string, { kind: 'path' | 'fn' | 'fp'; principals: Principal[] }>()
  for (const p of model.principals) {
    if (p.type !== 'user' && p.type !== 'role') continue
    const c = caseOf(p)
    if (c === undefined) continue
    const entry = cases.get(c.file) ?? { kind: c.kind, principals: [] }
    entry.principals.push(p)
    cases.set(c.file, entry)
  }
  const lines: string[] = []
  let recalled = 0
  let expected = 0
  let falsePositives = 0
  let fpCases = 0
  for (const [file, c] of [...cases.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const flagged = c.principals.filter((p) => methodsOf.has(p.name))
    if (c.kind === 'fp') {
      fpCases++
      if (flagged.length > 0) {
        falsePositives++
        for (const p of flagged)
          lines.push(`  false positive ${file}: ${p.name} (${methodsOf.get(p.name)!.join(', ')})`)
      }
      continue
    }
    expected++
    if (flagged.length === c.principals.length) recalled++
    for (const p of c.principals.filter((x) => !methodsOf.has(x.name)))
      lines.push(`  miss ${file}: ${p.name} (${missReason(p, model)})`)
  }
  const principalsFlagged = [...cases.values()]
    .filter((c) => c.kind !== 'fp')
    .reduce((n, c) => n + c.principals.filter((p) => methodsOf.has(p.name)).length, 0)
  const principalsExpected = [...cases.values()]
    .filter((c) => c.kind !== 'fp')
    .reduce((n, c) => n + c.principals.length, 0)
  lines.unshift(
    `iam-vulnerable privilege escalation: ${recalled}/${expected} cases flagged (${principalsFlagged}/${principalsExpected} principals), ` +
      `${falsePositives}/${fpCases} fp cases flagged, ${findings.length} findings`,
  )
  return { lines, recall: expected === 0 ? 0 : recalled / expected, expected, falsePositives, fpCases }
}

/** Values that the Allow statements of a policy name as principals. */
function namedPrincipals(doc: PolicyDocument | undefined): string[] {
  return (doc?.statements ?? [])
    .filter((s) => s.effect === 'Allow')
    .flatMap((s) => (s.principal ?? []).map((r) => r.value))
}

/**
 * Why a principal of a case has no method: said from the model. A principal without identity
 * policies or groups may call no action at all (not even sts:AssumeRole), unless a trust or
 * resource policy names it by its ARN; when none does, the roles of its file say whom they trust.
 */
export function missReason(p: Principal, model: Model): string {
  if (p.policies.length > 0 || (p.groups ?? []).length > 0) return 'no method found with its permissions'
  const arn = p.arn ?? p.id
  const namedBy = [
    ...model.principals
      .filter((r) => namedPrincipals(r.trustPolicy?.document).includes(arn))
      .map((r) => r.name),
    ...model.resources.filter((r) => namedPrincipals(r.policy?.document).includes(arn)).map((r) => r.name),
  ]
  if (namedBy.length > 0)
    return `no method found through ${namedBy.join(', ')}, which name${namedBy.length === 1 ? 's' : ''} it`
  const inTree = new Set(model.principals.flatMap((x) => [x.id, x.arn ?? x.id]))
  const entries = model.principals
    .filter((r) => r.type === 'role' && r.location?.file === p.location?.file)
    .map((r) => ({
      role: r.name,
      from: namedPrincipals(r.trustPolicy?.document).filter((v) => !inTree.has(v)),
    }))
    .filter((e) => e.from.length > 0)
    .map((e) => `${e.role} trusts only ${e.from.join(', ')}`)
  return (
    'no identity policy and no group, so it may call no action, not even sts:AssumeRole; ' +
    `no trust or resource policy of the tree names it${entries.length > 0 ? ` (${entries.join('; ')})` : ''}`
  )
}

if (process.argv[1]?.endsWith('privesc.ts')) {
  const result = await evalIamVulnerable(process.argv[2] ?? '../shared/corpus')
  for (const line of result.lines) process.stdout.write(`${line}\n`)
}
