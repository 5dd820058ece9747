import { describe, expect, it } from 'vitest'
import { missReason } from '../../scripts/eval/privesc.js'
import { loadTerraform } from '../../src/iac/terraform/index.js'
import { memorySnapshot } from '../../src/source/folder.js'

const chain = (startTrust: string): string => `
data "aws_caller_identity" "current" {}
resource "aws_iam_user" "start" {
  name = "start-user"
}
resource "aws_iam_role" "starting" {
  name               = "starting-role"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = ${startTrust} } }] })
}
resource "aws_iam_role" "ending" {
  name               = "ending-role"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = aws_iam_role.starting.arn } }] })
}
`

describe('why a principal of iam-vulnerable has no method', () => {
  it('says that a user without policies, named by no trust policy, can call nothing, and whom the chain trusts', async () => {
    const { model } = await loadTerraform(
      memorySnapshot({ 'chain.tf': chain('data.aws_caller_identity.current.arn') }),
    )
    const user = model.principals.find((p) => p.name === 'start-user')!
    expect(missReason(user, model)).toBe(
      'no identity policy and no group, so it may call no action, not even sts:AssumeRole; ' +
        'no trust or resource policy of the tree names it (starting-role trusts only ${data.aws_caller_identity.current.arn})',
    )
  })

  it('names the trust policy that names it', async () => {
    const { model } = await loadTerraform(memorySnapshot({ 'chain.tf': chain('aws_iam_user.start.arn') }))
    const user = model.principals.find((p) => p.name === 'start-user')!
    expect(missReason(user, model)).toBe('no method found through starting-role, which names it')
  })
})
