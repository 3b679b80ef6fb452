// Spearman's rank correlation: how strongly one series moves with another, by rank, so a few
// extreme samples (a run caught by a GC storm) do not dominate as they would Pearson's r.

/** averageRanks ranks values 1-based, ties sharing the mean of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0])
  const out = new Array<number>(values.length)
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]) j++
    const rank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) out[(order[k] as readonly [number, number])[1]] = rank
    i = j + 1
  }
  return out
}

/**
 * spearman returns Spearman's rank correlation of two equally long series, or undefined when it
 * is not defined (fewer than 3 pairs, or a series with no spread).
 */
export function spearman(x: readonly number[], y: readonly number[]): number | undefined {
  if (x.length !== y.length) throw new Error(`spearman: series of ${x.length} and ${y.length} values`)
  const n = x.length
  if (n < 3) return undefined
  const rx = averageRanks(x)
  const ry = averageRanks(y)
  const mean = (n + 1) / 2
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = (rx[i] as number) - mean
    const dy = (ry[i] as number) - mean
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  return sxx === 0 || syy === 0 ? undefined : sxy / Math.sqrt(sxx * syy)
}
