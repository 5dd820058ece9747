/**
 * The schema of `.github/access-diff.yml` (README.md, "Configuration"). Keys are kebab-case
 * (`fail-on`); every key is optional and an unknown key is an error (a typo must not silently
 * loosen the rules). `toConfig` merges a validated file onto `defaultConfig()`.
 * `schema/access-diff.schema.json` is generated from this schema (see test/config/schema.test.ts).
 */
import { z } from 'zod'
import { type Config, defaultConfig, RISK_LEVELS } from './types.js'

const ACCOUNT_MESSAGE = 'an AWS account id is 12 digits, written in quotes (e.g. "111122223333")'
const account = z.string({ error: ACCOUNT_MESSAGE }).regex(/^\d{12}$/, ACCOUNT_MESSAGE)
const positive = z.number().nonnegative()
const ruleOrLevel = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'a risk level (none, low, medium, high, critical) or a rule id (public-access)')
const capabilities = [
  'administer-resource',
  'read-config',
  'use-resource',
  'read-data',
  'write-data',
  'delete-data',
] as const

const weightsSchema = z
  .strictObject({
    capability: z.partialRecord(z.enum(capabilities), positive),
    scope: z
      .strictObject({ resource: positive, pattern: positive, service: positive, 'other-account': positive })
      .partial(),
    criticality: z
      .record(
        z.string().regex(/^[a-z0-9-]+$/, 'a service prefix (s3, iam) or data-store, compute, other'),
        positive,
      )
      .describe('Criticality by service prefix, and the groups data-store, compute and other'),
    data: z
      .strictObject({ public: positive, internal: positive, confidential: positive, restricted: positive })
      .partial(),
    'strong-condition': positive,
    hazards: z
      .strictObject({
        'privilege-escalation': positive,
        admin: positive,
        public: positive,
        'cross-account': positive,
        'resource-policy-control': positive,
      })
      .partial(),
  })
  .partial()

export const configSchema = z
  .strictObject({
    confidentiality: z
      .strictObject({
        'tag-key': z.string().min(1).describe('Tag key, compared case-insensitively'),
        values: z
          .array(z.string().min(1))
          .describe('Tag values that make a resource confidential, most severe last'),
      })
      .partial(),
    'home-accounts': z.array(account).describe('Accounts the tree deploys to'),
    'known-accounts': z
      .array(z.strictObject({ id: account, name: z.string().optional() }))
      .describe('Accounts outside the home accounts that are known and trusted'),
    'security-reviewers': z.array(z.string().min(1)).describe('Teams or users asked for a security review'),
    'fail-on': z
      .union([ruleOrLevel, z.array(ruleOrLevel)])
      .describe('Risk levels (a level blocks it and every higher one) or rule ids that block'),
    paths: z
      .strictObject({ include: z.array(z.string().min(1)), exclude: z.array(z.string().min(1)) })
      .partial()
      .describe('Glob patterns of paths to analyse (default: all) and to skip'),
    'application-tag-key': z.string().min(1).describe('Tag that groups resources by application'),
    terraform: z
      .strictObject({
        'var-files': z
          .record(z.string().min(1), z.array(z.string().min(1)))
          .describe(
            'Var files by root module directory ("." for the root), each relative to that directory, read after terraform.tfvars and *.auto.tfvars',
          ),
      })
      .partial()
      .describe('Terraform settings'),
    weights: weightsSchema.describe('Golf-score weights; each value overrides the default'),
  })
  .partial()
  .describe('access-diff configuration (.github/access-diff.yml)')

export type ConfigFile = z.infer<typeof configSchema>

const kebabToCamel = (key: string): string => key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

/** A validated file made into the core's Config, every absent key taken from the defaults. */
export function toConfig(file: ConfigFile): Config {
  const config = defaultConfig()
  const c = file.confidentiality
  if (c?.['tag-key'] !== undefined) config.confidentiality.tagKey = c['tag-key']
  if (c?.values !== undefined) config.confidentiality.confidentialValues = c.values
  if (file['home-accounts'] !== undefined) config.homeAccounts = file['home-accounts']
  if (file['known-accounts'] !== undefined)
    config.knownAccounts = file['known-accounts'].map((a) => ({
      id: a.id,
      ...(a.name !== undefined ? { name: a.name } : {}),
    }))
  if (file['security-reviewers'] !== undefined) config.securityReviewers = file['security-reviewers']
  const failOn = file['fail-on']
  if (failOn !== undefined) config.failOn = typeof failOn === 'string' ? [failOn] : failOn
  if (file.paths?.include !== undefined) config.include = file.paths.include
  if (file.paths?.exclude !== undefined) config.exclude = file.paths.exclude
  if (file['application-tag-key'] !== undefined) config.applicationTagKey = file['application-tag-key']
  if (file.terraform?.['var-files'] !== undefined) config.terraformVarFiles = file.terraform['var-files']
  const w = file.weights
  if (w !== undefined) {
    const weights = config.weights
    Object.assign(weights.capability, w.capability)
    for (const [k, v] of Object.entries(w.scope ?? {}))
      if (v !== undefined) weights.scope[kebabToCamel(k) as keyof typeof weights.scope] = v
    for (const [k, v] of Object.entries(w.criticality ?? {})) weights.criticality[kebabToCamel(k)] = v
    Object.assign(weights.data, w.data)
    if (w['strong-condition'] !== undefined) weights.strongCondition = w['strong-condition']
    for (const [k, v] of Object.entries(w.hazards ?? {}))
      if (v !== undefined) weights.hazards[kebabToCamel(k) as keyof typeof weights.hazards] = v
  }
  return config
}

/** Whether a fail-on entry names a risk level (else it is a rule id). */
export function isRiskLevel(entry: string): entry is (typeof RISK_LEVELS)[number] {
  return (RISK_LEVELS as string[]).includes(entry)
}

/** The JSON Schema published as schema/access-diff.schema.json, for editors (yaml-language-server). */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://github.com/access-diff/access-diff/schema/access-diff.schema.json',
    title: 'access-diff configuration',
  }
}
