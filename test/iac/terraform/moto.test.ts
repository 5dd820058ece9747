/**
 * Real Terraform as an oracle (issue 5, item 7): `terraform plan` and `apply` run offline against
 * moto, a local AWS API emulator, and the access computed from HCL alone must equal the access
 * computed from what real Terraform produced. Skips where terraform, moto_server or the provider
 * mirror is absent (`.ci/run` makes it mandatory).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { effectiveAccess } from '../../../src/engine/access.js'
import type { AccessMap } from '../../../src/engine/types.js'
import { loadTerraform, loadTerraformPlan } from '../../../src/iac/terraform/index.js'
import type { LoadResult } from '../../../src/iac/types.js'
import { folderSnapshot } from '../../../src/source/folder.js'
import {
  MOTO_ACCOUNT,
  type Moto,
  missingTools,
  startMoto,
  type TerraformRun,
  terraformPlan,
} from '../../support/moto.js'
import { FIXTURES } from './helpers.js'

const missing = process.env.ACCESS_DIFF_REQUIRE_TERRAFORM === '1' ? undefined : missingTools()
if (missing !== undefined) console.warn(`Skipping the real-Terraform check against moto: it ${missing}.`)

const options = { homeAccount: MOTO_ACCOUNT }

/** Principals as `type name arn`, sorted. */
function principals(result: LoadResult): string[] {
  return result.model.principals.map((p) => `${p.type} ${p.name} ${p.arn ?? '-'}`).sort()
}

/** Effective access as `principal service capability resource` tuples, sorted and unique. */
function access(map: AccessMap): string[] {
  const tuples = new Set<string>()
  for (const p of map.principals)
    for (const g of p.grants) tuples.add(`${p.principal.name} ${g.service} ${g.capability} ${g.resource}`)
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

function difference(hcl: string[], real: string[]): { onlyInReal: string[]; onlyInHcl: string[] } {
  return { onlyInReal: real.filter((t) => !hcl.includes(t)), onlyInHcl: hcl.filter((t) => !real.includes(t)) }
}

/**
 * What the first plan cannot know: the bucket's ARN is computed by the provider, so every policy
 * built from it (the role's inline policy document, the bucket policy, the group policy) is
 * unknown until apply, and the plan JSON keeps only the references, not the expressions. HCL
 * alone knows the ARN (`arn:aws:s3:::` + the bucket name).
 */
const UNKNOWN_UNTIL_APPLY = [
  'analyst s3 read-data arn:aws:s3:::acme-reports-archive',
  'analyst s3 read-data arn:aws:s3:::acme-reports-archive/*',
  'analyst sts use-resource arn:aws:iam::123456789012:role/reporter',
  'analysts s3 read-data arn:aws:s3:::acme-reports-archive',
  'analysts s3 read-data arn:aws:s3:::acme-reports-archive/*',
  'analysts sts use-resource arn:aws:iam::123456789012:role/reporter',
  'ec2.amazonaws.com s3 read-data arn:aws:s3:::acme-reports-archive',
  'ec2.amazonaws.com s3 read-data arn:aws:s3:::acme-reports-archive/*',
  'ec2.amazonaws.com s3 write-data arn:aws:s3:::acme-reports-archive/reports/*',
  'reporter s3 read-data arn:aws:s3:::acme-reports-archive',
  'reporter s3 read-data arn:aws:s3:::acme-reports-archive/*',
  'reporter s3 write-data arn:aws:s3:::acme-reports-archive/reports/*',
]

describe.skipIf(missing !== undefined)('HCL and real Terraform agree (terraform plan/apply on moto)', () => {
  const fixture = join(FIXTURES, 'moto')
  let moto: Moto | undefined
  let run: TerraformRun | undefined
  let hcl: LoadResult
  let planned: LoadResult
  let applied: LoadResult

  beforeAll(async () => {
    moto = await startMoto()
    run = terraformPlan(fixture, moto.endpoint, true)
    hcl = await loadTerraform(folderSnapshot(fixture), options)
    planned = loadTerraformPlan(run.planJson, 'plan.json', options)
    applied = loadTerraformPlan(run.appliedPlanJson ?? '', 'applied.json', options)
  }, 120_000)

  afterAll(async () => {
    run?.cleanup()
    await moto?.stop()
  })

  it('loads HCL and both plans without errors', () => {
    expect(hcl.coverage.errors).toEqual([])
    expect(planned.coverage.errors).toEqual([])
    expect(applied.coverage.errors).toEqual([])
  })

  it('gives the same principals', () => {
    expect(principals(hcl)).toHaveLength(3) // role, user, group
    expect(principals(planned)).toEqual(principals(hcl))
    expect(principals(applied)).toEqual(principals(hcl))
  })

  it('gives the same effective access as the applied state', () => {
    const fromHcl = access(effectiveAccess(hcl.model))
    expect(fromHcl.length).toBeGreaterThan(UNKNOWN_UNTIL_APPLY.length)
    expect(difference(fromHcl, access(effectiveAccess(applied.model)))).toEqual({
      onlyInReal: [],
      onlyInHcl: [],
    })
  })

  it('gives the same effective access as the plan, but for what is unknown until apply', () => {
    const fromHcl = access(effectiveAccess(hcl.model))
    expect(difference(fromHcl, access(effectiveAccess(planned.model)))).toEqual({
      onlyInReal: [],
      onlyInHcl: UNKNOWN_UNTIL_APPLY,
    })
  })

  it('gives the same principals access to each resource of the tree as the applied state', () => {
    const fromHcl = whoCan(effectiveAccess(hcl.model))
    expect(fromHcl.length).toBeGreaterThan(0)
    expect(whoCan(effectiveAccess(applied.model))).toEqual(fromHcl)
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
})
