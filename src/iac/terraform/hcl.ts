/**
 * HCL files to our syntax tree, through tree-sitter's Terraform grammar (WebAssembly, offline).
 * Syntax errors are reported with their line and the rest of the file is still converted: an
 * ERROR node only costs the blocks or attributes inside it.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Language, type Node, Parser } from 'web-tree-sitter'
import type { ParsedFile } from './ast.js'
import { Converter, emptyBody, kids } from './convert.js'

/** Where the grammar lives: the one place a bundle has to change to ship the wasm elsewhere. */
export function terraformWasmPath(): string {
  const require = createRequire(import.meta.url)
  return join(
    dirname(require.resolve('@tree-sitter-grammars/tree-sitter-hcl/package.json')),
    'tree-sitter-terraform.wasm',
  )
}

let parserPromise: Promise<Parser> | undefined

/** Initialising WebAssembly is slow, so it happens once per process. */
export function hclParser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init()
    const parser = new Parser()
    parser.setLanguage(await Language.load(terraformWasmPath()))
    return parser
  })()
  return parserPromise
}

export interface ParseProblem {
  line: number
  message: string
}

export function parseHcl(
  parser: Parser,
  path: string,
  text: string,
): { file: ParsedFile; problems: ParseProblem[] } {
  const tree = parser.parse(text)
  const problems: ParseProblem[] = []
  try {
    if (tree === null)
      return { file: { path, body: emptyBody() }, problems: [{ line: 1, message: 'could not parse' }] }
    const converter = new Converter(text, path)
    const root = tree.rootNode
    const body = root.namedChildren.find((n) => n?.type === 'body')
    const file = { path, body: body ? converter.body(body) : emptyBody() }
    if (root.hasError) syntaxErrors(root, problems)
    return { file, problems }
  } finally {
    tree?.delete()
  }
}

/** Every ERROR and MISSING node, outermost only: one problem per broken place. */
function syntaxErrors(n: Node, problems: ParseProblem[]): void {
  for (const c of kids(n)) {
    if (c.type === 'ERROR' || c.isMissing) {
      const snippet = c.text.split('\n')[0]?.slice(0, 60) ?? ''
      problems.push({
        line: c.startPosition.row + 1,
        message: c.isMissing ? `syntax error: missing ${c.type}` : `syntax error near "${snippet}"`,
      })
    } else if (c.hasError) syntaxErrors(c, problems)
  }
}
