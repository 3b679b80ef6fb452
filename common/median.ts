// The median, used by the statistics, the load tester's ceiling, the worker's pair mode and the
// self-benchmark alike.

/** medianOfSorted returns the median of ascending `xs` (the mean of the middle two when n is even), NaN when empty. */
export function medianOfSorted(xs: readonly number[]): number {
  const n = xs.length
  if (n === 0) return NaN
  const mid = Math.floor(n / 2)
  return n % 2 === 1 ? (xs[mid] as number) : ((xs[mid - 1] as number) + (xs[mid] as number)) / 2
}

/** median returns the median of `values` in any order (sorting a copy), NaN when empty. */
export function median(values: readonly number[]): number {
  return medianOfSorted([...values].sort((a, b) => a - b))
}
