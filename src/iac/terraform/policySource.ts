/**
 * A policy argument (JSON text from jsonencode, a heredoc, a file or a policy document) made into a
 * model Policy, with each statement's file and line, and every symbol in it listed as unresolved.
 */
import type { PolicyKind } from '../../iam/types.js'
import type { Policy, PolicyOrigin, SourceLocation } from '../../model/types.js'
import { makePolicy } from '../policies.js'
import type { TextOrigins } from './evaluate.js'
import type { SharedState } from './state.js'
import { collectSymbols, isObject, toJson, Unknown, type Value } from './values.js'

export interface PolicySpec {
  id: string
  name: string
  origin: PolicyOrigin
  kind: PolicyKind
  value: Value
  /** Where the argument was written: the fallback location of every statement. */
  location: SourceLocation
}

export function buildPolicy(spec: PolicySpec, shared: SharedState): Policy | undefined {
  const { value, location } = spec
  if (value instanceof Unknown || value === null) {
    shared.unresolved(
      location.file,
      location.line,
      `${spec.id}: policy ${value === null ? 'not set' : value.ref}`,
    )
    return undefined
  }
  const text = typeof value === 'string' ? value : JSON.stringify(toJson(value))
  const document = typeof value === 'string' || !isObject(value) ? text : toJson(value)
  const locations = statementLocations(text, location, shared.origins)
  const policy = makePolicy(
    {
      id: spec.id,
      name: spec.name,
      origin: spec.origin,
      kind: spec.kind,
      document,
      location,
      statementLines: locations.map((l) => l.line),
    },
    shared.coverage,
  )
  // makePolicy puts every statement in the argument's file; a policy document may be in another.
  const fixed: Record<number, SourceLocation> = {}
  locations.forEach((l, i) => {
    fixed[i] = l
  })
  if (locations.length > 0) policy.statementLocations = fixed
  const symbols = new Set<string>()
  policy.document.statements.forEach((s, i) => {
    const before = symbols.size
    collectSymbols(JSON.parse(JSON.stringify(s)), symbols)
    if (symbols.size === before) return
    const at = locations[i] ?? location
    for (const sym of [...symbols].slice(before))
      if (!sym.startsWith('AWS.')) shared.unresolved(at.file, at.line, `${sym} (in ${spec.name})`)
  })
  return policy
}

/** Each statement's place: recorded by jsonencode/policy documents, or found in heredoc or file text. */
function statementLocations(text: string, fallback: SourceLocation, origins: TextOrigins): SourceLocation[] {
  const known = origins.documents.get(text)
  if (known) return known
  const start = origins.texts.get(text)
  const offsets = statementLineOffsets(text)
  if (start) return offsets.map((o) => ({ file: start.file, line: start.line + o }))
  return offsets.map(() => fallback)
}

/** The 0-based line of each element of the top-level "Statement" array (or of the one object). */
export function statementLineOffsets(text: string): number[] {
  const out: number[] = []
  let depth = 0
  let line = 0
  let inString = false
  let statementDepth = -1
  let pendingKey = ''
  let lastString = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\n') line++
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      else lastString += c
      continue
    }
    if (c === '"') {
      inString = true
      lastString = ''
    } else if (c === ':') pendingKey = depth === 1 ? lastString : ''
    else if (c === '{' || c === '[') {
      if (depth === 1 && pendingKey === 'Statement') {
        if (c === '{') out.push(line)
        else statementDepth = depth + 1
      } else if (depth === statementDepth && c === '{') out.push(line)
      depth++
      pendingKey = ''
    } else if (c === '}' || c === ']') {
      depth--
      if (depth < statementDepth) statementDepth = -1
    }
  }
  return out
}
