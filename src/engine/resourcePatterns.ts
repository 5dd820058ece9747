/**
 * Relations between resource patterns, where both sides may hold `*` and `?`: whether one pattern
 * covers all of another, whether two patterns share a resource, and whether an action's ARN
 * template (from the catalog) can name a resource of a pattern. Case-sensitive, as AWS compares
 * resources. Small dynamic programs over the two patterns; never a RegExp built from input.
 */
import { hasWildcard, wildcardMatch } from '../iam/wildcard.js'
import { rewritePlaceholders } from '../model/types.js'

/** Past this length a relation is not computed exactly: intersects says yes, covers says no (safe sides). */
const MAX_LENGTH = 4096

const STAR = -1
const ONE = -2

/** IAM policy variables are resolved per request: for static analysis they may be anything. */
export function policyVariablesAsWildcards(pattern: string): { pattern: string; hasVariables: boolean } {
  let hasVariables = false
  const widened = rewritePlaceholders(pattern, (inner, kind, written) => {
    // An escape stands for a literal character; a literal `*` cannot be told from the wildcard
    // here, and reading it as the wildcard only over-approximates.
    if (kind === 'escape') return inner
    if (kind === 'variable') {
      hasVariables = true
      return '*'
    }
    // A symbol of the loader (`${KycBucket.Arn}`): an exact unknown value, kept as written.
    return written
  })
  return { pattern: widened, hasVariables }
}

/** A loader's symbol (`${KycBucket.Arn}`) stands for one unknown value: any text, for shape checks. */
export function symbolsAsWildcards(pattern: string): string {
  return rewritePlaceholders(pattern, (_inner, kind, written) => (kind === 'variable' ? written : '*'))
}

function tokens(pattern: string): number[] {
  const out = new Array<number>(pattern.length)
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i)
    out[i] = c === 42 ? STAR : c === 63 ? ONE : c
  }
  return out
}

/** Length of the text before the first wildcard, and of the text after the last one. */
function literalEnds(pattern: string): { head: number; tail: number } {
  let head = 0
  while (head < pattern.length && !isWildcardAt(pattern, head)) head++
  let tail = 0
  while (tail < pattern.length - head && !isWildcardAt(pattern, pattern.length - 1 - tail)) tail++
  return { head, tail }
}

function isWildcardAt(pattern: string, i: number): boolean {
  const c = pattern.charCodeAt(i)
  return c === 42 || c === 63
}

/** Whether `a` and `b` agree on their first `length` characters (`fromEnd`: on their last ones). */
function agree(a: string, b: string, length: number, fromEnd: boolean): boolean {
  const offsetA = fromEnd ? a.length - length : 0
  const offsetB = fromEnd ? b.length - length : 0
  for (let i = 0; i < length; i++) if (a.charCodeAt(offsetA + i) !== b.charCodeAt(offsetB + i)) return false
  return true
}

/** Whether some resource is matched by both patterns. */
export function patternsIntersect(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true
  // A concrete ARN meets a pattern exactly when the pattern matches it.
  if (!hasWildcard(b)) return wildcardMatch(a, b)
  if (!hasWildcard(a)) return wildcardMatch(b, a)
  // Every string of a pattern starts with its text before the first wildcard and ends with its
  // text after the last: two patterns that disagree there share nothing (most pairs, at once).
  const endsA = literalEnds(a)
  const endsB = literalEnds(b)
  if (!agree(a, b, Math.min(endsA.head, endsB.head), false)) return false
  if (!agree(a, b, Math.min(endsA.tail, endsB.tail), true)) return false
  if (a.length > MAX_LENGTH || b.length > MAX_LENGTH) return true
  const p = tokens(a)
  const q = tokens(b)
  const n = p.length
  const m = q.length
  // reach[i][j]: prefixes p[0..i) and q[0..j) can produce one common string.
  const width = m + 1
  const reach = new Uint8Array((n + 1) * width)
  reach[0] = 1
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (reach[i * width + j] === 0) continue
      const pi = i < n ? p[i]! : undefined
      const qj = j < m ? q[j]! : undefined
      if (pi === STAR) {
        reach[(i + 1) * width + j] = 1
        if (qj !== undefined) reach[i * width + j + 1] = 1
      }
      if (qj === STAR) {
        reach[i * width + j + 1] = 1
        if (pi !== undefined) reach[(i + 1) * width + j] = 1
      }
      if (pi !== undefined && qj !== undefined && pi !== STAR && qj !== STAR) {
        if (pi === qj || pi === ONE || qj === ONE) reach[(i + 1) * width + j + 1] = 1
      }
    }
  }
  return reach[n * width + m] === 1
}

/**
 * Whether every resource matched by `inner` is matched by `outer`. Sound, not complete: a `yes`
 * is always right; some exotic covers (`a*` over `a?*`) are answered `no`.
 */
export function patternCovers(outer: string, inner: string): boolean {
  if (outer === '*' || outer === inner) return true
  if (!hasWildcard(inner)) return wildcardMatch(outer, inner)
  // A concrete outer covers only itself, and `inner` (with wildcards) is more than one resource.
  if (!hasWildcard(outer)) return false
  // Every string of `inner` must start with the text of `outer` before its first wildcard, so that
  // text must start the text of `inner` before its own first wildcard; likewise at the end.
  const o = literalEnds(outer)
  const i = literalEnds(inner)
  if (o.head > i.head || !agree(outer, inner, o.head, false)) return false
  if (o.tail > i.tail || !agree(outer, inner, o.tail, true)) return false
  if (outer.length > MAX_LENGTH || inner.length > MAX_LENGTH) return false
  const p = tokens(outer)
  const q = tokens(inner)
  const n = p.length
  const m = q.length
  const width = m + 1
  const reach = new Uint8Array((n + 1) * width)
  reach[0] = 1
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (reach[i * width + j] === 0) continue
      const pi = i < n ? p[i]! : undefined
      if (pi === STAR) {
        // The outer star absorbs any run of the inner pattern, wildcards included.
        reach[(i + 1) * width + j] = 1
        if (j < m) reach[i * width + j + 1] = 1
      } else if (pi !== undefined && j < m) {
        const qj = q[j]!
        if (qj === STAR) continue
        if (pi === qj || (pi === ONE && qj !== STAR)) reach[(i + 1) * width + j + 1] = 1
      }
    }
  }
  return reach[n * width + m] === 1
}

/**
 * Whether an ARN template of the catalog (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) can
 * name a resource that `pattern` matches. A placeholder stands for a run of characters without `/`
 * or `:`, except a last placeholder that names a path or an id with colons (object keys, log group
 * names, role names with paths); bucket, table, queue names and the like never hold `/`.
 */
export function templateIntersects(template: string, pattern: string): boolean {
  if (pattern === '*') return true
  if (pattern.length > MAX_LENGTH) return true
  const parts = parseTemplate(template)
  const q = tokens(pattern)
  const n = parts.length
  const m = q.length
  const width = m + 1
  const reach = new Uint8Array((n + 1) * width)
  reach[0] = 1
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (reach[i * width + j] === 0) continue
      const t = i < n ? parts[i]! : undefined
      const qj = j < m ? q[j]! : undefined
      if (qj === STAR) {
        reach[i * width + j + 1] = 1
        if (t !== undefined) reach[(i + 1) * width + j] = 1
      }
      if (t === undefined) continue
      // A placeholder may end here, whatever follows (also at the end of the pattern).
      if (typeof t !== 'number') reach[(i + 1) * width + j] = 1
      if (qj === undefined) continue
      if (typeof t === 'number') {
        if (qj !== STAR && (t === qj || qj === ONE)) reach[(i + 1) * width + j + 1] = 1
      } else if (qj === ONE || (qj !== STAR && t.allows(qj))) {
        reach[i * width + j + 1] = 1
      }
    }
  }
  return reach[n * width + m] === 1
}

interface Placeholder {
  allows(code: number): boolean
}

const SEGMENT: Placeholder = { allows: (c) => c !== 47 /* / */ && c !== 58 /* : */ }
const PATH: Placeholder = { allows: () => true }
const NO_SLASH_NAMES = new Set([
  'BucketName',
  'TableName',
  'QueueName',
  'TopicName',
  'FunctionName',
  'KeyId',
  'Account',
  'Region',
  'Partition',
])

const templateCache = new Map<string, (number | Placeholder)[]>()

function parseTemplate(template: string): (number | Placeholder)[] {
  const cached = templateCache.get(template)
  if (cached !== undefined) return cached
  const parts: (number | Placeholder)[] = []
  let i = 0
  let lastPlaceholderName: string | undefined
  let lastPlaceholderAt = -1
  while (i < template.length) {
    if (template.startsWith('${', i)) {
      const end = template.indexOf('}', i)
      if (end > 0) {
        lastPlaceholderName = template.slice(i + 2, end)
        lastPlaceholderAt = parts.length
        parts.push(SEGMENT)
        i = end + 1
        continue
      }
    }
    parts.push(template.charCodeAt(i))
    i++
  }
  if (lastPlaceholderAt === parts.length - 1 && lastPlaceholderName !== undefined) {
    if (!NO_SLASH_NAMES.has(lastPlaceholderName)) parts[lastPlaceholderAt] = PATH
  }
  templateCache.set(template, parts)
  return parts
}
