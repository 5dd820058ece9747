/**
 * tree-sitter's Terraform tree to our syntax tree. Literal template text is taken from the source
 * between interpolations, because tree-sitter leaves whitespace out of its literal nodes.
 */
import type { Node } from 'web-tree-sitter'
import type { Attribute, Block, Body, Expr, SplatStep, TemplatePart } from './ast.js'

export const emptyBody = (): Body => ({ attributes: new Map(), blocks: [] })
export const kids = (n: Node): Node[] => n.children.filter((c): c is Node => c !== null)
const named = (n: Node): Node[] => n.namedChildren.filter((c): c is Node => c !== null)

export class Converter {
  constructor(
    private readonly src: string,
    private readonly path: string,
  ) {}

  body(n: Node): Body {
    const body = emptyBody()
    const visit = (children: Node[]): void => {
      for (const c of children) {
        if (c.type === 'attribute') {
          const a = this.attribute(c)
          if (a) body.attributes.set(a.name, a)
        } else if (c.type === 'block') {
          const b = this.block(c)
          if (b) body.blocks.push(b)
        } else if (c.type === 'ERROR') visit(named(c))
      }
    }
    visit(named(n))
    return body
  }

  private attribute(n: Node): Attribute | undefined {
    const name = n.namedChildren[0]?.text
    const exprNode = named(n).find((c) => c.type === 'expression')
    if (name === undefined || exprNode === undefined) return undefined
    return { name, expr: this.expr(exprNode), line: n.startPosition.row + 1, text: exprNode.text }
  }

  private block(n: Node): Block | undefined {
    const children = named(n)
    const type = children[0]?.text
    if (type === undefined) return undefined
    const labels = children
      .slice(1)
      .filter((c) => c.type === 'string_lit' || c.type === 'identifier')
      .map((c) => (c.type === 'identifier' ? c.text : this.stringLit(c)))
    const body = children.find((c) => c.type === 'body')
    return {
      type,
      labels,
      body: body ? this.body(body) : emptyBody(),
      line: n.startPosition.row + 1,
      file: this.path,
    }
  }

  expr(n: Node): Expr {
    const line = n.startPosition.row + 1
    switch (n.type) {
      case 'expression':
        return this.postfix(kids(n))
      case 'literal_value':
        return this.literal(named(n)[0] ?? n)
      case 'template_expr': {
        const inner = named(n)[0]
        return inner?.type === 'heredoc_template' ? this.heredoc(inner) : this.quoted(inner ?? n)
      }
      case 'variable_expr':
        return { k: 'var', name: n.text, line }
      case 'function_call':
        return this.call(n)
      case 'collection_value':
        return this.collection(named(n)[0] ?? n)
      case 'for_expr':
        return this.forExpr(named(n)[0] ?? n)
      case 'operation':
        return this.operation(named(n)[0] ?? n)
      case 'conditional': {
        const [c, t, e] = named(n).filter((x) => x.type === 'expression')
        if (!c || !t || !e) return { k: 'bad', text: n.text, line }
        return {
          k: 'cond',
          cond: this.expr(c),
          whenTrue: this.expr(t),
          whenFalse: this.expr(e),
          line,
          text: n.text,
        }
      }
      default:
        return { k: 'bad', text: n.text, line }
    }
  }

  /** A primary term followed by `.attr`, `[index]` and splats, as siblings in tree-sitter's tree. */
  private postfix(nodes: Node[]): Expr {
    const first = nodes[0]
    if (first === undefined) return { k: 'bad', text: '', line: 0 }
    let rest = nodes.slice(1)
    let e: Expr
    if (first.type === '(') {
      const inner = nodes.find((x) => x.type === 'expression')
      e = inner ? this.expr(inner) : { k: 'bad', text: '', line: first.startPosition.row + 1 }
      rest = nodes.slice(nodes.findIndex((x) => x.type === ')') + 1)
    } else e = this.expr(first)
    for (const p of rest) {
      const line = p.startPosition.row + 1
      if (p.type === 'get_attr') e = { k: 'attr', obj: e, name: named(p)[0]?.text ?? '', line }
      else if (p.type === 'index') e = { k: 'index', obj: e, key: this.indexKey(p), line }
      else if (p.type === 'splat') e = { k: 'splat', obj: e, steps: this.splatSteps(named(p)[0] ?? p), line }
    }
    return e
  }

  private indexKey(p: Node): Expr {
    const inner = named(p)[0]
    const line = p.startPosition.row + 1
    if (inner?.type === 'legacy_index') return { k: 'lit', value: Number(inner.text.replace('.', '')), line }
    const e = inner ? named(inner).find((x) => x.type === 'expression') : undefined
    return e ? this.expr(e) : { k: 'bad', text: p.text, line }
  }

  private splatSteps(n: Node): SplatStep[] {
    return named(n).map((s) =>
      s.type === 'get_attr' ? { attr: named(s)[0]?.text ?? '' } : { index: this.indexKey(s) },
    )
  }

  private literal(n: Node): Expr {
    const line = n.startPosition.row + 1
    if (n.type === 'numeric_lit') return { k: 'lit', value: Number(n.text), line }
    if (n.type === 'bool_lit') return { k: 'lit', value: n.text === 'true', line }
    if (n.type === 'null_lit') return { k: 'lit', value: null, line }
    if (n.type === 'string_lit') return { k: 'lit', value: this.stringLit(n), line }
    return { k: 'bad', text: n.text, line }
  }

  private stringLit(n: Node): string {
    const c = kids(n)
    const from = c[0]?.endIndex ?? n.startIndex
    const to = c[c.length - 1]?.startIndex ?? n.endIndex
    return unescapeQuoted(this.src.slice(from, to))
  }

  private quoted(n: Node): Expr {
    const c = kids(n)
    const from = c[0]?.endIndex ?? n.startIndex
    const to = c[c.length - 1]?.startIndex ?? n.endIndex
    const parts = this.parts(c.slice(1, -1), from, to, unescapeQuoted)
    return { k: 'tpl', parts, line: n.startPosition.row + 1 }
  }

  private heredoc(n: Node): Expr {
    const c = kids(n)
    const opening = c.find((x) => x.type === 'heredoc_identifier')
    const closing = c.length > 2 ? c[c.length - 1] : undefined
    const strip = c[0]?.text.includes('-') ?? false
    const startLine = opening ? this.src.indexOf('\n', opening.endIndex) + 1 : n.startIndex
    const endLine =
      closing?.type === 'heredoc_identifier' ? this.src.lastIndexOf('\n', closing.startIndex) + 1 : n.endIndex
    const inner = c.filter((x) => x !== opening && x !== closing && x.type !== 'heredoc_start')
    const raw = this.src.slice(startLine, Math.max(startLine, endLine))
    const indent = strip ? commonIndent(raw) : 0
    let parts = this.parts(inner, startLine, Math.max(startLine, endLine), unescapeTemplate)
    if (indent > 0) parts = dedent(parts, indent, true)
    // A heredoc's value starts on the line after `<<EOT`: that line is where its JSON statements count from.
    return { k: 'tpl', parts, line: n.startPosition.row + 2 }
  }

  /** Literal text is taken from the source between the interpolations: tree-sitter drops whitespace. */
  private parts(nodes: Node[], from: number, to: number, decode: (s: string) => string): TemplatePart[] {
    const out: TemplatePart[] = []
    let pos = from
    for (const p of nodes) {
      if (p.type === 'template_literal') continue
      if (p.startIndex > pos) out.push(decode(this.src.slice(pos, p.startIndex)))
      if (p.type === 'template_interpolation') {
        const e = named(p).find((x) => x.type === 'expression')
        if (e) out.push(this.expr(e))
      } else if (p.type === 'template_directive') {
        const d = named(p)[0]
        if (d) out.push(this.directive(d, decode))
      }
      pos = p.endIndex
    }
    if (to > pos) out.push(decode(this.src.slice(pos, to)))
    return out
  }

  private directive(d: Node, decode: (s: string) => string): TemplatePart {
    const c = named(d)
    const open = c[0]
    const close = c[c.length - 1]
    if (!open || !close) return ''
    const exprOf = (x: Node): Expr => {
      const e = named(x).find((y) => y.type === 'expression')
      return e ? this.expr(e) : { k: 'bad', text: x.text, line: x.startPosition.row + 1 }
    }
    if (d.type === 'template_if') {
      const elseAt = c.findIndex((x) => x.type === 'template_else_intro')
      const elseNode = elseAt >= 0 ? c[elseAt] : undefined
      const thenEnd = elseNode ?? close
      return {
        k: 'if',
        cond: exprOf(open),
        whenTrue: this.parts(
          c.slice(1, elseAt >= 0 ? elseAt : -1),
          open.endIndex,
          thenEnd.startIndex,
          decode,
        ),
        whenFalse: elseNode
          ? this.parts(c.slice(elseAt + 1, -1), elseNode.endIndex, close.startIndex, decode)
          : [],
      }
    }
    const ids = named(open)
      .filter((x) => x.type === 'identifier')
      .map((x) => x.text)
    const body = this.parts(c.slice(1, -1), open.endIndex, close.startIndex, decode)
    const collection = exprOf(open)
    if (ids.length >= 2) return { k: 'tfor', keyVar: ids[0], valueVar: ids[1] ?? '', collection, body }
    return { k: 'tfor', valueVar: ids[0] ?? '', collection, body }
  }

  private call(n: Node): Expr {
    const c = named(n)
    const args = c.find((x) => x.type === 'function_arguments')
    const argNodes = args ? named(args).filter((x) => x.type === 'expression') : []
    const expand = args ? named(args).some((x) => x.type === 'ellipsis') : false
    return {
      k: 'call',
      name: c[0]?.text ?? '',
      args: argNodes.map((a) => this.expr(a)),
      expand,
      line: n.startPosition.row + 1,
      text: n.text,
    }
  }

  private collection(n: Node): Expr {
    const line = n.startPosition.row + 1
    if (n.type === 'tuple')
      return {
        k: 'tuple',
        items: named(n)
          .filter((x) => x.type === 'expression')
          .map((x) => this.expr(x)),
        line,
      }
    const items: { key: Expr; value: Expr }[] = []
    for (const el of named(n).filter((x) => x.type === 'object_elem')) {
      const [k, v] = named(el).filter((x) => x.type === 'expression')
      if (!k || !v) continue
      // A bare identifier as a key is the key's name, not a variable.
      const keyKids = kids(k)
      const bare = keyKids.length === 1 && keyKids[0]?.type === 'variable_expr'
      items.push({ key: bare ? { k: 'lit', value: k.text, line } : this.expr(k), value: this.expr(v) })
    }
    return { k: 'object', items, line }
  }

  private forExpr(n: Node): Expr {
    const line = n.startPosition.row + 1
    const c = named(n)
    const intro = c.find((x) => x.type === 'for_intro')
    if (!intro) return { k: 'bad', text: n.text, line }
    const ids = named(intro)
      .filter((x) => x.type === 'identifier')
      .map((x) => x.text)
    const coll = named(intro).find((x) => x.type === 'expression')
    const exprs = c.filter((x) => x.type === 'expression').map((x) => this.expr(x))
    const condNode = c.find((x) => x.type === 'for_cond')
    const condExpr = condNode ? named(condNode).find((x) => x.type === 'expression') : undefined
    const object = n.type === 'for_object_expr'
    const e: Expr = {
      k: 'for',
      object,
      valueVar: ids.length >= 2 ? (ids[1] ?? '') : (ids[0] ?? ''),
      collection: coll ? this.expr(coll) : { k: 'bad', text: '', line },
      value: (object ? exprs[1] : exprs[0]) ?? { k: 'bad', text: '', line },
      group: c.some((x) => x.type === 'ellipsis'),
      line,
    }
    if (ids.length >= 2) e.keyVar = ids[0]
    if (object && exprs[0]) e.key = exprs[0]
    if (condExpr) e.cond = this.expr(condExpr)
    return e
  }

  private operation(n: Node): Expr {
    const line = n.startPosition.row + 1
    const c = kids(n)
    const opAt = c.findIndex((x) => !x.isNamed)
    const op = c[opAt]
    if (op === undefined) return { k: 'bad', text: n.text, line }
    if (n.type === 'unary_operation')
      return { k: 'unary', op: op.text, operand: this.postfix(c.slice(opAt + 1)), line }
    return {
      k: 'binary',
      op: op.text,
      left: this.postfix(c.slice(0, opAt)),
      right: this.postfix(c.slice(opAt + 1)),
      line,
    }
  }
}

function unescapeTemplate(s: string): string {
  return s.replaceAll('$${', '${').replaceAll('%%{', '%{')
}

function unescapeQuoted(s: string): string {
  const unescaped = s.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    if (e === 'n') return '\n'
    if (e === 't') return '\t'
    if (e === 'r') return '\r'
    if (e.length > 1) return String.fromCodePoint(Number.parseInt(e.slice(1), 16))
    return e
  })
  return unescapeTemplate(unescaped)
}

function commonIndent(raw: string): number {
  let min = Number.POSITIVE_INFINITY
  for (const line of raw.split('\n')) {
    if (line.trim() === '') continue
    min = Math.min(min, line.length - line.trimStart().length)
  }
  return Number.isFinite(min) ? min : 0
}

/** `<<-` removes the common indentation at the start of each source line, never inside a value. */
function dedent(parts: TemplatePart[], indent: number, atLineStart: boolean): TemplatePart[] {
  let lineStart = atLineStart
  return parts.map((p) => {
    if (typeof p !== 'string') {
      lineStart = false
      return p
    }
    const lines = p.split('\n').map((l, i) => (i > 0 || lineStart ? stripUpTo(l, indent) : l))
    lineStart = p.endsWith('\n')
    return lines.join('\n')
  })
}

function stripUpTo(line: string, n: number): string {
  let i = 0
  while (i < n && (line[i] === ' ' || line[i] === '\t')) i++
  return line.slice(i)
}
