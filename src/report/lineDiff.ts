/**
 * A unified line diff (longest common subsequence) for the synthesized policy documents, which
 * are small; the `diff` package is not a dependency. Past a size where LCS would be slow, the
 * whole document is shown as replaced, which is still correct.
 */

const MAX_CELLS = 4_000_000

export interface DiffLine {
  op: ' ' | '+' | '-'
  text: string
}

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.split('\n')
  const b = after === '' ? [] : after.split('\n')
  if (a.length * b.length > MAX_CELLS)
    return [
      ...a.map((text) => ({ op: '-' as const, text })),
      ...b.map((text) => ({ op: '+' as const, text })),
    ]
  // lengths[i][j]: LCS length of a[i..] and b[j..], one flat array
  const width = b.length + 1
  const lengths = new Uint32Array((a.length + 1) * width)
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i * width + j] =
        a[i] === b[j]
          ? (lengths[(i + 1) * width + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * width + j] ?? 0, lengths[i * width + j + 1] ?? 0)
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i] ?? '' })
      i++
      j++
    } else if (
      i < a.length &&
      (j >= b.length || (lengths[(i + 1) * width + j] ?? 0) >= (lengths[i * width + j + 1] ?? 0))
    ) {
      out.push({ op: '-', text: a[i] ?? '' })
      i++
    } else {
      out.push({ op: '+', text: b[j] ?? '' })
      j++
    }
  }
  return out
}

/** Changed lines with `context` unchanged lines around them; `…` where lines are skipped. */
export function unifiedDiff(before: string, after: string, context = 3): string[] {
  const lines = lineDiff(before, after)
  const keep = lines.map(() => false)
  lines.forEach((line, index) => {
    if (line.op === ' ') return
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k++)
      keep[k] = true
  })
  const out: string[] = []
  let skipped = false
  lines.forEach((line, index) => {
    if (!keep[index]) {
      skipped = true
      return
    }
    if (skipped) out.push(' …')
    skipped = false
    out.push(`${line.op}${line.text}`)
  })
  if (skipped) out.push(' …')
  return out
}
