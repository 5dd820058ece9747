/**
 * Nearest-name suggestions for problem messages ("did you mean s3:GetObject?"). Only runs when a
 * name is unknown, and expansions are memoized, so a plain edit distance over one service's
 * action names (a few hundred) is cheap enough.
 */

/** The candidate closest to `name` (ignoring case) within a distance that scales with its length. */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const target = name.toLowerCase()
  // Short names get a tight bound, or every two-letter service would "suggest" another.
  const limit = target.length <= 4 ? 1 : Math.min(3, Math.max(2, Math.floor(target.length / 4)))
  let best: string | undefined
  let bestDistance = limit + 1
  for (const candidate of candidates) {
    const distance = editDistance(target, candidate.toLowerCase(), bestDistance - 1)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** Levenshtein distance, or `limit + 1` as soon as it is known to exceed `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let previous = new Uint16Array(b.length + 1)
  let current = new Uint16Array(b.length + 1)
  for (let j = 0; j <= b.length; j++) previous[j] = j
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    let rowMin = i
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1)
      const value = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1)
      current[j] = value
      if (value < rowMin) rowMin = value
    }
    if (rowMin > limit) return limit + 1
    const swap = previous
    previous = current
    current = swap
  }
  return Math.min(previous[b.length]!, limit + 1)
}
