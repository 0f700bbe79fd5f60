/**
 * "Did you mean" hints: the closest known name by edit distance
 * (optimal string alignment, so a swapped pair of letters costs one edit).
 */

/** The number of single-letter edits (insert, delete, replace, swap neighbours) between two strings. */
export const editDistance = (a: string, b: string): number => {
  const rows: Array<Array<number>> = []
  for (let i = 0; i <= a.length; i++) {
    const row: Array<number> = [i]
    for (let j = 1; j <= b.length; j++) row.push(i === 0 ? j : 0)
    rows.push(row)
  }
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, at(i - 2, j - 2) + 1)
      row[j] = d
    }
  }
  return at(a.length, b.length)
}

const commonPrefix = (a: string, b: string): number => {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/**
 * The candidate closest to `name`, if one is close enough to be a likely
 * typo: within a third of the name's length in edits, or within half of it
 * when the two share their first four letters (`retries` for `retry`).
 */
export const closest = (name: string, candidates: Iterable<string>): string | undefined => {
  const lower = name.toLowerCase()
  const limit = Math.min(Math.max(1, Math.floor(name.length / 3)), Math.max(name.length - 1, 0))
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    if (candidate === name) continue
    const other = candidate.toLowerCase()
    const d = editDistance(lower, other)
    const allowed = commonPrefix(lower, other) >= 4 ? Math.max(limit, Math.ceil(name.length / 2)) : limit
    if (d > allowed) continue
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

/** A hint naming the closest candidate, or `undefined` when none is close. */
export const didYouMean = (name: string, candidates: Iterable<string>): string | undefined => {
  const match = closest(name, candidates)
  return match === undefined ? undefined : `did you mean \`${match}\`?`
}
