/**
 * Plain IAM policy files: a JSON file that is an identity policy document, on its own or as the AWS
 * CLI prints it (`aws iam get-policy-version`: `{"PolicyVersion": {"Document": ...}}`;
 * `get-role-policy`, `get-user-policy`, `get-group-policy`: `{"PolicyName": ..., "PolicyDocument": ...}`,
 * the document possibly URL-encoded JSON text). Repositories of policies (exports of an account,
 * the AWS managed policies' history) are trees of such files.
 *
 * A policy file attaches to nothing, so each becomes a customer-managed policy held by a synthetic
 * principal named after the file: type `role`, name = the file's base name without extension,
 * address and id = the file path, no trust policy, in the home account. Its access is then what
 * the policy grants, and a change to the file is a change of that principal's access.
 *
 * A file that another loader read as part of its own input (Terraform `file("policies/s3.json")`)
 * is that loader's: it is not loaded a second time as a principal of its own. Files that are not
 * JSON objects, or JSON without a policy document in one of these shapes (CloudFormation templates,
 * Terraform plans, package.json), are not policy files and are left alone. A document whose
 * statements name principals is a resource policy with no resource to attach to: listed in
 * `coverage.notAnalysed`, not loaded.
 */
import { posix } from 'node:path'
import { emptyModel, type Principal } from '../model/types.js'
import { ACCOUNT_SYMBOL, makePolicy } from './policies.js'
import { filtered } from './terraform/load.js'
import { emptyCoverage, type LoaderOptions, type LoadResult, type Snapshot } from './types.js'

/** Policy documents are at most 6,144 characters in IAM; exports with whitespace stay far below this. */
const MAX_POLICY_FILE_CHARS = 1_000_000
const SKIPPED_DIRS = /(^|\/)(node_modules|\.git|\.terraform|cdk\.out)\//

export function loadPolicyFiles(
  snapshot: Snapshot,
  options: LoaderOptions = {},
  readByOthers: ReadonlySet<string> = new Set(),
): LoadResult {
  const coverage = emptyCoverage()
  const account = options.homeAccount ?? ACCOUNT_SYMBOL
  const model = emptyModel([account], options.partition ?? 'aws')
  const tree = filtered(snapshot, options)
  for (const path of tree.paths()) {
    if (!isCandidate(path) || readByOthers.has(path)) continue
    const text = tree.read(path)
    if (text === undefined || text.length > MAX_POLICY_FILE_CHARS || !/^\s*\{/.test(text)) continue
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      continue // not JSON: not ours to report
    }
    const found = policyDocumentOf(json)
    if (found === undefined) continue
    if (namesPrincipals(found.document)) {
      // A bucket or key policy on its own: no resource of the tree to attach it to.
      coverage.notAnalysed.push({
        file: path,
        what: 'resource policy file',
        reason: 'a resource-based policy (it names principals) that no resource of the tree uses',
      })
      continue
    }
    coverage.filesAnalyzed++
    const base = posix.basename(path).replace(/\.json$/i, '')
    const policy = makePolicy(
      {
        id: path,
        name: found.name ?? base,
        origin: 'customer-managed',
        kind: 'identity',
        document: found.document,
        location: { file: path, line: 1 },
      },
      coverage,
    )
    const principal: Principal = {
      id: path,
      type: 'role',
      name: base,
      address: path,
      account,
      policies: [policy],
      location: { file: path, line: 1 },
    }
    model.principals.push(principal)
  }
  return { model, coverage }
}

/** `.json` files, and files without an extension (exports of managed policies are named after them). */
function isCandidate(path: string): boolean {
  if (SKIPPED_DIRS.test(path)) return false
  const name = posix.basename(path)
  return /\.json$/i.test(name) || (!name.includes('.') && !/^[A-Z]+$/.test(name))
}

/** The identity policy document a JSON value holds, in one of the shapes above. */
export function policyDocumentOf(json: unknown): { document: unknown; name?: string } | undefined {
  if (!isRecord(json)) return undefined
  if (isRecord(json.PolicyVersion) && json.PolicyVersion.Document !== undefined) {
    const document = decoded(json.PolicyVersion.Document)
    return isPolicyDocument(document) ? { document } : undefined
  }
  if (json.PolicyDocument !== undefined && typeof json.PolicyName === 'string') {
    const document = decoded(json.PolicyDocument)
    return isPolicyDocument(document) ? { document, name: json.PolicyName } : undefined
  }
  return isPolicyDocument(json) ? { document: json } : undefined
}

/** A document object: `Statement` and nothing of a template or another file format beside it. */
function isPolicyDocument(value: unknown): boolean {
  if (!isRecord(value) || value.Statement === undefined) return false
  const allowed = new Set(['Version', 'Id', 'Statement'])
  return Object.keys(value).every((k) => allowed.has(k))
}

function namesPrincipals(document: unknown): boolean {
  if (!isRecord(document)) return false
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement]
  return statements.some((s) => isRecord(s) && (s.Principal !== undefined || s.NotPrincipal !== undefined))
}

/** The CLI prints documents as objects; the IAM API returns URL-encoded JSON text. */
function decoded(value: unknown): unknown {
  if (typeof value !== 'string') return value
  for (const text of [value, safeDecode(value)]) {
    try {
      return JSON.parse(text) as unknown
    } catch {
      // try the next form
    }
  }
  return value
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
