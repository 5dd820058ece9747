/**
 * Real Terraform as an oracle: `terraform plan` and `apply` run offline against moto, a local AWS
 * API emulator, on several trees (a fixture, iam-vulnerable's privilege-escalation paths, two
 * CloudGoat scenarios, a terraform-iam-policy-validator test, a generated tree), and the access
 * computed from HCL alone must equal the
 * access computed from the state real Terraform applied. Every difference left is listed with
 * its cause. Skips where terraform, moto_server or the provider mirror is absent (`.ci/run`
 * makes it mandatory). The corpus trees are read from ACCESS_DIFF_CORPUS (default as in
 * .ci/run); a tree whose folder is absent is skipped, with a warning.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { effectiveAccess } from '../../../src/engine/access.js'
import type { AccessMap } from '../../../src/engine/types.js'
import { loadTerraform, loadTerraformPlan } from '../../../src/iac/terraform/index.js'
import type { LoaderOptions, LoadResult, Snapshot } from '../../../src/iac/types.js'
import type { AccessKey } from '../../../src/model/types.js'
import { folderSnapshot } from '../../../src/source/folder.js'
import {
  MOTO_ACCOUNT,
  type Moto,
  missingTools,
  startMoto,
  type TerraformRun,
  type TerraformTree,
  terraformRun,
} from '../../support/moto.js'
import { generateTree } from './generate.js'
import { FIXTURES } from './helpers.js'

const required = process.env.ACCESS_DIFF_REQUIRE_TERRAFORM === '1'
const missing = required ? undefined : missingTools()
if (missing !== undefined) console.warn(`Skipping the real-Terraform check against moto: it ${missing}.`)

const CORPUS = resolve(
  process.env.ACCESS_DIFF_CORPUS ?? join(import.meta.dirname, '../../../../shared/corpus'),
)
const IAM_VULNERABLE = join(CORPUS, 'iam-vulnerable')
const CLOUDGOAT = join(CORPUS, 'cloudgoat/cloudgoat/scenarios/aws')
const POLICY_VALIDATOR = join(CORPUS, 'terraform-iam-policy-validator/iam_check/test')

/** The provider version of the mirror, for trees that ask for another one. */
const VERSIONS_OVERRIDE =
  'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n      version = "5.100.0"\n    }\n  }\n}\n'
const PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n'

/** The principal every iam-vulnerable role trusts (the deployer, a variable upstream). */
const DEPLOYER = `arn:aws:iam::${MOTO_ACCOUNT}:user/deployer`
const CLOUDGOAT_VARS = 'profile      = "moto"\ncgid         = "oracle"\ncg_whitelist = ["127.0.0.1/32"]\n'

interface Case {
  name: string
  /** Where the tree comes from, for the skip message; undefined when generated. */
  source?: string
  tree: TerraformTree
  /** Loader options beyond the home account (for HCL). */
  options?: LoaderOptions
  /** Principals from HCL, at least. */
  minPrincipals: number
  /**
   * Tuples that HCL and the applied state are known to disagree on, with the cause; every other
   * difference fails the test.
   */
  known?: { onlyInHcl?: string[]; onlyInState?: string[]; cause: string }
}

const CASES: Case[] = [
  {
    name: 'fixture moto (role, bucket policy, user in a group)',
    tree: { copy: { '.': join(FIXTURES, 'moto') }, apply: true },
    minPrincipals: 3,
  },
  {
    // The upstream root (main.tf) with its two free modules; the non-free ones are commented out
    // upstream and not copied. The provider constraint (~> 6.0) is overridden to the mirror's.
    name: 'iam-vulnerable (privesc-paths and tool-testing modules)',
    source: IAM_VULNERABLE,
    tree: {
      copy: {
        'main.tf': join(IAM_VULNERABLE, 'main.tf'),
        'variables.tf': join(IAM_VULNERABLE, 'variables.tf'),
        'modules/free-resources': join(IAM_VULNERABLE, 'modules/free-resources'),
      },
      files: {
        'terraform.tfvars': `aws_assume_role_arn = "${DEPLOYER}"\n`,
        'versions_override.tf': VERSIONS_OVERRIDE,
      },
      apply: true,
    },
    minPrincipals: 70,
  },
  {
    name: 'CloudGoat iam_enum_basics',
    source: join(CLOUDGOAT, 'iam_enum_basics/terraform'),
    // Every policy is known at plan time (no attribute computed by the provider): no apply.
    tree: {
      copy: { '.': join(CLOUDGOAT, 'iam_enum_basics/terraform') },
      files: { 'terraform.tfvars': CLOUDGOAT_VARS },
    },
    minPrincipals: 3,
  },
  {
    // Its variables in a var file named on the command line and, for HCL, in the loader options.
    name: 'CloudGoat lambda_privesc',
    source: join(CLOUDGOAT, 'lambda_privesc/terraform'),
    tree: {
      copy: { '.': join(CLOUDGOAT, 'lambda_privesc/terraform') },
      files: { 'vars/oracle.tfvars': CLOUDGOAT_VARS },
      varFiles: ['vars/oracle.tfvars'],
      apply: true,
    },
    options: { terraformVarFiles: { '.': ['vars/oracle.tfvars'] } },
    minPrincipals: 3,
  },
  {
    // A bucket whose policy names an account, a user with an inline policy and an access key.
    name: 'terraform-iam-policy-validator multiple_policies',
    source: join(POLICY_VALIDATOR, 'multiple_policies'),
    tree: {
      copy: { '.': join(POLICY_VALIDATOR, 'multiple_policies') },
      files: { 'main.tf': PROVIDER, 'versions_override.tf': VERSIONS_OVERRIDE },
      // Every policy is known at plan time: no apply.
    },
    minPrincipals: 1,
  },
  {
    name: 'generated tree (seed 7)',
    tree: { files: generateTree(7, 'gen7').files, apply: true },
    minPrincipals: 5,
  },
]

const options: LoaderOptions = { homeAccount: MOTO_ACCOUNT }

/** The tree as the loader sees it: without the override files that point the provider at moto. */
function hclSnapshot(dir: string): Snapshot {
  const s = folderSnapshot(dir)
  const keep = (p: string): boolean => !p.endsWith('moto_override.tf')
  return { paths: () => s.paths().filter(keep), read: (p) => (keep(p) ? s.read(p) : undefined) }
}

/**
 * Principals as `type name arn tags keys`, sorted. A state's JSON has no configuration, so which
 * output reads a key's secret is known from HCL and plans only: `exposure` false leaves it out.
 */
function principals(result: LoadResult, exposure = true): string[] {
  return result.model.principals
    .map((p) => `${p.type} ${p.name} ${p.arn ?? '-'} ${tags(p.tags)}${keys(p.accessKeys, exposure)}`)
    .sort()
}

/** Access keys as `address status (secret in ...)`; locations differ between HCL and JSON. */
function keys(k: AccessKey[] | undefined, exposure: boolean): string {
  return (k ?? [])
    .map(
      (x) =>
        ` key ${x.address} ${x.status}${exposure ? ` (secret in ${x.secretExposure?.detail ?? '-'})` : ''}`,
    )
    .join('')
}

function tags(t: Record<string, string> | undefined): string {
  return JSON.stringify(Object.entries(t ?? {}).sort())
}

/** Resources as `address arn tags`, sorted, the state's ARNs that only AWS chooses written as HCL's. */
function resources(result: LoadResult, renames = new Map<string, string>()): string[] {
  return result.model.resources
    .map((r) => `${r.address ?? r.id} ${renames.get(r.arn ?? '') ?? r.arn ?? '-'} ${tags(r.tags)}`)
    .sort()
}

/** Whether `covering` (HCL) grants `tuple`: the same, or the same capability on any service or resource. */
function covered(tuple: string, covering: Set<string>): boolean {
  const [principal, service, capability, resource] = tuple.split(' ')
  for (const s of [service, '*'])
    for (const r of [resource, '*']) if (covering.has(`${principal} ${s} ${capability} ${r}`)) return true
  return false
}

/**
 * Identifiers that only AWS chooses (a KMS key's id): HCL knows them as symbols, the state as
 * values. Resources with the same address are matched, and the state's ARN written as HCL's.
 */
function symbolsOf(hcl: LoadResult, real: LoadResult): Map<string, string> {
  const byAddress = new Map(hcl.model.resources.map((r) => [r.address, r.arn]))
  const renames = new Map<string, string>()
  for (const r of real.model.resources) {
    const symbolic = byAddress.get(r.address)
    if (r.arn && symbolic && symbolic !== r.arn && symbolic.includes('${')) renames.set(r.arn, symbolic)
  }
  return renames
}

/** Effective access as `principal service capability resource` tuples, sorted and unique. */
function access(map: AccessMap, renames = new Map<string, string>()): string[] {
  const tuples = new Set<string>()
  for (const p of map.principals)
    for (const g of p.grants) {
      const resource = renames.get(g.resource) ?? g.resource
      tuples.add(`${p.principal.name} ${g.service} ${g.capability} ${resource}`)
    }
  return [...tuples].sort()
}

/** Who can access each resource of the tree, keyed by the resource's address. */
function whoCan(map: AccessMap): string[] {
  const rows = new Set<string>()
  for (const r of map.resources)
    for (const w of r.whoCan)
      for (const c of w.capabilities) rows.add(`${r.resource.address ?? r.resource.id} ${w.principal} ${c}`)
  return [...rows].sort()
}

function difference(hcl: string[], real: string[]): { onlyInHcl: string[]; onlyInState: string[] } {
  const h = new Set(hcl)
  const s = new Set(real)
  return { onlyInHcl: hcl.filter((t) => !s.has(t)), onlyInState: real.filter((t) => !h.has(t)) }
}

interface Outcome {
  hcl: LoadResult
  planned: LoadResult
  applied: LoadResult
  run: TerraformRun
}

describe.skipIf(missing !== undefined)('HCL and real Terraform agree (terraform plan/apply on moto)', () => {
  let moto: Moto | undefined
  const outcomes = new Map<string, Outcome>()
  // The corpus is optional, as for the evaluation in .ci/run: its trees are skipped, and said so.
  const absent = CASES.filter((c) => c.source !== undefined && !existsSync(c.source))
  if (absent.length > 0)
    console.warn(
      `Real-Terraform check: no corpus at ${CORPUS}; skipped ${absent.map((c) => c.name).join(', ')}.`,
    )
  // ACCESS_DIFF_ORACLE_ONLY=<part of a name> runs only the trees whose name contains it.
  const only = process.env.ACCESS_DIFF_ORACLE_ONLY
  const cases = CASES.filter((c) => !absent.includes(c) && (only === undefined || c.name.includes(only)))
  const started = Date.now()

  beforeAll(async () => {
    moto = await startMoto()
    const endpoint = moto.endpoint
    // Two at a time: Terraform and the provider are CPU-bound while they start.
    const queue = [...cases]
    const worker = async (): Promise<void> => {
      for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
        const t0 = Date.now()
        const run = await terraformRun(c.tree, endpoint)
        console.info(
          `Real-Terraform check: ${c.name}: terraform in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
        )
        const hcl = await loadTerraform(hclSnapshot(run.dir), { ...options, ...c.options })
        const planned = loadTerraformPlan(run.planJson, 'plan.json', options)
        // Without apply, the plan is what real Terraform gave: it stands for the state.
        const applied =
          run.stateJson === undefined ? planned : loadTerraformPlan(run.stateJson, 'state.json', options)
        outcomes.set(c.name, { hcl, planned, applied, run })
      }
    }
    await Promise.all([worker(), worker()])
    console.info(
      `Real-Terraform check: ${cases.length} trees in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    )
  }, 600_000)

  afterAll(async () => {
    for (const o of outcomes.values()) o.run.cleanup()
    await moto?.stop()
  })

  const get = (name: string): Outcome => {
    const o = outcomes.get(name)
    if (o === undefined) throw new Error(`${name} did not run`)
    return o
  }

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    it('loads HCL, the plan and the state without errors', () => {
      const { hcl, planned, applied } = get(name)
      expect(hcl.coverage.errors).toEqual([])
      expect(planned.coverage.errors).toEqual([])
      expect(applied.coverage.errors).toEqual([])
    })

    it('gives the same principals as the plan and the state', () => {
      const { hcl, planned, applied } = get(name)
      expect(principals(hcl).length).toBeGreaterThanOrEqual(c.minPrincipals)
      expect(principals(planned)).toEqual(principals(hcl))
      expect(principals(applied, applied === planned)).toEqual(principals(hcl, applied === planned))
    })

    it('gives the same resources (address, ARN, tags) as the state', () => {
      const { hcl, applied } = get(name)
      expect(resources(applied, symbolsOf(hcl, applied))).toEqual(resources(hcl))
    })

    it('gives the same effective access as the applied state', () => {
      const { hcl, applied } = get(name)
      const fromHcl = access(effectiveAccess(hcl.model))
      expect(fromHcl.length).toBeGreaterThan(0)
      const fromState = access(effectiveAccess(applied.model), symbolsOf(hcl, applied))
      expect(difference(fromHcl, fromState)).toEqual({
        onlyInHcl: c.known?.onlyInHcl ?? [],
        onlyInState: c.known?.onlyInState ?? [],
      })
    })

    it('gives the same principals access to each resource as the applied state', () => {
      const { hcl, applied } = get(name)
      const fromHcl = whoCan(effectiveAccess(hcl.model))
      expect(difference(fromHcl, whoCan(effectiveAccess(applied.model)))).toEqual({
        onlyInHcl: [],
        onlyInState: [],
      })
    })

    /**
     * The first plan knows less: what the provider computes (a bucket's or a policy's ARN) is
     * unknown until apply, and a policy built from it is known only as its references. The plan
     * must not grant what HCL does not, and what HCL alone grants must be in the applied state.
     */
    it('gives no more access than HCL in the plan, and HCL is right where the plan cannot know', () => {
      const { hcl, planned, applied } = get(name)
      const fromHcl = access(effectiveAccess(hcl.model))
      const fromPlan = access(effectiveAccess(planned.model))
      const fromState = new Set(access(effectiveAccess(applied.model), symbolsOf(hcl, applied)))
      const { onlyInHcl, onlyInState: onlyInPlan } = difference(fromHcl, fromPlan)
      // A grant HCL subsumes (chris * read-config * covers chris iam read-config *) is not more.
      const hclSet = new Set(fromHcl)
      expect(onlyInPlan.filter((t) => !covered(t, hclSet))).toEqual([])
      expect(onlyInHcl.filter((t) => !fromState.has(t))).toEqual(c.known?.onlyInHcl ?? [])
      console.info(
        `Real-Terraform check: ${name}: ${fromHcl.length} grants from HCL, ${onlyInHcl.length} of them unknown to the plan until apply`,
      )
    })
  })
})

describe('plan JSON: recovering an unknown policy from the configuration', () => {
  it('does not take a policy built around references (jsonencode) for the first one', () => {
    const plan = {
      format_version: '1.2',
      planned_values: {
        root_module: {
          resources: [
            { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', values: { bucket: 'b' } },
            { address: 'aws_iam_group.g', mode: 'managed', type: 'aws_iam_group', values: { name: 'g' } },
            {
              address: 'aws_iam_group_policy.p',
              mode: 'managed',
              type: 'aws_iam_group_policy',
              values: { name: 'p', group: 'g' },
            },
          ],
        },
      },
      resource_changes: [{ address: 'aws_iam_group_policy.p', change: { after_unknown: { policy: true } } }],
      configuration: {
        root_module: {
          resources: [
            {
              address: 'aws_iam_group_policy.p',
              expressions: {
                policy: {
                  references: [
                    'aws_s3_bucket.b.arn',
                    'aws_s3_bucket.b',
                    'aws_iam_group.g.arn',
                    'aws_iam_group.g',
                  ],
                },
              },
            },
          ],
        },
      },
    }
    const result = loadTerraformPlan(JSON.stringify(plan), 'plan.json', options)
    expect(result.coverage.errors).toEqual([])
  })

  it('reads the JSON of a state (`terraform show -json` without a plan): values, all known', () => {
    const state = {
      format_version: '1.0',
      values: {
        root_module: {
          resources: [
            {
              address: 'aws_iam_user.u',
              mode: 'managed',
              type: 'aws_iam_user',
              values: { name: 'u', arn: `arn:aws:iam::${MOTO_ACCOUNT}:user/u` },
            },
            {
              address: 'aws_iam_user_policy.p',
              mode: 'managed',
              type: 'aws_iam_user_policy',
              values: {
                name: 'p',
                user: 'u',
                policy:
                  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
              },
            },
          ],
        },
      },
    }
    const result = loadTerraformPlan(JSON.stringify(state), 'state.json', options)
    expect(result.coverage.errors).toEqual([])
    expect(access(effectiveAccess(result.model))).toContain('u s3 read-data *')
  })
})
