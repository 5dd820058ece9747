/**
 * The intrinsic functions other than Ref and GetAtt (which need the resource table and live in
 * the Resolver): each resolves its arguments through the resolver and gives a value or a symbol.
 */
import { isRecord, NO_VALUE, type Resolver, symbol } from './intrinsics.js'
import type { Value } from './parse.js'

export function callFunction(r: Resolver, fn: string, arg: Value, line: number | undefined): Value {
  const args = Array.isArray(arg) ? arg : [arg]
  switch (fn) {
    case 'Ref':
      return r.ref(String(arg), line)
    case 'Fn::GetAtt': {
      const [id, ...rest] = typeof arg === 'string' ? arg.split('.') : args.map((a) => r.text(a, line))
      return r.getAtt(String(id), rest.join('.'), line)
    }
    case 'Fn::Sub':
      return sub(r, args[0], args[1], line)
    case 'Fn::Join': {
      const list = r.resolve(args[1], line)
      const parts = Array.isArray(list) ? list : [list]
      return parts.map((p) => r.text(p, line)).join(r.text(args[0], line))
    }
    case 'Fn::Select': {
      const list = r.resolve(args[1], line)
      const index = Number(r.text(args[0], line))
      if (Array.isArray(list) && list[index] !== undefined) return list[index]
      r.unresolved(`Fn::Select ${JSON.stringify(arg)}`, line)
      return symbol(`Select.${index}`)
    }
    case 'Fn::Split':
      return r.text(args[1], line).split(r.text(args[0], line))
    case 'Fn::If': {
      const decided = r.condition(String(args[0]), line)
      if (decided !== undefined) return r.resolve(decided ? args[1] : args[2], line)
      const [a, b] = [r.resolve(args[1], line), r.resolve(args[2], line)]
      if (Array.isArray(a) && Array.isArray(b)) return r.keep([...a, ...b], line)
      return a === NO_VALUE ? b : a
    }
    case 'Fn::FindInMap':
      return findInMap(r, args, line)
    case 'Fn::ImportValue':
      return importValue(r, r.text(arg, line), line)
    case 'Fn::GetAZs':
      return [0, 1, 2].map((i) => symbol(`AZ${i}`))
    case 'Fn::Base64':
      return r.resolve(arg, line)
    case 'Fn::ToJsonString':
      return JSON.stringify(r.resolve(arg, line))
    case 'Fn::Length': {
      const list = r.resolve(arg, line)
      return Array.isArray(list) ? String(list.length) : symbol('Length')
    }
    case 'Fn::Cidr':
      return [symbol('Cidr')]
    default:
      r.unresolved(`${fn} ${JSON.stringify(arg)?.slice(0, 120)}`, line)
      return symbol(fn)
  }
}

function sub(r: Resolver, template: Value, vars: Value, line: number | undefined): Value {
  const text = r.text(template, line)
  const values = isRecord(vars) ? vars : {}
  return text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`
    const name = inner.trim()
    if (Object.hasOwn(values, name)) return r.text(values[name], line)
    if (name.startsWith('AWS::') || (!name.includes(':') && !name.includes('.'))) {
      const v = r.ref(name, line)
      return v === NO_VALUE ? '' : r.text(v, line)
    }
    if (!name.includes(':')) {
      const dot = name.indexOf('.')
      return r.text(r.getAtt(name.slice(0, dot), name.slice(dot + 1), line), line)
    }
    return whole
  })
}

function findInMap(r: Resolver, args: Value[], line: number | undefined): Value {
  const [map, top, second] = args.slice(0, 3).map((a) => r.text(a, line))
  const table = r.t.mappings[map!]
  const row = isRecord(table) ? table[top!] : undefined
  if (isRecord(row) && row[second!] !== undefined) return r.resolve(row[second!], line)
  // An unknown region: when every row agrees, the answer does not depend on it.
  const all = isRecord(table) ? Object.values(table).map((r) => (isRecord(r) ? r[second!] : undefined)) : []
  const first = JSON.stringify(all[0])
  if (all.length > 0 && all[0] !== undefined && all.every((v) => JSON.stringify(v) === first)) {
    return r.resolve(all[0], line)
  }
  if (args[3] !== undefined && isRecord(args[3]) && args[3].DefaultValue !== undefined) {
    return r.resolve(args[3].DefaultValue, line)
  }
  r.unresolved(`Fn::FindInMap [${map}, ${top}, ${second}]`, line)
  return symbol(`${map}.${top}.${second}`)
}

function importValue(r: Resolver, name: string, line: number | undefined): Value {
  const exported = r.exports.get(name)
  if (exported !== undefined && !r.importing.has(name)) {
    r.importing.add(name)
    try {
      return exported()
    } finally {
      r.importing.delete(name)
    }
  }
  if (exported !== undefined) r.error(`circular Fn::ImportValue ${name}`, line)
  r.unresolved(`Fn::ImportValue ${name}`, line)
  return symbol(`Import.${name}`)
}
