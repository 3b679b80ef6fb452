// Slurm hostlist expressions ("cn[00001-00064]"), for node names, partition node lists and job
// node lists. Only what the generator produces: one prefix, zero-padded numeric suffixes.

/** nodeName formats the node of `prefix` with number `n`, zero-padded to `digits`. */
export function nodeName(prefix: string, n: number, digits: number): string {
  return prefix + String(n).padStart(digits, '0')
}

/**
 * hostlistRange formats nodes `first`..`last` (inclusive) of one prefix as Slurm does:
 * a single name, or `prefix[first-last]`.
 */
export function hostlistRange(prefix: string, first: number, last: number, digits: number): string {
  if (first === last) return nodeName(prefix, first, digits)
  return `${prefix}[${String(first).padStart(digits, '0')}-${String(last).padStart(digits, '0')}]`
}

/** hostlistRanges formats several [first, last] ranges of one prefix: `prefix[1-4,9,12-13]`. */
export function hostlistRanges(prefix: string, ranges: ReadonlyArray<readonly [number, number]>, digits: number): string {
  if (ranges.length === 0) return ''
  if (ranges.length === 1) {
    const r = ranges[0] as readonly [number, number]
    return hostlistRange(prefix, r[0], r[1], digits)
  }
  const parts = ranges.map(([a, b]) => (a === b ? String(a).padStart(digits, '0') : `${String(a).padStart(digits, '0')}-${String(b).padStart(digits, '0')}`))
  return `${prefix}[${parts.join(',')}]`
}
