/**
 * Values of the evaluator: JSON-like data plus two kinds of stand-ins. An Unknown is a value only
 * known at apply time (or never): it is carried as a stable reference and becomes the symbol
 * `${ref}` inside strings. A Lazy is an object computed on demand (a resource instance, a module),
 * so that referencing one attribute never evaluates the rest.
 */

export class Unknown {
  readonly ref: string
  constructor(ref: string) {
    // A colon would turn the symbol into an IAM policy variable, so it never appears in one; a
    // slash would split the ARN path it stands in (`role/${x}`), so neither does (root labels
    // and instance keys may hold one).
    this.ref = ref.replaceAll(':', '.').replaceAll('/', '.').replaceAll('}', ')').replaceAll('${', '(')
  }
  get symbol(): string {
    return `\${${this.ref}}`
  }
}

export class Lazy {
  constructor(
    readonly describe: string,
    readonly get: (key: string) => Value,
    readonly keys: () => string[] = () => [],
  ) {}
}

export type Value = null | boolean | number | string | Unknown | Lazy | Value[] | ValueObject
export interface ValueObject {
  [key: string]: Value
}

export function isObject(v: Value | undefined): v is ValueObject {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Unknown) &&
    !(v instanceof Lazy)
  )
}

/** The string form of a value inside a template or a policy; objects become JSON. */
export function asString(v: Value): string {
  if (v === null) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v instanceof Unknown) return v.symbol
  return JSON.stringify(toJson(v))
}

/** Plain JSON data: Unknowns become their symbols, Lazies the object of their listed keys. */
export function toJson(v: Value): unknown {
  if (v instanceof Unknown) return v.symbol
  if (v instanceof Lazy) return Object.fromEntries(v.keys().map((k) => [k, toJson(v.get(k))]))
  if (Array.isArray(v)) return v.map(toJson)
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]))
  return v
}

export function fromJson(v: unknown): Value {
  if (v === null || v === undefined) return null
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v
  if (Array.isArray(v)) return v.map(fromJson)
  if (typeof v === 'object') {
    const out: ValueObject = {}
    for (const [k, x] of Object.entries(v)) out[k] = fromJson(x)
    return out
  }
  return null
}

/** Attribute access, which reaches into Unknowns and Lazies. */
export function getAttr(v: Value, name: string): Value | undefined {
  if (v instanceof Unknown) return new Unknown(`${v.ref}.${name}`)
  if (v instanceof Lazy) return v.get(name)
  if (isObject(v)) return Object.hasOwn(v, name) ? v[name] : undefined
  return undefined
}

export function getIndex(v: Value, key: Value): Value | undefined {
  if (key instanceof Unknown) {
    if (v instanceof Unknown) return new Unknown(`${v.ref}[${key.ref}]`)
    return new Unknown(`${describe(v)}[${key.ref}]`)
  }
  if (v instanceof Unknown) return new Unknown(`${v.ref}[${JSON.stringify(toJson(key))}]`)
  if (Array.isArray(v)) {
    const i = typeof key === 'number' ? key : Number(key)
    return Number.isInteger(i) ? v[i] : undefined
  }
  if (v instanceof Lazy)
    return typeof key === 'string' || typeof key === 'number' ? v.get(String(key)) : undefined
  if (isObject(v) && (typeof key === 'string' || typeof key === 'number'))
    return Object.hasOwn(v, String(key)) ? v[String(key)] : undefined
  return undefined
}

function describe(v: Value): string {
  return v instanceof Lazy ? v.describe : 'value'
}

export function truthy(v: Value): boolean | undefined {
  if (typeof v === 'boolean') return v
  if (v === 'true') return true
  if (v === 'false') return false
  return undefined
}

export function isKnown(v: Value): boolean {
  if (v instanceof Unknown) return false
  if (typeof v === 'string') return !hasSymbol(v)
  if (Array.isArray(v)) return v.every(isKnown)
  if (isObject(v)) return Object.values(v).every(isKnown)
  return true
}

const SYMBOL = /\$\{([^}:]+)\}/g

/** Symbols (not IAM policy variables) inside a string. */
export function symbolsIn(s: string): string[] {
  return [...s.matchAll(SYMBOL)].map((m) => m[1] ?? '').filter((x) => x !== '*' && x !== '?' && x !== '$')
}

export function hasSymbol(s: string): boolean {
  return symbolsIn(s).length > 0
}

/** Every symbol in a value, for coverage. */
export function collectSymbols(v: unknown, into: Set<string>): void {
  if (typeof v === 'string') for (const s of symbolsIn(v)) into.add(s)
  else if (Array.isArray(v)) for (const x of v) collectSymbols(x, into)
  else if (v instanceof Unknown) into.add(v.ref)
  else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) collectSymbols(x, into)
}

/** A collection for count/for_each/for: entries with keys, or undefined when unknown. */
export function entries(v: Value): [Value, Value][] | undefined {
  if (v === null) return []
  if (Array.isArray(v)) return v.map((x, i) => [i, x])
  if (isObject(v))
    return Object.keys(v)
      .sort()
      .map((k) => [k, v[k] ?? null])
  if (v instanceof Lazy) return v.keys().map((k) => [k, v.get(k)])
  return undefined
}

export function equalValues(a: Value, b: Value): boolean {
  if (a instanceof Unknown || b instanceof Unknown)
    return a instanceof Unknown && b instanceof Unknown && a.ref === b.ref
  return JSON.stringify(toJson(a)) === JSON.stringify(toJson(b))
}
