import { describe, expect, it } from 'vitest'
import { adminAccess } from '../../../src/risk/rules/admin-access.js'
import {
  bucket,
  HOME,
  model,
  policy,
  role,
  trustAccount,
  trustService,
  user,
} from '../../engine/modelBuilder.js'
import { lines, runRule } from '../ruleHarness.js'

const admin = policy('AdministratorAccess', [{ Effect: 'Allow', Action: '*', Resource: '*' }], 'aws-managed')
const s3All = policy('s3-all', [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])
const assumeAdmin = policy('assume-admin', [
  { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${HOME}:role/break-glass` },
])
const trustsCi = [
  { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${HOME}:role/ci` }, Action: 'sts:AssumeRole' },
]

describe('admin-access', () => {
  const cases: { name: string; principals: Parameters<typeof model>[0]; expected: string[] }[] = [
    { name: 'valid: a broad but not total policy (s3:*)', principals: [user('ops', [s3All])], expected: [] },
    {
      name: 'invalid: AdministratorAccess attached',
      principals: [user('ops', [admin])],
      expected: [
        'high user ops is an effective administrator: allowed effectively every action on every resource',
      ],
    },
    {
      name: 'invalid: a role that can assume an administrator role',
      principals: [role('ci', [assumeAdmin], trustAccount()), role('break-glass', [admin], trustsCi)],
      expected: [
        'high role break-glass is an effective administrator: allowed effectively every action on every resource',
        'high role ci is an effective administrator: assume role break-glass: allowed effectively every action on every resource',
      ],
    },
    {
      name: 'valid: the service that runs an admin role is that role at work, not a second admin',
      principals: [role('deployer', [admin], trustService('codebuild.amazonaws.com'))],
      expected: [
        'high role deployer is an effective administrator: allowed effectively every action on every resource',
      ],
    },
  ]
  it.each(cases)('$name', ({ principals, expected }) => {
    const found = runRule(adminAccess, model(principals, [bucket('kyc-docs')]))
    expect(lines(found).sort()).toEqual(expected)
  })
})
