import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/types.js'
import { loadTerraform } from '../../../src/iac/terraform/index.js'
import type { AccessKey } from '../../../src/model/types.js'
import { analyze } from '../../../src/risk/analyze.js'
import { credentialsExposure } from '../../../src/risk/rules/credentials-exposure.js'
import { memorySnapshot } from '../../../src/source/folder.js'
import { HOME, model, policy, user } from '../../engine/modelBuilder.js'
import { lines, runRule } from '../ruleHarness.js'

const cases = [
  {
    name: 'valid: a user managing only its own keys',
    statements: [
      { Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${HOME}:user/dev` },
    ],
    expected: [],
  },
  {
    name: 'valid: reading the application’s own secrets',
    statements: [
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: `arn:aws:secretsmanager:eu-west-1:${HOME}:secret:payments/*`,
      },
    ],
    expected: [],
  },
  {
    name: 'invalid: access keys for other users',
    statements: [{ Effect: 'Allow', Action: 'iam:CreateAccessKey', Resource: `arn:aws:iam::${HOME}:user/*` }],
    expected: ['high user dev can create credentials for user ops (iam:CreateAccessKey) and act as it'],
  },
  {
    name: 'invalid: every secret of the account',
    statements: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*' }],
    expected: ['medium user dev can read every secret (secretsmanager:GetSecretValue on *)'],
  },
]

describe('credentials-exposure', () => {
  it.each(cases)('$name', ({ statements, expected }) => {
    const m = model([user('dev', [policy('dev', statements)]), user('ops', [])])
    expect(lines(runRule(credentialsExposure, m))).toEqual(expected)
  })
})

describe('credentials-exposure: long-lived access keys', () => {
  const key = (extra: Partial<AccessKey> = {}): AccessKey => ({
    address: 'aws_iam_access_key.ci',
    status: 'Active',
    location: { file: 'iam.tf', line: 12 },
    ...extra,
  })
  const read = [policy('read', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }])]
  const admin = [policy('admin', [{ Effect: 'Allow', Action: '*', Resource: '*' }])]
  const keyCases: { name: string; policies: typeof read; keys: AccessKey[]; expected: string[] }[] = [
    { name: 'valid: a user without keys', policies: read, keys: [], expected: [] },
    {
      name: 'invalid: a key whose secret is encrypted (pgp_key)',
      policies: read,
      keys: [key()],
      expected: ['low user ci has a long-lived access key (aws_iam_access_key.ci)'],
    },
    {
      name: 'invalid: a key whose secret is in the state in clear text',
      policies: read,
      keys: [
        key({ secretExposure: { kind: 'state', detail: 'the Terraform state, in clear text (no pgp_key)' } }),
      ],
      expected: [
        'medium user ci has a long-lived access key (aws_iam_access_key.ci); its secret is in the Terraform state, in clear text (no pgp_key)',
      ],
    },
    {
      name: 'invalid: a key whose secret is an output',
      policies: read,
      keys: [key({ secretExposure: { kind: 'output', detail: 'output "ci_secret"' } })],
      expected: [
        'high user ci has a long-lived access key (aws_iam_access_key.ci); its secret is in output "ci_secret"',
      ],
    },
    {
      name: 'invalid: an administrator’s key whose secret is an output',
      policies: admin,
      keys: [key({ secretExposure: { kind: 'output', detail: 'output "ci_secret"' } })],
      expected: [
        'critical user ci (an administrator) has a long-lived access key (aws_iam_access_key.ci); its secret is in output "ci_secret"',
      ],
    },
    {
      name: 'invalid: an inactive key, wherever its secret is',
      policies: read,
      keys: [key({ status: 'Inactive', secretExposure: { kind: 'output', detail: 'output "ci_secret"' } })],
      expected: [
        'low user ci has a long-lived inactive access key (aws_iam_access_key.ci); its secret is in output "ci_secret"',
      ],
    },
  ]
  it.each(keyCases)('$name', ({ policies, keys, expected }) => {
    const m = model([user('ci', policies, keys.length > 0 ? { accessKeys: keys } : {})])
    expect(lines(runRule(credentialsExposure, m))).toEqual(expected)
  })

  it('points at the output that gives the secret, else at the key', () => {
    const at = { file: 'outputs.tf', line: 3 }
    const m = model([
      user('ci', read, {
        accessKeys: [key({ secretExposure: { kind: 'output', detail: 'output "s"', location: at } })],
      }),
      user('ops', read, { accessKeys: [key({ address: 'aws_iam_access_key.ops' })] }),
    ])
    const findings = runRule(credentialsExposure, m)
    expect(findings.map((f) => [f.key, f.location])).toEqual([
      [`credentials-exposure:access-key:arn:aws:iam::${HOME}:user/ci:aws_iam_access_key.ci`, at],
      [
        `credentials-exposure:access-key:arn:aws:iam::${HOME}:user/ops:aws_iam_access_key.ops`,
        { file: 'iam.tf', line: 12 },
      ],
    ])
  })
})

describe('credentials-exposure on a pull request (Terraform)', () => {
  const base = `resource "aws_iam_user" "ci" {
  name = "ci-deploy"
}

resource "aws_iam_user_policy" "ci" {
  name   = "deploy"
  user   = aws_iam_user.ci.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "s3:PutObject", Resource = "arn:aws:s3:::acme-site/*" }] })
}
`
  const withKey = `${base}
resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

output "ci_secret" {
  value     = aws_iam_access_key.ci.secret
  sensitive = true
}
`
  const load = (text: string) => loadTerraform(memorySnapshot({ 'main.tf': text }), { homeAccount: HOME })
  const config = { ...defaultConfig(), homeAccounts: [HOME] }

  it('a new key whose secret is an output is a new high finding at the output', async () => {
    const r = analyze(await load(base), await load(withKey), config)
    expect(r.findings.filter((f) => f.rule === 'credentials-exposure')).toMatchObject([
      {
        status: 'new',
        severity: 'high',
        principal: 'ci-deploy',
        message:
          'user ci-deploy has a long-lived access key (aws_iam_access_key.ci); its secret is in output "ci_secret"',
        location: { file: 'main.tf', line: 15 },
      },
    ])
  })

  it('removing the key resolves it', async () => {
    const r = analyze(await load(withKey), await load(base), config)
    expect(r.findings.filter((f) => f.rule === 'credentials-exposure')).toMatchObject([
      { status: 'resolved', severity: 'high' },
    ])
  })
})
