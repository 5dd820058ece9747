import { describe, expect, it } from 'vitest'
import { credentialsExposure } from '../../../src/risk/rules/credentials-exposure.js'
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
