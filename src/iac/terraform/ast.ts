/**
 * Our own small syntax tree for HCL, converted from tree-sitter's so that the evaluator does not
 * depend on the parser and the parser's trees can be freed as soon as a file is read.
 */

export type Expr =
  | { k: 'lit'; value: null | boolean | number | string; line: number }
  | { k: 'tpl'; parts: TemplatePart[]; line: number }
  | { k: 'var'; name: string; line: number }
  | { k: 'attr'; obj: Expr; name: string; line: number }
  | { k: 'index'; obj: Expr; key: Expr; line: number }
  /** `obj[*].a.b` (or the legacy `obj.*.a`): the steps apply to every element. */
  | { k: 'splat'; obj: Expr; steps: SplatStep[]; line: number }
  | { k: 'tuple'; items: Expr[]; line: number }
  | { k: 'object'; items: { key: Expr; value: Expr }[]; line: number }
  | { k: 'call'; name: string; args: Expr[]; expand: boolean; line: number; text: string }
  | { k: 'cond'; cond: Expr; whenTrue: Expr; whenFalse: Expr; line: number; text: string }
  | { k: 'unary'; op: string; operand: Expr; line: number }
  | { k: 'binary'; op: string; left: Expr; right: Expr; line: number }
  | {
      k: 'for'
      object: boolean
      keyVar?: string
      valueVar: string
      collection: Expr
      key?: Expr
      value: Expr
      cond?: Expr
      group: boolean
      line: number
    }
  | { k: 'bad'; text: string; line: number }

export type SplatStep = { attr: string } | { index: Expr }

export type TemplatePart =
  | string
  | Expr
  | { k: 'if'; cond: Expr; whenTrue: TemplatePart[]; whenFalse: TemplatePart[] }
  | { k: 'tfor'; keyVar?: string; valueVar: string; collection: Expr; body: TemplatePart[] }

export interface Attribute {
  name: string
  expr: Expr
  line: number
  /** The expression as written, for coverage messages. */
  text: string
}

export interface Body {
  attributes: Map<string, Attribute>
  blocks: Block[]
}

export interface Block {
  type: string
  labels: string[]
  body: Body
  line: number
  file: string
}

export interface ParsedFile {
  path: string
  body: Body
}
