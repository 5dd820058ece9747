/**
 * Hand-built reports for the renderers' golden tests: a realistic risky change, an unchanged tree
 * and a one-revision report (generated ones are in generatedFixtures.ts).
 */
import type { AccessReport, ContractGrant, DiffReport, PrincipalDelta } from '../../src/report/contract.js'

const KYC = 'arn:aws:s3:::kyc-docs'

export const readKyc: ContractGrant = {
  service: 's3',
  capability: 'read-data',
  resource: `${KYC}/*`,
  resourceAddress: 'aws_s3_bucket.kyc_docs',
  actions: ['s3:GetObjectVersion', 's3:GetObject'],
  conditional: false,
  via: 'policy payments-api-kyc (infra/payments/iam.tf:42)',
  location: { file: 'infra/payments/iam.tf', line: 42 },
  statement: 'ReadKyc',
  score: 72,
}

export const writeArchive: ContractGrant = {
  service: 's3',
  capability: 'write-data',
  resource: 'arn:aws:s3:::payments-archive/*',
  resourceAddress: 'aws_s3_bucket.payments_archive',
  actions: ['s3:PutObject'],
  conditional: false,
  location: { file: 'infra/payments/iam.tf', line: 55 },
  statement: 'WriteArchive',
  score: 18,
}

const assumePayments: ContractGrant = {
  service: 'sts',
  capability: 'use-resource',
  resource: 'arn:aws:iam::111122223333:role/payments-api-task',
  resourceAddress: 'aws_iam_role.payments_api_task',
  actions: ['sts:AssumeRole'],
  conditional: false,
  via: 'trust policy of role payments-api-task, no sts:ExternalId',
  location: { file: 'infra/payments/iam.tf', line: 12 },
  statement: 'PartnerAssume',
  score: 20,
}

const writeReports: ContractGrant = {
  service: 's3',
  capability: 'write-data',
  resource: 'arn:aws:s3:::reporting-exports/*',
  resourceAddress: 'aws_s3_bucket.reporting_exports',
  actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
  conditional: true,
  conditions: ['aws:SourceVpce'],
  location: { file: 'infra/reporting/etl.tf', line: 30 },
  statement: 'WriteExports',
  score: 4,
}

const principals: PrincipalDelta[] = [
  {
    name: 'payments-api-task',
    address: 'aws_iam_role.payments_api_task',
    type: 'role',
    arn: 'arn:aws:iam::111122223333:role/payments-api-task',
    score: { base: 180, head: 234, delta: 54 },
    added: [readKyc],
    removed: [writeArchive],
    application: 'payments-api',
    removedBecause: ['statement WriteArchive was removed from infra/payments/iam.tf'],
  },
  {
    name: '444455556666',
    address: 'aws_iam_role.payments_api_task.trust',
    type: 'account',
    arn: 'arn:aws:iam::444455556666:root',
    score: { base: 0, head: 40, delta: 40 },
    added: [assumePayments, { ...readKyc, via: 'assume role payments-api-task', score: undefined }],
    removed: [],
    application: 'payments-api',
  },
  {
    name: 'reporting-etl',
    address: 'aws_iam_role.reporting_etl',
    type: 'role',
    arn: 'arn:aws:iam::111122223333:role/reporting-etl',
    score: { base: 40, head: 36, delta: -4 },
    added: [],
    removed: [writeReports],
    application: 'reporting',
    removedBecause: ['Deny DenyExportsWrite in infra/reporting/etl.tf:48 blocks it'],
  },
]

export function riskyReport(): DiffReport {
  return {
    schemaVersion: 1,
    verdict: {
      risk: 'high',
      securityReview: true,
      blocking: false,
      reasons: [
        'role payments-api-task can now read data in bucket kyc-docs (Restricted), from infra/payments/iam.tf:42 (statement ReadKyc).',
        'account 444455556666 (not a home or known account) can now assume role payments-api-task without sts:ExternalId, and through it read kyc-docs (Restricted).',
      ],
    },
    score: { base: 412, head: 502, delta: 90 },
    principals,
    findings: [
      {
        rule: 'cross-account-access',
        severity: 'high',
        status: 'new',
        principal: '444455556666',
        resource: 'arn:aws:iam::111122223333:role/payments-api-task',
        message: 'Account 444455556666 may assume role payments-api-task without sts:ExternalId.',
        location: { file: 'infra/payments/iam.tf', line: 12 },
      },
      {
        rule: 'data-access',
        severity: 'high',
        status: 'new',
        principal: 'payments-api-task',
        resource: KYC,
        message: 'Role payments-api-task can read data in kyc-docs (Restricted).',
        location: { file: 'infra/payments/iam.tf', line: 42 },
      },
      {
        rule: 'privilege-escalation',
        method: 'iam-001',
        severity: 'critical',
        status: 'resolved',
        principal: 'ci-deployer',
        message: 'ci-deployer could create a new policy version (iam:CreatePolicyVersion) on any policy.',
        location: { file: 'infra/ci/deployer.tf', line: 7 },
      },
      {
        rule: 'public-access',
        severity: 'medium',
        status: 'unchanged',
        resource: 'arn:aws:s3:::marketing-site',
        message: 'Bucket marketing-site can be read by anyone.',
        location: { file: 'infra/web/site.tf', line: 3 },
      },
    ],
    dataResources: [
      {
        name: 'kyc-docs',
        address: 'aws_s3_bucket.kyc_docs',
        arn: KYC,
        type: 'aws_s3_bucket',
        confidentiality: 'Restricted',
        application: 'payments-api',
        whoCan: {
          base: [{ principal: 'kyc-review', capabilities: ['read-data'] }],
          head: [
            { principal: 'kyc-review', capabilities: ['read-data'] },
            { principal: 'payments-api-task', capabilities: ['read-data'] },
            { principal: '444455556666', capabilities: ['read-data'] },
          ],
        },
      },
      {
        name: 'reporting-exports',
        address: 'aws_s3_bucket.reporting_exports',
        arn: 'arn:aws:s3:::reporting-exports',
        type: 'aws_s3_bucket',
        confidentiality: null,
        application: 'reporting',
        whoCan: {
          base: [{ principal: 'reporting-etl', capabilities: ['read-data', 'write-data'] }],
          head: [{ principal: 'reporting-etl', capabilities: ['read-data'] }],
        },
      },
    ],
    coverage: {
      filesAnalyzed: 42,
      policiesAnalyzed: 118,
      unresolved: [{ file: 'infra/payments/trust.tf', line: 8, expression: 'var.partner_account' }],
      errors: [
        {
          file: 'infra/legacy/broken.tf',
          line: 3,
          message: 'Unexpected "}": expected an attribute or block.',
        },
      ],
    },
    policyChanges: [
      {
        name: 'role/payments-api-task inline payments-api-kyc',
        location: { file: 'infra/payments/iam.tf', line: 38 },
        base: JSON.stringify(
          { Sid: 'ReadKyc', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: KYC },
          null,
          2,
        ),
        head: JSON.stringify(
          {
            Sid: 'ReadKyc',
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:GetObjectVersion'],
            Resource: `${KYC}/*`,
          },
          null,
          2,
        ),
      },
    ],
  }
}

export function unchangedReport(): DiffReport {
  return {
    schemaVersion: 1,
    verdict: { risk: 'none', securityReview: false, blocking: false, reasons: [] },
    score: { base: 412, head: 412, delta: 0 },
    principals: [],
    findings: [
      {
        rule: 'public-access',
        severity: 'medium',
        status: 'unchanged',
        resource: 'arn:aws:s3:::marketing-site',
        message: 'Bucket marketing-site can be read by anyone.',
        location: { file: 'infra/web/site.tf', line: 3 },
      },
    ],
    dataResources: [],
    coverage: { filesAnalyzed: 42, policiesAnalyzed: 118, unresolved: [], errors: [] },
  }
}

export function accessReport(): AccessReport {
  return {
    schemaVersion: 1,
    score: 460,
    principals: [
      {
        name: 'payments-api-task',
        address: 'aws_iam_role.payments_api_task',
        type: 'role',
        arn: 'arn:aws:iam::111122223333:role/payments-api-task',
        score: 234,
        isAdmin: false,
        grants: [
          readKyc,
          {
            ...assumePayments,
            capability: 'read-config',
            actions: ['sts:GetCallerIdentity'],
            resource: '*',
            score: 4,
          },
        ],
        application: 'payments-api',
      },
      {
        name: 'platform-admin',
        address: 'aws_iam_role.platform_admin',
        type: 'role',
        score: 200,
        isAdmin: true,
        grants: [
          {
            service: '*',
            capability: 'administer-resource',
            resource: '*',
            actions: ['*'],
            conditional: true,
            conditions: ['aws:MultiFactorAuthPresent'],
            location: { file: 'infra/platform/admin.tf', line: 5 },
            statement: 'Admin',
            score: 200,
          },
        ],
      },
      {
        name: 'reporting-etl',
        address: 'aws_iam_role.reporting_etl',
        type: 'role',
        score: 26,
        isAdmin: false,
        grants: [{ ...writeReports, capability: 'read-data', actions: ['s3:GetObject'] }],
        application: 'reporting',
      },
    ],
    findings: [
      {
        rule: 'admin-access',
        severity: 'high',
        principal: 'platform-admin',
        message: 'Role platform-admin is an effective administrator (with MFA).',
        location: { file: 'infra/platform/admin.tf', line: 5 },
      },
    ],
    dataResources: [
      {
        name: 'kyc-docs',
        address: 'aws_s3_bucket.kyc_docs',
        arn: KYC,
        type: 'aws_s3_bucket',
        confidentiality: 'Restricted',
        application: 'payments-api',
        whoCan: [
          { principal: 'payments-api-task', capabilities: ['read-data'] },
          {
            principal: 'platform-admin',
            capabilities: ['administer-resource', 'delete-data', 'read-data', 'write-data'],
          },
        ],
      },
      {
        name: 'reporting-exports',
        type: 'aws_s3_bucket',
        confidentiality: null,
        whoCan: [{ principal: 'reporting-etl', capabilities: ['read-data'] }],
      },
    ],
    coverage: { filesAnalyzed: 42, policiesAnalyzed: 118, unresolved: [], errors: [] },
  }
}
