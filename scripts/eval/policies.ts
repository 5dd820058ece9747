/**
 * The policy grammar, the action catalog and the managed-policy dataset against real AWS managed
 * policy documents of the corpus: every document should parse with no errors, name no unknown
 * action (AWS's own typos aside), and agree with the dataset where versions match.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadActionCatalog } from '../../src/iam/catalog.js'
import { resolveManagedPolicy } from '../../src/iam/managedPolicies.js'
import { parsePolicy } from '../../src/iam/policy.js'

export interface PolicyEval {
  documents: number
  statements: number
  errors: { file: string; path: string; message: string }[]
  unknownActions: { file: string; pattern: string; problem: string }[]
  datasetSameVersion: number
  datasetSameDocument: number
  datasetCompared: number
}

export function evalManagedPolicyDocuments(corpusDir: string): PolicyEval {
  const catalog = loadActionCatalog()
  const result: PolicyEval = {
    documents: 0,
    statements: 0,
    errors: [],
    unknownActions: [],
    datasetSameVersion: 0,
    datasetSameDocument: 0,
    datasetCompared: 0,
  }
  const mamip = join(corpusDir, 'managed-policies/MAMIP/policies')
  const iamDataset = join(corpusDir, 'managed-policies/iam-dataset/aws/managedpolicies')
  const inputs: { file: string; name: string; version?: string; document: unknown }[] = []
  for (const name of readdirSync(mamip).sort()) {
    const json = JSON.parse(readFileSync(join(mamip, name), 'utf8')) as {
      PolicyVersion: { Document: unknown; VersionId: string }
    }
    inputs.push({
      file: `MAMIP/policies/${name}`,
      name,
      version: json.PolicyVersion.VersionId,
      document: json.PolicyVersion.Document,
    })
  }
  for (const file of readdirSync(iamDataset).sort()) {
    const json = JSON.parse(readFileSync(join(iamDataset, file), 'utf8')) as { document: unknown }
    inputs.push({ file: `iam-dataset/${file}`, name: file.replace(/\.json$/, ''), document: json.document })
  }
  for (const input of inputs) {
    const parsed = parsePolicy(input.document, { kind: 'identity' })
    result.documents++
    result.statements += parsed.policy.statements.length
    for (const p of parsed.problems)
      if (p.severity === 'error') result.errors.push({ file: input.file, path: p.path, message: p.message })
    for (const s of parsed.policy.statements) {
      for (const pattern of s.action ?? s.notAction ?? []) {
        const expansion = catalog.expand(pattern)
        if (expansion.actions.length === 0)
          result.unknownActions.push({ file: input.file, pattern, problem: expansion.problem ?? '' })
      }
    }
    if (input.version !== undefined) {
      const lookup = resolveManagedPolicy(`arn:aws:iam::aws:policy/${input.name}`)
      const found = lookup.found
        ? lookup
        : resolveManagedPolicy(`arn:aws:iam::aws:policy/service-role/${input.name}`)
      result.datasetCompared++
      if (found.found && found.policy.versionId === input.version) {
        result.datasetSameVersion++
        if (canonical(found.policy.document) === canonical(input.document)) result.datasetSameDocument++
      }
    }
  }
  return result
}

/** JSON with object keys sorted, so that key order does not count as a difference. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    )
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value)
}
