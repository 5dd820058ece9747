/**
 * The one wildcard matcher of the project: IAM's `*` (any run of characters, possibly empty) and
 * `?` (exactly one character). Actions compare case-insensitively, resources case-sensitively, as
 * AWS does.
 *
 * Never builds a RegExp from input and never backtracks: the pattern is split at `*` into
 * segments; the first must match at the start, the last at the end, and every segment between is
 * taken at its leftmost occurrence (leftmost is always safe, because whatever follows it can only
 * gain room). Each occurrence is found with a bit-parallel scan (shift-and) that handles `?`, so
 * every character of the value is visited once per segment search and the scans do not overlap:
 * O(value length x segment length / 32) in all, linear for patterns of usual size. A segment of at
 * most 32 characters without `?` is found with `indexOf` instead (at most 32 comparisons a
 * character, so still linear).
 */

export interface WildcardOptions {
  /** Compare ignoring case (actions). Resources and principals are case-sensitive. */
  caseInsensitive?: boolean
}

/** A pattern prepared once and matched many times. */
export interface WildcardPattern {
  readonly source: string
  readonly hasWildcard: boolean
  matches(value: string): boolean
}

interface Segment {
  text: string
  /** Bit masks per character, one Uint32Array word per 32 positions; `?` positions are set in every mask. */
  masks: Map<string, Uint32Array>
  anyMask: Uint32Array
  /** Whether the segment holds `?`: without one, an occurrence is a plain substring. */
  hasAny: boolean
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?')
}

/**
 * Policies repeat their patterns: keep the compiled ones, within a bound for long-running processes.
 * One map per case mode, keyed by the pattern itself, so a lookup builds no key string.
 */
const compiledSensitive = new Map<string, WildcardPattern>()
const compiledInsensitive = new Map<string, WildcardPattern>()
const CACHE_LIMIT = 50_000

export function wildcardMatch(pattern: string, value: string, options?: WildcardOptions): boolean {
  const fold = options !== undefined && options.caseInsensitive === true
  const cache = fold ? compiledInsensitive : compiledSensitive
  let compiled = cache.get(pattern)
  if (compiled === undefined) {
    compiled = compileWildcard(pattern, fold ? { caseInsensitive: true } : {})
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(pattern, compiled)
  }
  return compiled.matches(value)
}

export function compileWildcard(pattern: string, options: WildcardOptions = {}): WildcardPattern {
  const fold = options.caseInsensitive === true
  const source = fold ? pattern.toLowerCase() : pattern
  if (!hasWildcard(source)) {
    return {
      source: pattern,
      hasWildcard: false,
      matches: (value) => (fold ? value.toLowerCase() : value) === source,
    }
  }
  const parts = source.split('*')
  const anchoredStart = parts[0] ?? ''
  const anchoredEnd = parts.length > 1 ? (parts[parts.length - 1] ?? '') : ''
  const middle = parts
    .slice(1, -1)
    .filter((p) => p.length > 0)
    .map(compileSegment)
  const single = parts.length === 1
  return {
    source: pattern,
    hasWildcard: true,
    matches(raw: string): boolean {
      const value = fold ? raw.toLowerCase() : raw
      if (single) return value.length === anchoredStart.length && matchesAt(anchoredStart, value, 0)
      if (value.length < anchoredStart.length + anchoredEnd.length) return false
      if (!matchesAt(anchoredStart, value, 0)) return false
      const endAt = value.length - anchoredEnd.length
      if (!matchesAt(anchoredEnd, value, endAt)) return false
      let position = anchoredStart.length
      for (const segment of middle) {
        const found = findSegment(segment, value, position, endAt)
        if (found < 0) return false
        position = found + segment.text.length
      }
      return true
    },
  }
}

/** Whether `segment` (which may hold `?`, no `*`) matches `value` exactly at `offset`. */
function matchesAt(segment: string, value: string, offset: number): boolean {
  if (offset + segment.length > value.length) return false
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i)
    if (c !== 63 /* ? */ && c !== value.charCodeAt(offset + i)) return false
  }
  return true
}

function compileSegment(text: string): Segment {
  const words = Math.ceil(text.length / 32)
  const anyMask = new Uint32Array(words)
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '?') anyMask[i >>> 5]! |= 1 << (i & 31)
  }
  const masks = new Map<string, Uint32Array>()
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (ch === '?') continue
    let mask = masks.get(ch)
    if (mask === undefined) {
      mask = Uint32Array.from(anyMask)
      masks.set(ch, mask)
    }
    mask[i >>> 5]! |= 1 << (i & 31)
  }
  return { text, masks, anyMask, hasAny: text.includes('?') }
}

/**
 * Leftmost start index >= `from` where `segment` occurs entirely before `limit`, or -1.
 * Shift-and: bit i of `state` is set when the last i+1 characters read match the segment's first i+1.
 */
function findSegment(segment: Segment, value: string, from: number, limit: number): number {
  const length = segment.text.length
  if (!segment.hasAny && length <= 32) {
    // A short segment without `?`: the engine's substring search, linear for so short a needle.
    const found = value.indexOf(segment.text, from)
    return found >= 0 && found + length <= limit ? found : -1
  }
  if (length <= 32) {
    // One word of state: kept in a number.
    const lastBit = 1 << (length - 1)
    const any = segment.anyMask[0]!
    let state = 0
    for (let j = from; j < limit; j++) {
      const mask = segment.masks.get(value[j]!)?.[0] ?? any
      state = ((state << 1) | 1) & mask
      if ((state & lastBit) !== 0) return j - length + 1
    }
    return -1
  }
  const words = segment.anyMask.length
  const lastWord = (length - 1) >>> 5
  const lastBit = 1 << ((length - 1) & 31)
  const state = new Uint32Array(words)
  for (let j = from; j < limit; j++) {
    const mask = segment.masks.get(value[j]!) ?? segment.anyMask
    let carry = 1
    for (let w = 0; w < words; w++) {
      const current = state[w]!
      state[w] = ((current << 1) | carry) & mask[w]!
      carry = current >>> 31
    }
    if ((state[lastWord]! & lastBit) !== 0) return j - length + 1
  }
  return -1
}
