/**
 * Policies as loaders find them: a raw document (object or JSON text) at a place in a file, made
 * into a model Policy with its problems reported as load errors of that file.
 */
import { resolveManagedPolicy } from '../iam/managedPolicies.js'
import { parsePolicy } from '../iam/policy.js'
import type { PolicyKind } from '../iam/types.js'
import type { Policy, PolicyOrigin, SourceLocation } from '../model/types.js'
import type { Coverage } from './types.js'

export interface RawPolicy {
  id: string
  name: string
  origin: PolicyOrigin
  kind: PolicyKind
  document: unknown
  location: SourceLocation
  /** Line of each statement by index, when the loader knows them. */
  statementLines?: (number | undefined)[]
}

/** Parses the document; every problem is also a coverage error naming the file and line. */
export function makePolicy(raw: RawPolicy, coverage: Coverage): Policy {
  const parsed = parsePolicy(raw.document, { kind: raw.kind })
  coverage.policiesAnalyzed++
  const policy: Policy = {
    id: raw.id,
    name: raw.name,
    origin: raw.origin,
    document: parsed.policy,
    location: raw.location,
  }
  if (raw.statementLines !== undefined) {
    const locations: Record<number, SourceLocation> = {}
    raw.statementLines.forEach((line, index) => {
      locations[index] = line === undefined ? raw.location : { file: raw.location.file, line }
    })
    policy.statementLocations = locations
  }
  if (parsed.problems.length > 0) {
    policy.problems = parsed.problems
    for (const p of parsed.problems) {
      if (p.severity !== 'error') continue
      const line = statementLine(raw, p.path) ?? raw.location.line
      coverage.errors.push({
        file: raw.location.file,
        ...(line !== undefined ? { line } : {}),
        message: `${raw.name}: ${p.path}: ${p.message}`,
      })
    }
  }
  return policy
}

function statementLine(raw: RawPolicy, path: string): number | undefined {
  const match = /^\$\.Statement\[(\d+)\]/.exec(path)
  return match === null ? undefined : raw.statementLines?.[Number(match[1])]
}

/**
 * An AWS managed policy attached by ARN, or undefined (with the reason in coverage) when the
 * dataset does not know it: an unknown policy is never treated as empty in silence.
 */
export function awsManagedPolicy(
  arn: string,
  location: SourceLocation,
  coverage: Coverage,
): Policy | undefined {
  const lookup = resolveManagedPolicy(arn)
  if (!lookup.found) {
    coverage.unresolved.push({
      file: location.file,
      ...(location.line !== undefined ? { line: location.line } : {}),
      expression: `${arn} (${lookup.reason})`,
    })
    return undefined
  }
  return makePolicy(
    {
      id: lookup.policy.arn,
      name: lookup.policy.name,
      origin: 'aws-managed',
      kind: 'identity',
      document: lookup.policy.document,
      location: { file: `AWS managed policy ${lookup.policy.name} (${lookup.policy.versionId})` },
    },
    coverage,
  )
}

/** The stand-in for the account a tree deploys to when no home account is configured. */
export const ACCOUNT_SYMBOL = '${AWS.AccountId}'
export const REGION_SYMBOL = '${AWS.Region}'
