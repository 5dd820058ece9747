/**
 * Template text (YAML or JSON) to plain values, with the line of every object and array kept aside.
 *
 * We walk the `yaml` AST ourselves instead of calling `toJS()` so that short-form tags become the
 * long form CloudFormation defines (`!Ref X` -> `{ Ref: X }`), scalars follow CloudFormation's own
 * reading (YAML 1.1 octals and sexagesimals never apply, `012345678901` stays a string), and alias
 * expansion is bounded by a node budget rather than trusted.
 */
import {
  type Alias,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  Scalar,
} from 'yaml'

export type Value = unknown

/** A parsed template: the root value and the 1-based line of each object and array in it. */
export interface Parsed {
  root: Value
  lines: WeakMap<object, number>
  /** Line of each key of an object, for values that are scalars. */
  keyLines: WeakMap<object, Record<string, number>>
}

export interface ParseError {
  line?: number
  message: string
}

/** Functions whose short form takes its arguments as written. */
const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'ToJsonString',
  'Length',
  'GetAtt',
]
const SHORT_TAGS = [...FUNCTIONS, 'Ref', 'Condition'].map((name) => `!${name}`)

// Declared for scalars, sequences and maps so the parser accepts them anywhere without warnings;
// the meaning is given by the walk below, which reads the node's tag.
const CUSTOM_TAGS = SHORT_TAGS.flatMap((tag) => [
  { tag, resolve: (text: string) => text },
  { tag, collection: 'seq' as const },
  { tag, collection: 'map' as const },
])

/**
 * Nodes visited, aliases included, per character of text: without aliases a document has fewer nodes
 * than characters, so this lets aliases double a template but stops a billion-laughs document early.
 */
const NODES_PER_CHARACTER = 2

class Budget extends Error {}

export function parseTemplate(text: string): { parsed?: Parsed; errors: ParseError[] } {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {
    schema: 'failsafe',
    customTags: CUSTOM_TAGS,
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  })
  const lineOf = (offset: number | undefined): number | undefined =>
    offset === undefined ? undefined : lineCounter.linePos(offset).line
  if (doc.errors.length > 0) {
    return { errors: doc.errors.map((e) => ({ line: lineOf(e.pos[0]), message: e.message.split('\n')[0]! })) }
  }
  const lines = new WeakMap<object, number>()
  const keyLines = new WeakMap<object, Record<string, number>>()
  let visited = 0
  const budget = NODES_PER_CHARACTER * text.length + 10_000
  const expanding = new Set<Node>()
  const targets = new Map<Alias, Node | undefined>()

  const walk = (node: unknown): Value => {
    if (++visited > budget) throw new Budget()
    if (node === null || node === undefined) return null
    if (isAlias(node)) {
      // Resolving an alias searches the document, so each alias node is resolved once.
      if (!targets.has(node)) targets.set(node, node.resolve(doc))
      const target = targets.get(node)
      if (target === undefined || expanding.has(target)) throw new Budget()
      expanding.add(target)
      try {
        return walk(target)
      } finally {
        expanding.delete(target)
      }
    }
    const line = lineOf((node as Node).range?.[0])
    let value: Value
    if (isScalar(node)) value = scalar(node)
    else if (isSeq(node)) {
      const list: Value[] = node.items.map(walk)
      if (line !== undefined) lines.set(list, line)
      value = list
    } else if (isMap(node)) {
      const object: Record<string, Value> = {}
      const at: Record<string, number> = {}
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(walk(pair.key))
        const item = walk(pair.value)
        if (key === '<<' && typeof item === 'object' && item !== null && !Array.isArray(item)) {
          // Merge keys (YAML 1.1) are common in hand-written templates; keys written here win.
          for (const [k, v] of Object.entries(item)) if (!Object.hasOwn(object, k)) object[k] = v
          continue
        }
        object[key] = item
        const keyLine = lineOf((pair.key as Node | null)?.range?.[0])
        if (keyLine !== undefined) at[key] = keyLine
      }
      if (line !== undefined) lines.set(object, line)
      keyLines.set(object, at)
      value = object
    } else return null
    const tag = (node as Node).tag
    if (tag === undefined || !SHORT_TAGS.includes(tag)) return value
    const wrapped = longForm(tag.slice(1), value)
    if (line !== undefined) lines.set(wrapped, line)
    return wrapped
  }

  try {
    return { parsed: { root: walk(doc.contents), lines, keyLines }, errors: [] }
  } catch (error) {
    if (error instanceof Budget) {
      return { errors: [{ line: 1, message: 'YAML aliases expand beyond the size limit (alias bomb?)' }] }
    }
    throw error
  }
}

function longForm(name: string, value: Value): Record<string, Value> {
  if (name === 'Ref') return { Ref: value }
  if (name === 'Condition') return { Condition: value }
  if (name === 'GetAtt' && typeof value === 'string') {
    // `!GetAtt Logical.Attr.With.Dots`: the logical id never has a dot, the attribute may.
    const dot = value.indexOf('.')
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] }
  }
  return { [`Fn::${name}`]: value }
}

/**
 * Plain scalars as CloudFormation reads them: booleans and null by their YAML 1.2 spelling, and
 * everything else a string, numbers included (CloudFormation passes them on as text, and so
 * `012345678901` and `0o17` keep their digits). Quoted and block scalars are always strings.
 */
function scalar(node: Scalar): Value {
  const text = typeof node.value === 'string' ? node.value : String(node.value)
  if (node.type !== Scalar.PLAIN) return text
  if (/^(?:true|True|TRUE)$/.test(text)) return true
  if (/^(?:false|False|FALSE)$/.test(text)) return false
  if (/^(?:null|Null|NULL|~|)$/.test(text)) return null
  return text
}
