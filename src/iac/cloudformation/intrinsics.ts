/**
 * Intrinsic functions resolved to stable values. What cannot be known statically becomes a symbol
 * (`${Name}`, never with a colon) tied to what it refers to, and is listed in coverage.unresolved;
 * the same template always yields the same values, so two revisions can be diffed.
 */
import type { Coverage } from '../types.js'
import { callFunction } from './functions.js'
import type { Parsed, Value } from './parse.js'
import { type Env, TYPES } from './types.js'

/** Marks a property or list element to be removed (`!Ref AWS::NoValue`). */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue')

export interface Identity {
  name: string
  arn: string
  ref: string
  attrs: Record<string, string>
}

export interface TemplateInfo {
  file: string
  /** Stack name: from the CDK manifest, else the template file's name without extension. */
  stack: string
  /** Logical ids that another template of the tree also defines: these get the stack as prefix. */
  duplicates: Set<string>
  parsed: Parsed
  parameters: Record<string, Record<string, Value>>
  mappings: Record<string, Value>
  conditions: Record<string, Value>
  resources: Record<string, Record<string, Value>>
}

/** Exports of every template of the tree, resolved on demand by their own template. */
export type Exports = Map<string, () => Value>

export const isRecord = (v: Value): v is Record<string, Value> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Removes what a symbol may not contain: a colon would read as an IAM policy variable. */
export const symbol = (text: string): string => `\${${text.replaceAll(':', '.').replaceAll('}', '')}}`

export class Resolver {
  private readonly identities = new Map<string, Identity>()
  private readonly decided = new Map<string, boolean | undefined>()
  private readonly busy = new Set<string>()
  private readonly reported = new Set<string>()

  constructor(
    readonly t: TemplateInfo,
    readonly env: Env,
    readonly coverage: Coverage,
    readonly exports: Exports,
    readonly importing: Set<string>,
  ) {}

  /** The logical id as ids, addresses and symbols use it: unique in the tree. */
  scoped(id: string): string {
    return this.t.duplicates.has(id) ? `${this.t.stack}/${id}` : id
  }

  lineOf(value: Value, fallback?: number): number | undefined {
    return (
      (typeof value === 'object' && value !== null ? this.t.parsed.lines.get(value) : undefined) ?? fallback
    )
  }

  unresolved(expression: string, line: number | undefined): void {
    const key = `${line}\u0000${expression}`
    if (this.reported.has(key)) return
    this.reported.add(key)
    this.coverage.unresolved.push({ file: this.t.file, ...(line !== undefined ? { line } : {}), expression })
  }

  error(message: string, line: number | undefined): void {
    this.coverage.errors.push({ file: this.t.file, ...(line !== undefined ? { line } : {}), message })
  }

  /** Resolves every intrinsic in `value`; objects and arrays keep the line of their source. */
  resolve(value: Value, line?: number): Value {
    if (Array.isArray(value)) {
      const at = this.lineOf(value, line)
      const out: Value[] = []
      for (const item of value) {
        const branches = this.undecidedIf(item, at)
        for (const v of branches ?? [this.resolve(item, at)]) if (v !== NO_VALUE) out.push(v)
      }
      return this.keep(out, at)
    }
    if (!isRecord(value)) return value
    const at = this.lineOf(value, line)
    const keys = Object.keys(value)
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'))) {
      return callFunction(this, keys[0]!, value[keys[0]!], at)
    }
    const out: Record<string, Value> = {}
    for (const key of keys) {
      const v = this.resolve(value[key], this.t.parsed.keyLines.get(value)?.[key] ?? at)
      if (v !== NO_VALUE) out[key] = v
    }
    return this.keep(out, at)
  }

  /**
   * Properties with top-level `Fn::If` decided and `AWS::NoValue` removed, values left as written:
   * handlers can then ask whether a property is present before resolving it.
   */
  resolvePropsShallow(props: Record<string, Value>): Record<string, Value> {
    const out: Record<string, Value> = {}
    for (const [key, raw] of Object.entries(props)) {
      let value = raw
      while (isRecord(value) && Array.isArray(value['Fn::If']) && Object.keys(value).length === 1) {
        const [cond, a, b] = value['Fn::If']
        const decided = this.condition(String(cond), this.lineOf(value))
        if (decided === undefined) break
        value = decided ? a : b
      }
      if (isRecord(value) && value.Ref === 'AWS::NoValue') continue
      out[key] = value
    }
    const lines = this.t.parsed.keyLines.get(props)
    if (lines !== undefined) this.t.parsed.keyLines.set(out, lines)
    return this.keep(out, this.lineOf(props))
  }

  /** A string, or a symbol standing for what it could not be turned into. */
  text(value: Value, line?: number): string {
    const v = this.resolve(value, line)
    if (typeof v === 'string') return v
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(',')
    return symbol(`Value.${JSON.stringify(v) ?? 'null'}`.slice(0, 80))
  }

  keep<T extends object>(out: T, line: number | undefined): T {
    if (line !== undefined) this.t.parsed.lines.set(out, line)
    return out
  }

  /** Both branches of an `Fn::If` in a list whose condition cannot be decided. */
  private undecidedIf(item: Value, line: number | undefined): Value[] | undefined {
    if (!isRecord(item) || !Array.isArray(item['Fn::If']) || Object.keys(item).length !== 1) return undefined
    const [cond, a, b] = item['Fn::If']
    if (this.condition(String(cond), line) !== undefined) return undefined
    return [this.resolve(a, line), this.resolve(b, line)]
  }

  /** A condition's truth, or undefined when it depends on what is not known. */
  condition(name: string, line?: number): boolean | undefined {
    if (this.decided.has(name)) return this.decided.get(name)
    const key = `condition ${name}`
    if (this.busy.has(key)) {
      this.error(`circular condition ${name}`, line)
      return undefined
    }
    this.busy.add(key)
    const definition = this.t.conditions[name]
    const result =
      definition === undefined ? undefined : this.evaluate(definition, this.lineOf(definition, line))
    this.busy.delete(key)
    this.decided.set(name, result)
    if (result === undefined) this.unresolved(`Condition ${name} (undecided: both branches kept)`, line)
    return result
  }

  private evaluate(value: Value, line: number | undefined): boolean | undefined {
    if (!isRecord(value)) return typeof value === 'boolean' ? value : undefined
    const [fn, arg] = Object.entries(value)[0] ?? []
    const args = Array.isArray(arg) ? arg : []
    if (fn === 'Condition') return this.condition(String(arg), line)
    if (fn === 'Fn::Not') return negate(this.evaluate(args[0], line))
    if (fn === 'Fn::And' || fn === 'Fn::Or') {
      const all = args.map((a) => this.evaluate(a, line))
      const stop = fn === 'Fn::Or'
      if (all.includes(stop)) return stop
      return all.includes(undefined) ? undefined : !stop
    }
    if (fn === 'Fn::Equals') {
      const [a, b] = args.map((x) => this.resolve(x, line))
      const sa = JSON.stringify(a)
      if (sa === JSON.stringify(b)) return true
      return hasSymbol(a) || hasSymbol(b) ? undefined : false
    }
    return undefined
  }

  ref(name: string, line: number | undefined): Value {
    if (name.startsWith('AWS::')) return this.pseudo(name, line)
    const parameter = this.t.parameters[name]
    if (parameter !== undefined) return this.parameter(name, parameter, line)
    if (this.t.resources[name] !== undefined) return this.identity(name, line).ref
    this.unresolved(`Ref ${name} (not defined in the template)`, line)
    return symbol(name)
  }

  private pseudo(name: string, line: number | undefined): Value {
    switch (name) {
      case 'AWS::AccountId':
        return this.env.account
      case 'AWS::Region':
        return this.env.region
      case 'AWS::Partition':
        return this.env.partition
      case 'AWS::URLSuffix':
        return this.env.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com'
      case 'AWS::NoValue':
        return NO_VALUE
      case 'AWS::StackName':
        return symbol(`${this.t.stack}.StackName`)
      case 'AWS::StackId':
        return `arn:${this.env.partition}:cloudformation:${this.env.region}:${this.env.account}:stack/${symbol(`${this.t.stack}.StackName`)}/${symbol(`${this.t.stack}.StackId`)}`
      case 'AWS::NotificationARNs':
        return [symbol(`${this.t.stack}.NotificationARNs`)]
      default:
        this.unresolved(`Ref ${name}`, line)
        return symbol(name)
    }
  }

  private parameter(name: string, p: Record<string, Value>, line: number | undefined): Value {
    const type = String(p.Type ?? 'String')
    const isList = type === 'CommaDelimitedList' || type.startsWith('List<')
    // A configured value comes first; for an SSM parameter type it names the SSM parameter, so it
    // is not the value either.
    const given = this.env.parameters
    const ssm = type.startsWith('AWS::SSM::Parameter')
    if (given !== undefined && Object.hasOwn(given, name) && !ssm) {
      const value = String(given[name])
      return isList ? value.split(',').map((s) => s.trim()) : value
    }
    // An SSM parameter type's default is the parameter's name, not its value.
    if (p.Default !== undefined && p.Default !== null && !type.startsWith('AWS::SSM::Parameter')) {
      const value = this.resolve(p.Default, line)
      if (isList && typeof value === 'string') return value.split(',').map((s) => s.trim())
      return typeof value === 'number' ? String(value) : value
    }
    this.unresolved(`Ref ${name} (parameter without default)`, line)
    return isList ? [symbol(name)] : symbol(name)
  }

  getAtt(id: string, attribute: string, line: number | undefined): Value {
    if (this.t.resources[id] === undefined) {
      this.unresolved(`Fn::GetAtt ${id}.${attribute} (not defined in the template)`, line)
      return symbol(`${id}.${attribute}`)
    }
    const identity = this.identity(id, line)
    if (attribute === 'Arn') return identity.arn
    return identity.attrs[attribute] ?? symbol(`${this.scoped(id)}.${attribute}`)
  }

  /** Name, ARN and what `Ref` returns, for a resource of this template. */
  identity(id: string, line?: number): Identity {
    const known = this.identities.get(id)
    if (known !== undefined) return known
    const resource = this.t.resources[id] ?? {}
    const type = String(resource.Type ?? '')
    const info = TYPES[type]
    const scoped = this.scoped(id)
    const generated = symbol(`${scoped}.${info?.nameAttr ?? 'Name'}`)
    if (this.busy.has(id)) {
      this.error(`circular reference to ${id}`, line ?? this.lineOf(resource))
      return { name: generated, arn: symbol(`${scoped}.Arn`), ref: symbol(scoped), attrs: {} }
    }
    this.busy.add(id)
    const props = isRecord(resource.Properties) ? resource.Properties : {}
    const at = this.lineOf(resource, line)
    const given = info?.nameProp !== undefined ? props[info.nameProp] : undefined
    const named = given === undefined ? undefined : this.resolve(given, at)
    const name = typeof named === 'string' && named !== '' ? named : generated
    const path = props.Path === undefined ? '/' : this.text(props.Path, at)
    this.busy.delete(id)
    if (info === undefined) {
      return this.remember(id, {
        name: symbol(scoped),
        arn: symbol(`${scoped}.Arn`),
        ref: symbol(scoped),
        attrs: {},
      })
    }
    const arn = info.arn(name, this.env, path)
    const url = `https://sqs.${this.env.region}.amazonaws.com/${this.env.account}/${name}`
    const attrs: Record<string, string> = type === 'AWS::SQS::Queue' ? { QueueUrl: url } : {}
    for (const [key, make] of Object.entries(info.attrs ?? {})) attrs[key] = make(name, arn, this.env)
    if (type === 'AWS::Logs::LogGroup') return this.remember(id, { name, arn: `${arn}:*`, ref: name, attrs })
    const ref = info.ref === 'arn' ? arn : info.ref === 'url' ? url : name
    return this.remember(id, { name, arn, ref, attrs })
  }

  private remember(id: string, identity: Identity): Identity {
    this.identities.set(id, identity)
    return identity
  }
}

function negate(v: boolean | undefined): boolean | undefined {
  return v === undefined ? undefined : !v
}

export function hasSymbol(v: Value): boolean {
  return typeof v === 'string' ? /\$\{[^}:]+\}/.test(v) : JSON.stringify(v ?? null).includes('${')
}
