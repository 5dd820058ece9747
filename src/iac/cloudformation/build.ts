/**
 * The model under construction, shared by the handlers of every resource type: principals and
 * resources by the names policies use for them, and resource-policy fragments that are merged
 * into one policy per resource at the end (a bucket policy, a queue policy and Lambda permissions
 * are separate CloudFormation resources, but one policy to IAM).
 */
import type { PolicyKind } from '../../iam/types.js'
import type { Policy, PolicyOrigin, Principal, Resource, SourceLocation } from '../../model/types.js'
import { makePolicy } from '../policies.js'
import type { Coverage } from '../types.js'
import { isRecord, type Resolver } from './intrinsics.js'
import type { Value } from './parse.js'

interface Fragment {
  id: string
  name: string
  statements: Value[]
  lines: (number | undefined)[]
  location: SourceLocation
}

export class Builder {
  readonly principals: Principal[] = []
  readonly resources: Resource[] = []
  /** `role:<name>` -> principal, by IAM name as `Ref` gives it (possibly symbolic). */
  private readonly principalByName = new Map<string, Principal>()
  /** Name, ARN, URL and id of each resource -> the resource. */
  private readonly resourceByRef = new Map<string, Resource>()
  /** Customer managed policies by ARN, as `ManagedPolicyArns` and `!Ref` name them. */
  readonly managedPolicies = new Map<string, Policy>()
  private readonly fragments = new Map<Resource, Fragment[]>()
  /** Work that needs every principal and resource of the tree first (attachments, resource policies). */
  readonly later: (() => void)[] = []

  constructor(readonly coverage: Coverage) {}

  addPrincipal(p: Principal, type: 'role' | 'user' | 'group', name: string): void {
    this.principals.push(p)
    this.principalByName.set(`${type}:${name}`, p)
    if (p.arn !== undefined) this.principalByName.set(`${type}:${p.arn}`, p)
  }

  principal(type: 'role' | 'user' | 'group', nameOrArn: string): Principal | undefined {
    return this.principalByName.get(`${type}:${nameOrArn}`)
  }

  addResource(r: Resource, keys: string[]): void {
    this.resources.push(r)
    for (const key of [r.arn, ...keys]) if (!this.resourceByRef.has(key)) this.resourceByRef.set(key, r)
  }

  resource(key: string): Resource | undefined {
    return this.resourceByRef.get(key)
  }

  /** Adds statements to a resource's policy; `document` is a policy object or JSON text. */
  addResourcePolicy(
    r: Resolver,
    target: Resource,
    document: Value,
    meta: { id: string; name: string; line?: number },
  ): void {
    const location = { file: r.t.file, ...(meta.line !== undefined ? { line: meta.line } : {}) }
    const doc = asDocument(r, document, meta.line)
    if (!isRecord(doc) || doc.Statement === undefined) {
      // Not mergeable: parse it on its own so that its problems are reported where it was written.
      makePolicy({ ...meta, origin: 'resource', kind: 'resource', document: doc, location }, this.coverage)
      return
    }
    const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement]
    const fragment: Fragment = {
      id: meta.id,
      name: meta.name,
      statements: list,
      lines: list.map((s) => r.lineOf(s, meta.line)),
      location,
    }
    this.fragments.set(target, [...(this.fragments.get(target) ?? []), fragment])
  }

  /** Runs the deferred work, then gives each resource its merged policy. */
  finish(): void {
    for (const task of this.later) task()
    for (const [resource, fragments] of this.fragments) {
      const first = fragments[0]!
      resource.policy = makePolicy(
        {
          id: fragments.map((f) => f.id).join('+'),
          name: [...new Set(fragments.map((f) => f.name))].join(', '),
          origin: 'resource',
          kind: 'resource',
          document: { Version: '2012-10-17', Statement: fragments.flatMap((f) => f.statements) },
          location: first.location,
          statementLines: fragments.flatMap((f) => f.lines),
        },
        this.coverage,
      )
    }
  }
}

/** A policy document as written: an object, or JSON text (also the result of `Fn::Sub`). */
export function asDocument(r: Resolver, value: Value, line: number | undefined): Value {
  const resolved = r.resolve(value, line)
  if (typeof resolved !== 'string') return resolved
  try {
    return JSON.parse(resolved) as Value
  } catch {
    return resolved // makePolicy reports the JSON error with this file and line
  }
}

/** A policy of a principal (inline, managed, trust, boundary), with the line of each statement. */
export function policyFrom(
  r: Resolver,
  document: Value,
  meta: { id: string; name: string; origin: PolicyOrigin; kind: PolicyKind; line?: number },
): Policy {
  const doc = asDocument(r, document, meta.line)
  const statements = isRecord(doc) ? doc.Statement : undefined
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements]
  return makePolicy(
    {
      id: meta.id,
      name: meta.name,
      origin: meta.origin,
      kind: meta.kind,
      document: doc,
      location: { file: r.t.file, ...(meta.line !== undefined ? { line: meta.line } : {}) },
      statementLines: list.map((s) => r.lineOf(s, meta.line)),
    },
    r.coverage,
  )
}

/** A list property as a list of strings (a single value is a list of one). */
export function strings(r: Resolver, value: Value, line: number | undefined): string[] {
  if (value === undefined || value === null) return []
  const resolved = r.resolve(value, line)
  const list = Array.isArray(resolved) ? resolved : [resolved]
  return list.map((v) => (typeof v === 'string' ? v : r.text(v, line)))
}

export function tagsOf(r: Resolver, value: Value, line: number | undefined): Record<string, string> {
  const resolved = r.resolve(value, line)
  const tags: Record<string, string> = {}
  if (Array.isArray(resolved)) {
    for (const t of resolved) if (isRecord(t)) tags[r.text(t.Key, line)] = r.text(t.Value, line)
  } else if (isRecord(resolved)) {
    // SAM and some resource types write tags as a map.
    for (const [k, v] of Object.entries(resolved)) tags[k] = r.text(v, line)
  }
  return tags
}
