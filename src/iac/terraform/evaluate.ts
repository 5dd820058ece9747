/**
 * The HCL expression evaluator. It never fails on what it cannot know: an unknown value stays an
 * Unknown (a stable reference to what it came from) and flows on, so a policy naming
 * `aws_s3_bucket.kyc.arn` still names exactly that bucket.
 */
import type { Expr, SplatStep, TemplatePart } from './ast.js'
import { callFunction } from './functions.js'
import {
  asString,
  entries,
  equalValues,
  getAttr,
  getIndex,
  isObject,
  Lazy,
  toJson,
  truthy,
  Unknown,
  type Value,
  type ValueObject,
} from './values.js'

/** A definite evaluation failure (as Terraform would report it), which `try` and `can` catch. */
export class HclEvalError extends Error {}

/** Where strings that may hold policies came from, to give each statement its line. */
export interface TextOrigins {
  /** Object literals by the line they start on: jsonencode's statements. */
  objectLines: WeakMap<object, number>
  /** Policy JSON made by jsonencode or aws_iam_policy_document, with each statement's place. */
  documents: Map<string, { file: string; line?: number }[]>
  /** Heredocs and files by where their first line is. */
  texts: Map<string, { file: string; line: number }>
}

export interface EvalContext {
  file: string
  /** The module directory, for file() and path.module. */
  dir: string
  origins: TextOrigins
  lookup(name: string, line: number): Value | undefined
  unresolved(line: number, expression: string): void
  /** Reads a file of the tree, relative to the module directory; undefined when refused or absent. */
  readFile(path: string, line: number): string | undefined
  /** templatefile(): the text as a template, with these variables only. */
  renderTemplate(text: string, vars: Record<string, Value>, line: number): Value
}

export function withVars(ctx: EvalContext, vars: Record<string, Value>): EvalContext {
  return {
    ...ctx,
    lookup: (name, line) => (Object.hasOwn(vars, name) ? vars[name] : ctx.lookup(name, line)),
  }
}

/** Evaluates an attribute's expression; a definite failure becomes an Unknown listed in coverage. */
export function evaluateTop(expr: Expr, ctx: EvalContext, text: string): Value {
  try {
    return evaluate(expr, ctx)
  } catch (e) {
    if (!(e instanceof HclEvalError)) throw e
    ctx.unresolved(expr.line, `${text} (${e.message})`)
    return new Unknown(text)
  }
}

export function evaluate(e: Expr, ctx: EvalContext): Value {
  switch (e.k) {
    case 'lit':
      return e.value
    case 'tpl':
      return template(e.parts, ctx, e.line)
    case 'var': {
      const v = ctx.lookup(e.name, e.line)
      if (v === undefined) throw new HclEvalError(`unknown name ${e.name}`)
      return v
    }
    case 'attr': {
      const obj = evaluate(e.obj, ctx)
      const v = getAttr(obj, e.name)
      if (v !== undefined) return v
      if (obj === null) throw new HclEvalError(`attribute ${e.name} of null`)
      // Objects typed with optional() attributes read as null when the attribute is left out.
      if (isObject(obj)) return null
      throw new HclEvalError(`no attribute ${e.name}`)
    }
    case 'index': {
      const obj = evaluate(e.obj, ctx)
      const v = getIndex(obj, evaluate(e.key, ctx))
      if (v === undefined) throw new HclEvalError('index not found')
      return v
    }
    case 'splat':
      return splat(e.obj, e.steps, ctx)
    case 'tuple':
      return e.items.map((x) => evaluate(x, ctx))
    case 'object': {
      const out: ValueObject = {}
      for (const { key, value } of e.items) out[asString(evaluate(key, ctx))] = evaluate(value, ctx)
      ctx.origins.objectLines.set(out, e.line)
      return out
    }
    case 'call':
      return call(e, ctx)
    case 'cond': {
      const c = truthy(evaluate(e.cond, ctx))
      if (c !== undefined) return evaluate(c ? e.whenTrue : e.whenFalse, ctx)
      const a = evaluate(e.whenTrue, ctx)
      const b = evaluate(e.whenFalse, ctx)
      return equalValues(a, b) ? a : new Unknown(e.text)
    }
    case 'unary':
      return unary(e.op, evaluate(e.operand, ctx))
    case 'binary':
      return binary(e.op, e.left, e.right, ctx)
    case 'for':
      return forExpr(e, ctx)
    case 'bad':
      throw new HclEvalError(`cannot read expression ${e.text.slice(0, 40)}`)
  }
}

function template(parts: TemplatePart[], ctx: EvalContext, line: number): Value {
  // A lone interpolation keeps its type: "${var.list}" is the list, not its text.
  const only = parts[0]
  if (parts.length === 1 && typeof only === 'object' && 'k' in only && only.k !== 'if' && only.k !== 'tfor')
    return evaluate(only, ctx)
  const text = templateText(parts, ctx)
  if (text.includes('Statement')) ctx.origins.texts.set(text, { file: ctx.file, line })
  return text
}

function templateText(parts: TemplatePart[], ctx: EvalContext): string {
  let out = ''
  for (const p of parts) {
    if (typeof p === 'string') out += p
    else if (p.k === 'if') {
      const c = truthy(evaluate(p.cond, ctx))
      if (c === undefined) out += new Unknown('template condition').symbol
      else out += templateText(c ? p.whenTrue : p.whenFalse, ctx)
    } else if (p.k === 'tfor') {
      const list = entries(evaluate(p.collection, ctx))
      if (list === undefined) out += new Unknown('template for').symbol
      else
        for (const [k, v] of list) {
          const vars: Record<string, Value> = { [p.valueVar]: v }
          if (p.keyVar !== undefined) vars[p.keyVar] = k
          out += templateText(p.body, withVars(ctx, vars))
        }
    } else out += asString(evaluate(p, ctx))
  }
  return out
}

function splat(objExpr: Expr, steps: SplatStep[], ctx: EvalContext): Value {
  const obj = evaluate(objExpr, ctx)
  if (obj instanceof Unknown) return new Unknown(`${obj.ref}[*]`)
  const items = obj === null ? [] : Array.isArray(obj) ? obj : [obj]
  return items.map((item) => {
    let v: Value = item
    for (const s of steps) {
      const next = 'attr' in s ? getAttr(v, s.attr) : getIndex(v, evaluate(s.index, ctx))
      if (next === undefined) throw new HclEvalError('splat step not found')
      v = next
    }
    return v
  })
}

function call(e: Extract<Expr, { k: 'call' }>, ctx: EvalContext): Value {
  if (e.name === 'try') {
    for (const a of e.args) {
      try {
        return evaluate(a, ctx)
      } catch (err) {
        if (!(err instanceof HclEvalError)) throw err
      }
    }
    throw new HclEvalError('no argument of try could be evaluated')
  }
  if (e.name === 'can') {
    try {
      const first = e.args[0]
      if (first) evaluate(first, ctx)
      return true
    } catch (err) {
      if (!(err instanceof HclEvalError)) throw err
      return false
    }
  }
  let args = e.args.map((a) => evaluate(a, ctx))
  if (e.expand && args.length > 0) {
    const last = args[args.length - 1]
    if (Array.isArray(last)) args = [...args.slice(0, -1), ...last]
  }
  const result = callFunction(e.name, args, ctx, e.line)
  if (result === undefined) {
    ctx.unresolved(e.line, `${e.text} (function ${e.name} is not supported)`)
    return new Unknown(e.text)
  }
  return result
}

function unary(op: string, v: Value): Value {
  if (v instanceof Unknown) return new Unknown(`${op}${v.ref}`)
  if (op === '!') {
    const t = truthy(v)
    if (t === undefined) throw new HclEvalError('! needs a bool')
    return !t
  }
  return -Number(v)
}

function binary(op: string, l: Expr, r: Expr, ctx: EvalContext): Value {
  const a = evaluate(l, ctx)
  // && and || decide on a known side even when the other is unknown.
  if (op === '&&' || op === '||') {
    const b = evaluate(r, ctx)
    const x = truthy(a)
    const y = truthy(b)
    if (op === '&&') return x === false || y === false ? false : x && y ? true : new Unknown('condition')
    return x === true || y === true ? true : x === false && y === false ? false : new Unknown('condition')
  }
  const b = evaluate(r, ctx)
  if (op === '==' || op === '!=') {
    // Comparing with null is decided by whether the other side exists, even if its content is unknown.
    if ((a === null || b === null) && !(a instanceof Unknown) && !(b instanceof Unknown))
      return op === '==' ? a === b : a !== b
    if (!isComparable(a) || !isComparable(b)) return new Unknown(`${refOf(a)} ${op} ${refOf(b)}`)
    const same = JSON.stringify(toJson(a)) === JSON.stringify(toJson(b))
    return op === '==' ? same : !same
  }
  if (a instanceof Unknown || b instanceof Unknown) return new Unknown(`${refOf(a)} ${op} ${refOf(b)}`)
  const x = Number(a)
  const y = Number(b)
  switch (op) {
    case '+':
      return x + y
    case '-':
      return x - y
    case '*':
      return x * y
    case '/':
      return x / y
    case '%':
      return x % y
    case '<':
      return x < y
    case '>':
      return x > y
    case '<=':
      return x <= y
    case '>=':
      return x >= y
  }
  throw new HclEvalError(`operator ${op}`)
}

function isComparable(v: Value): boolean {
  if (v instanceof Unknown || v instanceof Lazy) return false
  if (typeof v === 'string') return !/\$\{[^}:]+\}/.test(v)
  if (Array.isArray(v)) return v.every(isComparable)
  if (isObject(v)) return Object.values(v).every(isComparable)
  return true
}

function refOf(v: Value): string {
  return v instanceof Unknown ? v.ref : typeof v === 'string' ? JSON.stringify(v) : String(toJson(v))
}

function forExpr(e: Extract<Expr, { k: 'for' }>, ctx: EvalContext): Value {
  const collection = evaluate(e.collection, ctx)
  const list = entries(collection)
  if (list === undefined) return new Unknown(`for over ${refOf(collection)}`)
  const tuple: Value[] = []
  const object: ValueObject = {}
  for (const [k, v] of list) {
    const vars: Record<string, Value> = { [e.valueVar]: v }
    if (e.keyVar !== undefined) vars[e.keyVar] = k
    const inner = withVars(ctx, vars)
    if (e.cond) {
      const c = truthy(evaluate(e.cond, inner))
      if (c === false) continue
    }
    const value = evaluate(e.value, inner)
    if (!e.object) {
      tuple.push(value)
      continue
    }
    const key = asString(evaluate(e.key ?? e.value, inner))
    if (e.group) object[key] = [...((object[key] as Value[] | undefined) ?? []), value]
    else object[key] = value
  }
  return e.object ? object : tuple
}
