import { describe, expect, it } from 'vitest'
import { analyzeDiff } from '../../src/cli/core.js'
import { defaultConfig } from '../../src/config/types.js'
import { loadTree } from '../../src/iac/load.js'
import { memorySnapshot } from '../../src/source/folder.js'

/** An EC2 instance role, as CloudFormation templates that signal a stack from an instance write it. */
const template = (policy: string): string => `
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  RootRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: { Service: [ec2.amazonaws.com] }
            Action: ['sts:AssumeRole']
      Path: /
${policy}
  RootInstanceProfile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Path: /
      Roles: [!Ref RootRole]
`
const inline = (action: string): string => `      Policies:
        - PolicyName: root
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: '${action}'
                Resource: '*'`
const administrator = "      ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess']"

const diff = async (base: string, head: string, failOn: string[] = []) =>
  analyzeDiff(
    await loadTree(memorySnapshot({ 'stack.yaml': template(base) })),
    await loadTree(memorySnapshot({ 'stack.yaml': template(head) })),
    { ...defaultConfig(), failOn },
  )

describe('verdict', () => {
  it('an administrator narrowed to cloudformation:* only loses access: risk none, though an escalation is now said', async () => {
    const r = await diff(administrator, inline('cloudformation:*'), ['privilege-escalation'])
    expect(r.principals.flatMap((p) => p.added)).toEqual([])
    // What remains of its power is listed, as the rules left it to admin-access before.
    expect(r.findings.filter((f) => f.status === 'new').map((f) => f.rule)).toContain('privilege-escalation')
    expect(r.findings.filter((f) => f.status === 'resolved').map((f) => f.rule)).toEqual(['admin-access'])
    expect(r.verdict).toEqual({
      risk: 'none',
      securityReview: false,
      blocking: false,
      reasons: ['1 principal loses access'],
    })
  })

  it('the same escalation on a role that was no administrator raises the risk and blocks', async () => {
    const r = await diff(inline('logs:PutLogEvents'), inline('cloudformation:*'), ['privilege-escalation'])
    expect(r.verdict.risk).toBe('high')
    expect(r.verdict.blocking).toBe(true)
    expect(r.verdict.reasons[0]).toMatch(
      /^High: role RootRole can take over any existing cloudformation resource/,
    )
  })
})

describe('a policy that cannot be read at the head', () => {
  const tf = (policy: string): string => `
resource "aws_iam_user" "shepard" {
  name = "shepard"
}
resource "aws_iam_policy" "shepard" {
  name   = "cg-shepard-policy"
  policy = <<EOF
${policy}
EOF
}
resource "aws_iam_user_policy_attachment" "shepard" {
  user       = aws_iam_user.shepard.name
  policy_arn = aws_iam_policy.shepard.arn
}
`
  const admin =
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
  // A comma missing after "Effect": the document cannot be parsed.
  const malformed =
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": ["lambda:ListFunctions"], "Resource": "*"}]}'

  it('says so for each removal and among the reasons, rather than as access taken away', async () => {
    const r = await analyzeDiff(
      await loadTree(memorySnapshot({ 'iam.tf': tf(admin) })),
      await loadTree(memorySnapshot({ 'iam.tf': tf(malformed) })),
      defaultConfig(),
    )
    const [shepard] = r.principals
    expect(shepard?.removed.length).toBeGreaterThan(0)
    for (const because of shepard!.removedBecause!)
      expect(because).toMatch(
        /^user shepard is no longer an effective administrator \(it was: .*\): policy cg-shepard-policy \(iam\.tf:7\) cannot be read at the head \(the policy is not valid JSON: .*\), so what it allows is not counted$/,
      )
    expect(r.verdict.reasons).toEqual([
      '1 file or policy cannot be read at the head (iam.tf:7): what it grants is not counted',
      '1 principal loses access',
    ])
  })

  it('a policy that was already unreadable at base is no news', async () => {
    const r = await analyzeDiff(
      await loadTree(memorySnapshot({ 'iam.tf': tf(malformed) })),
      await loadTree(memorySnapshot({ 'iam.tf': `${tf(malformed)}\n# comment\n` })),
      defaultConfig(),
    )
    expect(r.verdict.reasons).toEqual(['No change in effective access'])
  })
})
