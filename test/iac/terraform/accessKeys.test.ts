/** `aws_iam_access_key`: the user's long-lived key, and where its secret can be read. */
import { describe, expect, it } from 'vitest'
import { loadFiles, principal } from './helpers.js'

const users = `
resource "aws_iam_user" "ci" {
  name = "ci-deploy"
}

resource "aws_iam_user" "ops" {
  name = "ops"
}
`

describe('aws_iam_access_key', () => {
  it('gives the user a key whose secret is in the state when there is no pgp_key', async () => {
    const result = await loadFiles({
      'main.tf': `${users}
resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}
`,
    })
    expect(result.coverage.errors).toEqual([])
    expect(principal(result, 'aws_iam_user.ci').accessKeys).toEqual([
      {
        address: 'aws_iam_access_key.ci',
        status: 'Active',
        location: { file: 'main.tf', line: 10 },
        secretExposure: { kind: 'state', detail: 'the Terraform state, in clear text (no pgp_key)' },
      },
    ])
    expect(principal(result, 'aws_iam_user.ops').accessKeys).toBeUndefined()
  })

  it('names the root output that gives the secret, before the state', async () => {
    const result = await loadFiles({
      'main.tf': `${users}
resource "aws_iam_access_key" "ci" {
  user    = aws_iam_user.ci.name
  pgp_key = "keybase:ci"
}

resource "aws_iam_access_key" "ops" {
  count   = 2
  user    = aws_iam_user.ops.name
  pgp_key = "keybase:ops"
  status  = count.index == 0 ? "Inactive" : "Active"
}
`,
      'outputs.tf': `output "ci_key_id" {
  value = aws_iam_access_key.ci.id
}

output "ops_secrets" {
  value     = aws_iam_access_key.ops[*].secret
  sensitive = true
}
`,
    })
    expect(result.coverage.errors).toEqual([])
    // The ci key's secret is encrypted and only its id is an output.
    expect(principal(result, 'aws_iam_user.ci').accessKeys).toEqual([
      { address: 'aws_iam_access_key.ci', status: 'Active', location: { file: 'main.tf', line: 10 } },
    ])
    const exposure = {
      kind: 'output',
      detail: 'output "ops_secrets"',
      location: { file: 'outputs.tf', line: 5 },
    }
    expect(principal(result, 'aws_iam_user.ops').accessKeys).toEqual([
      {
        address: 'aws_iam_access_key.ops[0]',
        status: 'Inactive',
        location: { file: 'main.tf', line: 15 },
        secretExposure: exposure,
      },
      {
        address: 'aws_iam_access_key.ops[1]',
        status: 'Active',
        location: { file: 'main.tf', line: 15 },
        secretExposure: exposure,
      },
    ])
  })

  it('finds the output of each root module in a tree of several', async () => {
    const env = `resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}
`
    const result = await loadFiles({
      'envs/dev/main.tf': env,
      'envs/prod/main.tf': env,
      'envs/prod/outputs.tf': 'output "secret" {\n  value = aws_iam_access_key.ci.secret\n}\n',
    })
    expect(
      result.model.principals.map(
        (p) => `${p.address} ${p.accessKeys?.map((k) => k.secretExposure?.detail)}`,
      ),
    ).toEqual([
      'envs/dev/aws_iam_user.ci the Terraform state, in clear text (no pgp_key)',
      'envs/prod/aws_iam_user.ci output "secret"',
    ])
  })

  it('gives a key for a user outside the tree to a user of that name', async () => {
    const result = await loadFiles({
      'main.tf': `resource "aws_iam_access_key" "legacy" {
  user = "legacy-batch"
}
`,
    })
    const p = result.model.principals.find((x) => x.name === 'legacy-batch')
    expect(p?.type).toBe('user')
    expect(p?.accessKeys?.map((k) => k.address)).toEqual(['aws_iam_access_key.legacy'])
  })
})
