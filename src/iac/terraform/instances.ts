/**
 * Resource and data instances: a block expanded by count or for_each, with its arguments
 * evaluated on demand. When the collection is unknown there is one symbolic instance (`[*]`),
 * listed in coverage, rather than none: its policies still count.
 */
import type { SourceLocation } from '../../model/types.js'
import type { Block, Body } from './ast.js'
import { computedAttribute } from './attributes.js'
import { type EvalContext, evaluateTop } from './evaluate.js'
import type { ModuleInstance } from './module.js'
import { asString, entries, isObject, Lazy, Unknown, type Value, type ValueObject } from './values.js'

export interface ResourceDecl {
  mode: 'managed' | 'data'
  type: string
  name: string
  block: Block
  module: ModuleInstance
  /** `aws_iam_role.app` or `data.aws_iam_policy_document.x`, without the module prefix. */
  key: string
}

/** What the model builders read, from HCL or from a plan. */
export interface Instance {
  type: string
  mode: 'managed' | 'data'
  address: string
  /** The module address prefix (`module.app.`), for resolving names within the same module. */
  prefix: string
  location: SourceLocation
  /** A set argument (nested blocks as a list of objects), or undefined when not set. */
  argument(name: string): Value | undefined
  /** The argument, else what Terraform computes, else an Unknown tied to this instance. */
  get(name: string): Value
  lineOf(name: string): number | undefined
  /** Nested blocks with the context to evaluate them in (dynamic blocks expanded); HCL only. */
  blocks?(type: string): { block: Block; ctx: EvalContext }[]
  /** The evaluation context of the instance's own arguments; HCL only. */
  context?(): EvalContext
}

export interface ResourceInstance extends Instance {
  key: Value | undefined
  symbolic: boolean
  value: Lazy
}

export function expandInstances(decl: ResourceDecl, module: ModuleInstance): ResourceInstance[] {
  const b = decl.block
  const base = `${module.prefix}${decl.key}`
  const ctx = module.context(b.file)
  const count = b.body.attributes.get('count')
  const forEach = b.body.attributes.get('for_each')
  const symbolic = (
    attr: { text: string; line: number },
    vars: Record<string, Value>,
  ): ResourceInstance[] => {
    module.state.unresolved(
      b.file,
      attr.line,
      `${attr.text} (instances of ${base} unknown; one symbolic instance)`,
    )
    return [makeInstance(decl, module, `${base}[*]`, new Unknown(`${base}.key`), vars, true)]
  }
  if (count) {
    const n = evaluateTop(count.expr, ctx, count.text)
    if (typeof n !== 'number' && !(typeof n === 'string' && /^\d+$/.test(n)))
      return symbolic(count, { count: { index: new Unknown(`${base}.count.index`) } })
    return Array.from({ length: Number(n) }, (_, i) =>
      makeInstance(decl, module, `${base}[${i}]`, i, { count: { index: i } }, false),
    )
  }
  if (forEach) {
    const v = evaluateTop(forEach.expr, ctx, forEach.text)
    const list = entries(v)
    if (list === undefined)
      return symbolic(forEach, {
        each: { key: new Unknown(`${base}.each.key`), value: new Unknown(`${base}.each.value`) },
      })
    // A set's elements are its keys; a map's keys are its keys.
    const pairs: [string, Value][] = Array.isArray(v)
      ? list.map(([, x]) => [asString(x), x])
      : list.map(([k, x]) => [String(k), x])
    return pairs.map(([k, x]) =>
      makeInstance(decl, module, `${base}[${JSON.stringify(k)}]`, k, { each: { key: k, value: x } }, false),
    )
  }
  return [makeInstance(decl, module, base, undefined, {}, false)]
}

function makeInstance(
  decl: ResourceDecl,
  module: ModuleInstance,
  address: string,
  key: Value | undefined,
  vars: Record<string, Value>,
  symbolic: boolean,
): ResourceInstance {
  const b = decl.block
  const ctx = module.withVars(module.context(b.file), vars)
  const cache = new Map<string, Value | undefined>()
  const argument = (name: string): Value | undefined => {
    if (cache.has(name)) return cache.get(name)
    const attr = b.body.attributes.get(name)
    let v: Value | undefined
    if (attr)
      v = module.memo(`${address}.${name}`, attr.line, b.file, () => evaluateTop(attr.expr, ctx, attr.text))
    else {
      const nested = nestedBlocks(b.body, name, ctx)
      v = nested.length > 0 ? nested.map(({ block, ctx: c }) => bodyValue(block.body, c)) : undefined
    }
    cache.set(name, v)
    return v
  }
  const instance: ResourceInstance = {
    type: decl.type,
    mode: decl.mode,
    address,
    prefix: module.prefix,
    location: { file: b.file, line: b.line },
    key,
    symbolic,
    argument,
    get: (name) => {
      const v = argument(name)
      if (v !== undefined && v !== null) return v
      const env = module.state.env
      return (
        computedAttribute(instance, name, env) ??
        module.state.computed(instance, name) ??
        new Unknown(`${address}.${name}`)
      )
    },
    lineOf: (name) => b.body.attributes.get(name)?.line ?? b.body.blocks.find((x) => x.type === name)?.line,
    blocks: (type) => nestedBlocks(b.body, type, ctx),
    context: () => ctx,
    value: new Lazy(
      address,
      (name) => instance.get(name),
      () => [...b.body.attributes.keys()],
    ),
  }
  return instance
}

/** Nested blocks of a type, static and `dynamic "type"` ones, each with its evaluation context. */
export function nestedBlocks(
  body: Body,
  type: string,
  ctx: EvalContext,
): { block: Block; ctx: EvalContext }[] {
  const out: { block: Block; ctx: EvalContext }[] = []
  for (const b of body.blocks) {
    if (b.type === type) out.push({ block: b, ctx })
    else if (b.type === 'dynamic' && b.labels[0] === type) {
      const forEach = b.body.attributes.get('for_each')
      const content = b.body.blocks.find((x) => x.type === 'content')
      if (!forEach || !content) continue
      const iteratorAttr = b.body.attributes.get('iterator')
      const iterator = iteratorAttr?.expr.k === 'var' ? iteratorAttr.expr.name : type
      const v = evaluateTop(forEach.expr, ctx, forEach.text)
      const list = entries(v)
      if (list === undefined) {
        // A block made of unknowns would only add invalid statements: none, and say so.
        ctx.unresolved(
          forEach.line,
          `${forEach.text} (dynamic "${type}" over an unknown collection: not expanded)`,
        )
        continue
      }
      for (const [k, x] of list)
        out.push({ block: content, ctx: withIterator(ctx, iterator, { key: k, value: x }) })
    }
  }
  return out
}

function withIterator(ctx: EvalContext, name: string, value: ValueObject): EvalContext {
  return { ...ctx, lookup: (n, line) => (n === name ? value : ctx.lookup(n, line)) }
}

/** A nested block as an object: its attributes, and its own nested blocks as lists. */
export function bodyValue(body: Body, ctx: EvalContext): ValueObject {
  const out: ValueObject = {}
  for (const a of body.attributes.values()) out[a.name] = evaluateTop(a.expr, ctx, a.text)
  for (const type of new Set(body.blocks.map((b) => (b.type === 'dynamic' ? (b.labels[0] ?? '') : b.type)))) {
    if (type === '') continue
    out[type] = nestedBlocks(body, type, ctx).map(({ block, ctx: c }) => bodyValue(block.body, c))
  }
  return out
}

export function isSet(v: Value | undefined): v is Value {
  return v !== undefined && v !== null && !(isObject(v) && Object.keys(v).length === 0)
}
