/**
 * Escaping of everything that comes from the analysed tree (names, ARNs, messages, file paths).
 * A pull request author controls those strings, so each one must render as inert text wherever a
 * renderer puts it: Markdown prose, a table cell, a code span, a fenced block, HTML, a terminal.
 */

/** Longest string from the tree that any report shows; keeps one name from filling a comment. */
export const MAX_TREE_STRING = 200

const ZWJ = '\u200d'

/**
 * One line of plain text: control characters and line breaks become spaces, length capped, and
 * `<!--` gets a zero-width joiner so the comment's hidden marker stays the only one in the body.
 */
export function oneLine(value: string, max = MAX_TREE_STRING): string {
  const flat = value
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/<!--/g, `<!${ZWJ}--`)
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/**
 * `@name` and `#123` right after a non-word character would notify a person or team, or
 * cross-reference an issue; a zero-width joiner after the sign keeps the text readable and inert.
 */
export function defuseMentions(text: string): string {
  return text.replace(/(^|[^\p{L}\p{N}_`])([@#])(?=[\p{L}\p{N}_-])/gu, `$1$2${ZWJ}`)
}

/** Inline emphasis, code, links, tables and strikethrough; `<` and `&` become entities first. */
const MARKDOWN_SPECIAL = /[\\`*_[\]|~]/g
/** What would start a block (heading, list, quote) if the text ever begins a line. */
const BLOCK_START = /^([#+\-=])/
const ORDERED_START = /^(\d+)([.)])/

/** Inline Markdown prose: HTML as entities, Markdown punctuation backslash-escaped, mentions defused. */
export function mdText(value: string, max = MAX_TREE_STRING): string {
  const html = oneLine(value, max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const inline = html
    .replace(MARKDOWN_SPECIAL, (c) => `\\${c}`)
    .replace(BLOCK_START, '\\$1')
    .replace(ORDERED_START, '$1\\$2')
  return defuseMentions(inline)
}

/**
 * A code span that shows `value` literally: the fence is one backtick longer than the longest run
 * inside, padded when the value starts or ends with a backtick. Mentions and HTML are inert in code.
 * In a table cell a pipe still splits the row (GFM cuts cells before inline parsing), so `inTable`
 * escapes it as `\|`, which GFM turns back into a pipe inside the span.
 */
export function mdCode(value: string, options: { inTable?: boolean; max?: number } = {}): string {
  let text = oneLine(value, options.max ?? MAX_TREE_STRING)
  if (text.trim() === '') text = text === '' ? ' ' : text
  if (options.inTable) text = text.replace(/\\(?=\|)/g, '\\\\').replace(/\|/g, '\\|')
  const runs = text.match(/`+/g) ?? []
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** A table cell of prose: like mdText (which already escapes `|`). */
export function mdCell(value: string, max = MAX_TREE_STRING): string {
  return mdText(value, max)
}

/**
 * Text inside raw HTML (a `<summary>`): entities for HTML, and for backticks and brackets in case a
 * renderer parses Markdown there; mentions defused.
 */
export function htmlText(value: string, max = MAX_TREE_STRING): string {
  const escaped = oneLine(value, max)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/`/g, '&#96;')
    .replace(/\[/g, '&#91;')
    .replace(/]/g, '&#93;')
  return defuseMentions(escaped)
}

/** A fenced code block whose fence no line of `body` can close. */
export function codeBlock(body: string, language = ''): string {
  const runs = body.match(/`{3,}/g) ?? []
  const fence = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)))
  return `${fence}${language}\n${body}\n${fence}`
}

/** Text inside an HTML comment: nothing that could end it or open another. */
export function commentText(value: string): string {
  return oneLine(value).replace(/-{2,}/g, '-').replace(/[<>]/g, '')
}

/** A Mermaid label: every character outside a safe set as a numeric entity (`#60;`). */
export function mermaidLabel(value: string): string {
  return oneLine(value, 80).replace(/[^A-Za-z0-9 _./:*+-]/gu, (c) => `#${c.codePointAt(0)};`)
}

/** A terminal string: control characters (ANSI escapes from the tree) shown, never interpreted. */
export function terminalText(value: string, max = 400): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const visible = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
  })
  return visible.length > max ? `${visible.slice(0, max - 1)}…` : visible
}
