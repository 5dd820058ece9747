/**
 * The Terraform functions that policies use. A function whose argument is unknown gives an
 * Unknown naming the call, so the symbol still says where the value came from. A function not in
 * this table makes the caller list the expression as unresolved.
 */
import { type EvalContext, HclEvalError } from './evaluate.js'
import {
  asString,
  entries,
  fromJson,
  isObject,
  Lazy,
  toJson,
  Unknown,
  type Value,
  type ValueObject,
} from './values.js'

type Fn = (args: Value[], ctx: EvalContext, line: number) => Value

const list = (v: Value | undefined): Value[] => {
  if (Array.isArray(v)) return v
  if (v === null || v === undefined) return []
  if (isObject(v)) return Object.values(v)
  return [v]
}
const str = (v: Value | undefined): string => asString(v ?? null)

/** Applies a string transformation outside symbols, which must stay as they are. */
const outsideSymbols = (s: string, f: (x: string) => string): string =>
  s
    .split(/(\$\{[^}:]+\})/)
    .map((part, i) => (i % 2 === 1 ? part : f(part)))
    .join('')

function jsonencode(args: Value[], ctx: EvalContext): Value {
  const v = args[0] ?? null
  const text = JSON.stringify(toJson(v))
  // Remember where each statement object was written, for the statement's source line.
  if (isObject(v)) {
    const statements = v.Statement
    const items = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements]
    const locations = items.map((s) => {
      const line = typeof s === 'object' && s !== null ? ctx.origins.objectLines.get(s) : undefined
      return line === undefined ? { file: ctx.file } : { file: ctx.file, line }
    })
    if (items.length > 0) ctx.origins.documents.set(text, locations)
  }
  return text
}

function format(args: Value[]): Value {
  const spec = str(args[0])
  let i = 1
  return spec.replace(/%(-?\d*)(\.\d+)?([sdvqtf%])/g, (_m, _w, _p, verb: string) => {
    if (verb === '%') return '%'
    const v = args[i++] ?? null
    if (verb === 'q') return JSON.stringify(str(v))
    if (verb === 'd') return String(Math.trunc(Number(v)))
    return str(v)
  })
}

function replace(args: Value[]): Value {
  const s = str(args[0])
  const search = str(args[1])
  const by = str(args[2])
  if (search.length > 2 && search.startsWith('/') && search.endsWith('/')) {
    try {
      return s.replace(new RegExp(search.slice(1, -1), 'g'), by.replace(/\$\{?(\d+)\}?/g, '$$$1'))
    } catch {
      throw new HclEvalError(`bad regular expression ${search}`)
    }
  }
  return s.split(search).join(by)
}

function merge(args: Value[]): Value {
  const out: ValueObject = {}
  for (const a of args) {
    if (a === null) continue
    if (a instanceof Lazy) for (const k of a.keys()) out[k] = a.get(k)
    else if (isObject(a)) Object.assign(out, a)
  }
  return out
}

function flatten(v: Value): Value[] {
  return list(v).flatMap((x) => (Array.isArray(x) ? flatten(x) : [x]))
}

function distinct(v: Value[]): Value[] {
  const seen = new Set<string>()
  return v.filter((x) => {
    const key = JSON.stringify(toJson(x))
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function fileText(args: Value[], ctx: EvalContext, line: number): string {
  const path = str(args[0])
  const text = ctx.readFile(path, line)
  if (text === undefined) throw new HclEvalError(`file ${path} cannot be read from the tree`)
  return text
}

const FUNCTIONS: Record<string, Fn> = {
  jsonencode,
  jsondecode: (a) => {
    try {
      return fromJson(JSON.parse(str(a[0])))
    } catch {
      throw new HclEvalError('jsondecode of text that is not JSON')
    }
  },
  merge,
  concat: (a) => a.flatMap((x) => list(x)),
  flatten: (a) => flatten(a[0] ?? null),
  distinct: (a) => distinct(list(a[0])),
  compact: (a) => list(a[0]).filter((x) => x !== null && x !== ''),
  lookup: (a) => {
    const m = a[0] ?? null
    const key = str(a[1])
    const found = m instanceof Lazy ? m.get(key) : isObject(m) && Object.hasOwn(m, key) ? m[key] : undefined
    if (found !== undefined) return found
    if (a.length > 2) return a[2] ?? null
    throw new HclEvalError(`lookup: no key ${key}`)
  },
  element: (a) => {
    const l = list(a[0])
    if (l.length === 0) throw new HclEvalError('element of an empty list')
    return l[Number(a[1]) % l.length] ?? null
  },
  length: (a) => {
    const v = a[0] ?? null
    if (typeof v === 'string') return [...v].length
    return entries(v)?.length ?? 0
  },
  keys: (a) => {
    const v = a[0] ?? null
    return v instanceof Lazy ? v.keys() : isObject(v) ? Object.keys(v).sort() : []
  },
  values: (a) => {
    const v = a[0] ?? null
    return isObject(v)
      ? Object.keys(v)
          .sort()
          .map((k) => v[k] ?? null)
      : list(v)
  },
  format,
  formatlist: (a) => {
    const lists = a.slice(1)
    const n = Math.max(0, ...lists.map((x) => (Array.isArray(x) ? x.length : 1)))
    return Array.from({ length: n }, (_, i) =>
      format([a[0] ?? '', ...lists.map((x) => (Array.isArray(x) ? (x[i] ?? null) : x))]),
    )
  },
  join: (a) => list(a[1]).map(str).join(str(a[0])),
  split: (a) => str(a[1]).split(str(a[0])),
  replace,
  lower: (a) => outsideSymbols(str(a[0]), (s) => s.toLowerCase()),
  upper: (a) => outsideSymbols(str(a[0]), (s) => s.toUpperCase()),
  title: (a) => outsideSymbols(str(a[0]), (s) => s.replace(/\b\w/g, (c) => c.toUpperCase())),
  trimspace: (a) => str(a[0]).trim(),
  trimprefix: (a) => (str(a[0]).startsWith(str(a[1])) ? str(a[0]).slice(str(a[1]).length) : str(a[0])),
  trimsuffix: (a) =>
    str(a[1]) !== '' && str(a[0]).endsWith(str(a[1])) ? str(a[0]).slice(0, -str(a[1]).length) : str(a[0]),
  substr: (a) => str(a[0]).substr(Number(a[1]), Number(a[2]) < 0 ? undefined : Number(a[2])),
  startswith: (a) => str(a[0]).startsWith(str(a[1])),
  endswith: (a) => str(a[0]).endsWith(str(a[1])),
  contains: (a) => list(a[0]).some((x) => JSON.stringify(toJson(x)) === JSON.stringify(toJson(a[1] ?? null))),
  coalesce: (a) => a.find((x) => x !== null && x !== '') ?? null,
  coalescelist: (a) => a.find((x) => Array.isArray(x) && x.length > 0) ?? [],
  tolist: (a) => list(a[0]),
  toset: (a) => distinct(list(a[0])),
  tomap: (a) => a[0] ?? null,
  tostring: (a) => (a[0] === null ? null : str(a[0])),
  tonumber: (a) => (a[0] === null ? null : Number(a[0])),
  tobool: (a) => (a[0] === null ? null : a[0] === true || a[0] === 'true'),
  zipmap: (a) => {
    const out: ValueObject = {}
    const ks = list(a[0])
    const vs = list(a[1])
    ks.forEach((k, i) => {
      out[str(k)] = vs[i] ?? null
    })
    return out
  },
  sort: (a) => [...list(a[0])].sort((x, y) => (str(x) < str(y) ? -1 : str(x) > str(y) ? 1 : 0)),
  reverse: (a) => [...list(a[0])].reverse(),
  slice: (a) => list(a[0]).slice(Number(a[1]), Number(a[2])),
  setunion: (a) => distinct(a.flatMap((x) => list(x))),
  range: (a) => {
    const [start, end, step] =
      a.length === 1 ? [0, Number(a[0]), 1] : [Number(a[0]), Number(a[1]), Number(a[2] ?? 1)]
    const out: number[] = []
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i)
    return out
  },
  one: (a) => list(a[0])[0] ?? null,
  min: (a) => Math.min(...a.map(Number)),
  max: (a) => Math.max(...a.map(Number)),
  abs: (a) => Math.abs(Number(a[0])),
  basename: (a) => str(a[0]).split('/').pop() ?? '',
  dirname: (a) => str(a[0]).split('/').slice(0, -1).join('/') || '.',
  file: fileText,
  fileexists: (a, ctx, line) => ctx.readFile(str(a[0]), line) !== undefined,
  templatefile: (a, ctx, line) => {
    const text = fileText(a, ctx, line)
    const vars = a[1] ?? null
    const rendered = ctx.renderTemplate(text, isObject(vars) ? vars : {}, line)
    if (typeof rendered === 'string' && rendered.includes('Statement'))
      ctx.origins.texts.set(rendered, { file: `${ctx.dir === '' ? '' : `${ctx.dir}/`}${str(a[0])}`, line: 1 })
    return rendered
  },
}

/** These look through unknown arguments themselves (lists with unknown items, strings with symbols). */
const HANDLES_UNKNOWN = new Set(['coalesce', 'try', 'can', 'jsonencode', 'format', 'tostring'])

export function callFunction(name: string, args: Value[], ctx: EvalContext, line: number): Value | undefined {
  const fn = FUNCTIONS[name]
  if (fn === undefined) return undefined
  if (!HANDLES_UNKNOWN.has(name)) {
    const unknown = args.find((a): a is Unknown => a instanceof Unknown)
    if (unknown !== undefined) return new Unknown(`${name}(${unknown.ref})`)
  }
  return fn(args, ctx, line)
}

export const SUPPORTED_FUNCTIONS = Object.keys(FUNCTIONS)
