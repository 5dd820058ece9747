import { describe, expect, it } from 'vitest'
import { defaultConfig } from '../../../src/config/types.js'
import { effectiveAccess } from '../../../src/engine/access.js'
import { emptyCoverage } from '../../../src/iac/types.js'
import type { Model, Policy, Principal } from '../../../src/model/types.js'
import { assessRevision } from '../../../src/risk/revision.js'
import { privilegeEscalation } from '../../../src/risk/rules/privilege-escalation.js'
import type { RuleFinding } from '../../../src/risk/types.js'
import { model, policy, role, trustAccount, trustService, user } from '../../engine/modelBuilder.js'

type Json = Record<string, unknown>
const allow = (action: string | string[], resource: string | string[] = '*'): Json => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
})
const managed = (id: string, statements: Json[]): Policy => policy(id, statements, 'customer-managed')
const admin = managed('admin-all', [allow('*')])
const adminRole = (name: string, service: string): Principal => role(name, [admin], trustService(service))

function check(m: Model): RuleFinding[] {
  return privilegeEscalation.check({
    model: m,
    access: effectiveAccess(m),
    config: {} as never,
    classify: () => ({ level: 'unclassified', value: null, confidential: false }),
  })
}
const methodsOf = (findings: RuleFinding[], principal: string): string[] =>
  findings.filter((f) => f.principal === principal).map((f) => f.method ?? '')

interface Case {
  name: string
  principals: Principal[]
  actor: string
  /** The methods expected for the actor; [] means not flagged at all. */
  methods: string[]
  severity?: 'high' | 'critical'
}

const cases: Case[] = [
  {
    name: 'iam:CreatePolicyVersion on its own customer-managed policy (iam-001)',
    principals: [user('dev', [managed('dev-policy', [allow('iam:CreatePolicyVersion')])])],
    actor: 'dev',
    methods: ['iam-001'],
    severity: 'critical',
  },
  {
    name: 'iam:CreateAccessKey on every user, an administrator among them (iam-002)',
    principals: [
      user('privesc4-CreateAccessKey-user', [managed('create-key', [allow('iam:CreateAccessKey')])]),
      user('ops-admin', [admin]),
    ],
    actor: 'privesc4-CreateAccessKey-user',
    methods: ['iam-002'],
    severity: 'critical',
  },
  {
    name: 'PassRole + lambda:CreateFunction + InvokeFunction, an admin role trusting lambda (lambda-001)',
    principals: [
      user('deployer', [
        managed('deploy', [allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'])]),
      ]),
      adminRole('lambda-admin', 'lambda.amazonaws.com'),
    ],
    actor: 'deployer',
    methods: ['lambda-001'],
    severity: 'critical',
  },
  {
    name: 'PassRole + lambda actions, but no role trusts lambda: no finding',
    principals: [
      user('deployer', [
        managed('deploy', [allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'])]),
      ]),
      adminRole('ec2-admin', 'ec2.amazonaws.com'),
    ],
    actor: 'deployer',
    methods: [],
  },
  {
    name: 'a Deny of iam:* in a second policy: no finding (iam-vulnerable fp1/fp2 shape)',
    principals: [
      user('denied', [
        managed('allow-iam', [allow('iam:*')]),
        managed('deny-iam', [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }]),
      ]),
    ],
    actor: 'denied',
    methods: [],
  },
  {
    name: 'a permissions boundary without the action: no finding',
    principals: [
      user('bounded', [managed('create-version', [allow('iam:CreatePolicyVersion')])], {
        boundary: policy('boundary', [allow('s3:GetObject')], 'boundary', 'boundary'),
      }),
    ],
    actor: 'bounded',
    methods: [],
  },
  {
    name: 'CreatePolicyVersion only on AWS-managed policies: no finding (fp4 shape)',
    principals: [
      user('aws-only', [
        managed('aws-ns', [allow('iam:CreatePolicyVersion', 'arn:aws:iam::aws:policy/fp4-*')]),
      ]),
    ],
    actor: 'aws-only',
    methods: [],
  },
  {
    name: 'a grant under a condition that can no longer hold: no finding (fp5 shape)',
    principals: [
      user('expired', [
        managed('old', [
          {
            ...allow('iam:CreatePolicyVersion'),
            Condition: { DateLessThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } },
          },
        ]),
      ]),
    ],
    actor: 'expired',
    methods: [],
  },
  {
    name: 'a chain of assumable roles ending at an administrator (sts-001)',
    principals: [
      role('start', [], trustAccount()),
      role(
        'middle',
        [],
        [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:role/start' },
            Action: 'sts:AssumeRole',
          },
        ],
      ),
      role(
        'end',
        [admin],
        [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111111111111:role/middle' },
            Action: 'sts:AssumeRole',
          },
        ],
      ),
    ],
    actor: 'start',
    methods: ['sts-001'],
    severity: 'critical',
  },
  {
    name: 'an administrator by its own policies is not reported as an escalator',
    principals: [user('root-like', [admin])],
    actor: 'root-like',
    methods: [],
  },
]

describe('privilege-escalation', () => {
  it.each(cases)('$name', ({ principals, actor, methods, severity }) => {
    const findings = check(model(principals))
    expect(methodsOf(findings, actor)).toEqual(methods)
    if (severity !== undefined) {
      expect(findings.filter((f) => f.principal === actor).map((f) => f.severity)).toEqual(
        methods.map(() => severity),
      )
    }
  })

  it('says what the principal can do in plain words, with the key and the granting statement', () => {
    const actor = user('privesc4-CreateAccessKey-user', [
      managed('create-key', [allow('iam:CreateAccessKey')]),
    ])
    const [finding] = check(model([actor, user('ops-admin', [admin])]))
    expect(finding).toMatchObject({
      rule: 'privilege-escalation',
      method: 'iam-002',
      key: `privilege-escalation|iam-002|${actor.id}`,
      location: { file: 'infra/iam.tf', line: 1 },
    })
    expect(finding?.message).toBe(
      'user privesc4-CreateAccessKey-user can create access keys for any user (iam:CreateAccessKey on *): it can become any of them, including administrators',
    )
  })

  it('reports a role that cannot be passed to an administrator as high, not critical', () => {
    const findings = check(
      model([
        user('deployer', [
          managed('deploy', [allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'])]),
        ]),
        role(
          'lambda-logs',
          [managed('logs', [allow('logs:PutLogEvents')])],
          trustService('lambda.amazonaws.com'),
        ),
      ]),
    )
    expect(findings.map((f) => [f.method, f.severity])).toEqual([['lambda-001', 'high']])
  })

  it('weighs in its principal’s golf score: one privilege-escalation hazard per finding', () => {
    const deployer = user('deployer', [
      managed('deploy', [allow(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'])]),
    ])
    const target = role(
      'lambda-logs',
      [managed('logs', [allow('logs:PutLogEvents')])],
      trustService('lambda.amazonaws.com'),
    )
    const revision = assessRevision(
      { model: model([deployer, target]), coverage: emptyCoverage() },
      defaultConfig(),
    )
    const [finding] = revision.findings.filter((f) => f.rule === 'privilege-escalation')
    expect(finding).toMatchObject({ principal: 'deployer', principalId: deployer.id })
    const hazards = revision.scores.get(deployer.id)!.lines.filter((l) => l.rule === 'privilege-escalation')
    expect(hazards.map((l) => l.line)).toEqual([`privilege-escalation path 50: ${finding!.message}`])
  })
})
