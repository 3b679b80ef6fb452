// Change points by E-divisive means (Matteson & James, "A Nonparametric Approach for Multiple
// Change Point Analysis of Multivariate Data", JASA 2014), the method MongoDB's and Apache
// Otava's performance CI run over nightly series: the split that maximises the energy distance
// between the two sides, kept when a permutation test says it beats chance, then the same on
// each side. It assumes no distribution, and a single-night outlier moves the energy distance
// little (and cannot form a side of at least MIN_SEGMENT nights), so it is not reported as a shift.
import { median } from '../../common/median.ts'
import type { Random } from '../../common/prng.ts'

/** ChangePointOptions tune the search; the defaults are Otava's. */
export interface ChangePointOptions {
  /** Significance of the permutation test: a split is kept when p < alpha. */
  readonly alpha?: number
  /** Permutations per test (p's resolution is 1/(permutations+1)). */
  readonly permutations?: number
  /** Fewest points on each side of a change point. */
  readonly minSegment?: number
  /** The source of the permutations (seeded, so a report repeats exactly). */
  readonly random: Random
}

/** DEFAULT_ALPHA is the test's significance level. */
export const DEFAULT_ALPHA = 0.05
/** DEFAULT_PERMUTATIONS gives p in steps of 0.005. */
export const DEFAULT_PERMUTATIONS = 199
/** DEFAULT_MIN_SEGMENT: three nights on each side, so one odd night is never a shift. */
export const DEFAULT_MIN_SEGMENT = 3

/** ChangePoint is a level shift: the series' median before and after index `index` (the first point after the shift). */
export interface ChangePoint {
  readonly index: number
  readonly before: number
  readonly after: number
  /** after / before − 1 (NaN when before is 0). */
  readonly change: number
  /** The permutation test's p-value. */
  readonly p: number
}

// The energy statistic of splitting xs[lo, hi) at tau, with α = 1 (Matteson & James eq. 5):
// Q = (n·m / (n+m)) · (2/(n·m) Σ|x−y| − 1/C(n,2) Σ|x−x'| − 1/C(m,2) Σ|y−y'|).
// d is the pairwise distance matrix (row-major, size × size) of the values in their current order.
function bestSplit(d: Float64Array, size: number, lo: number, hi: number, minSegment: number): { tau: number; q: number } {
  // Moving the split one point right moves that point from the right side to the left: O(n) per
  // step from two partial row sums, O(n²) for the whole segment.
  let left = 0
  let between = 0
  let right = 0
  for (let j = lo; j < hi; j++) for (let k = j + 1; k < hi; k++) right += d[j * size + k] as number
  let best = { tau: -1, q: -Infinity }
  for (let tau = lo; tau < hi - minSegment; tau++) {
    // Move point `tau` to the left side.
    let toLeft = 0
    for (let i = lo; i < tau; i++) toLeft += d[i * size + tau] as number
    let toRight = 0
    for (let j = tau + 1; j < hi; j++) toRight += d[tau * size + j] as number
    left += toLeft
    right -= toRight
    between += toRight - toLeft
    const split = tau + 1
    const n = split - lo
    const m = hi - split
    if (n < minSegment) continue
    const energy = (2 * between) / (n * m) - (n > 1 ? left / ((n * (n - 1)) / 2) : 0) - (m > 1 ? right / ((m * (m - 1)) / 2) : 0)
    const q = ((n * m) / (n + m)) * energy
    if (q > best.q) best = { tau: split, q }
  }
  return best
}

function distances(values: readonly number[]): Float64Array {
  const size = values.length
  const d = new Float64Array(size * size)
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      const dist = Math.abs((values[i] as number) - (values[j] as number))
      d[i * size + j] = dist
      d[j * size + i] = dist
    }
  }
  return d
}

// The permutation test of one segment: how often does a shuffled segment split better?
function permutationP(values: readonly number[], lo: number, hi: number, observed: number, options: Required<ChangePointOptions>): number {
  const segment = values.slice(lo, hi)
  let atLeast = 0
  for (let r = 0; r < options.permutations; r++) {
    for (let i = segment.length - 1; i > 0; i--) {
      const j = Math.floor(options.random() * (i + 1))
      const t = segment[i] as number
      segment[i] = segment[j] as number
      segment[j] = t
    }
    const q = bestSplit(distances(segment), segment.length, 0, segment.length, options.minSegment).q
    if (q >= observed) atLeast++
  }
  return (atLeast + 1) / (options.permutations + 1)
}

/**
 * changePoints finds the level shifts of `values` (oldest first): hierarchically, the most
 * significant split of any segment first, until no segment has a split with p < alpha.
 */
export function changePoints(values: readonly number[], options: ChangePointOptions): ChangePoint[] {
  const opts: Required<ChangePointOptions> = {
    alpha: options.alpha ?? DEFAULT_ALPHA,
    permutations: options.permutations ?? DEFAULT_PERMUTATIONS,
    minSegment: options.minSegment ?? DEFAULT_MIN_SEGMENT,
    random: options.random,
  }
  const d = distances(values)
  const size = values.length
  const cuts: { index: number; p: number }[] = []
  const segments: [number, number][] = [[0, size]]
  const tested = new Map<string, { tau: number; q: number; p: number }>()
  for (;;) {
    let best: { tau: number; p: number; q: number; segment: number } | undefined
    for (let s = 0; s < segments.length; s++) {
      const [lo, hi] = segments[s] as [number, number]
      if (hi - lo < 2 * opts.minSegment) continue
      const key = `${lo}:${hi}`
      let result = tested.get(key)
      if (result === undefined) {
        const split = bestSplit(d, size, lo, hi, opts.minSegment)
        const p = split.tau < 0 ? 1 : permutationP(values, lo, hi, split.q, opts)
        result = { ...split, p }
        tested.set(key, result)
      }
      if (result.p < opts.alpha && (best === undefined || result.p < best.p || (result.p === best.p && result.q > best.q))) best = { ...result, segment: s }
    }
    if (best === undefined) break
    const [lo, hi] = segments[best.segment] as [number, number]
    segments.splice(best.segment, 1, [lo, best.tau], [best.tau, hi])
    cuts.push({ index: best.tau, p: best.p })
  }
  cuts.sort((a, b) => a.index - b.index)
  const out: ChangePoint[] = []
  for (let c = 0; c < cuts.length; c++) {
    const cut = cuts[c] as { index: number; p: number }
    const from = c === 0 ? 0 : (cuts[c - 1] as { index: number }).index
    const to = c + 1 < cuts.length ? (cuts[c + 1] as { index: number }).index : size
    const before = median(values.slice(from, cut.index))
    const after = median(values.slice(cut.index, to))
    out.push({ index: cut.index, before, after, change: before === 0 ? Number.NaN : after / before - 1, p: cut.p })
  }
  return out
}
