/**
 * The model a loader makes of a realistic multi-module / multi-stack tree, as a person reviews it:
 * every principal and resource with its policies and each statement's place, in a golden file.
 */
import { fileURLToPath } from 'node:url'
import { describe, it } from 'vitest'
import { loadCloudFormation } from '../../src/iac/cloudformation/index.js'
import { loadTerraform } from '../../src/iac/terraform/index.js'
import type { LoadResult } from '../../src/iac/types.js'
import { policyToJson } from '../../src/iam/policy.js'
import type { Policy } from '../../src/model/types.js'
import { folderSnapshot } from '../../src/source/folder.js'
import { expectGolden } from '../golden.js'

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url))

function where(location: { file: string; line?: number } | undefined): string {
  return location === undefined
    ? ''
    : `${location.file}${location.line === undefined ? '' : `:${location.line}`}`
}

function describePolicy(policy: Policy): object {
  return {
    id: policy.id,
    origin: policy.origin,
    at: where(policy.location),
    statements: policy.document.statements.map(
      (s) => `${s.sid ?? `#${s.index}`} ${where(policy.statementLocations?.[s.index])}`,
    ),
    // AWS managed documents come from the dataset, not the tree: their name and version say enough.
    ...(policy.origin === 'aws-managed' ? {} : { document: policyToJson(policy.document) }),
  }
}

/** A stable, readable rendering of a load result. */
function modelText(result: LoadResult): string {
  const { model, coverage } = result
  const view = {
    homeAccounts: model.homeAccounts,
    principals: model.principals.map((p) => ({
      id: p.id,
      type: p.type,
      name: p.name,
      address: p.address,
      at: where(p.location),
      groups: p.groups,
      policies: p.policies.map(describePolicy),
      boundary: p.boundary && describePolicy(p.boundary),
      trust: p.trustPolicy && describePolicy(p.trustPolicy),
      accessKeys: p.accessKeys?.map(
        (k) =>
          `${k.address} ${k.status} at ${where(k.location)}${k.secretExposure ? `, secret in ${k.secretExposure.detail} ${where(k.secretExposure.location)}` : ''}`,
      ),
    })),
    resources: model.resources.map((r) => ({
      id: r.id,
      type: r.type,
      name: r.name,
      arn: r.arn,
      at: where(r.location),
      tags: r.tags,
      policy: r.policy && describePolicy(r.policy),
    })),
    coverage,
  }
  return `${JSON.stringify(view, null, 2)}\n`
}

describe('models of realistic trees', () => {
  it('Terraform: a multi-module application', async () => {
    expectGolden(
      'model-terraform-app.json',
      modelText(await loadTerraform(folderSnapshot(fixture('terraform/app')))),
    )
  })

  it('CloudFormation: an application of several stacks', () => {
    expectGolden(
      'model-cloudformation-app.json',
      modelText(loadCloudFormation(folderSnapshot(fixture('cloudformation/app')))),
    )
  })
})
