// Choosing b.N as Go's src/testing/benchmark.go (run, predictN): an N=1 probe, then predicted
// runs until one lasts -benchtime. Keeping Go's ladder keeps our N comparable to Go's; the one
// difference is that a reliable run predicts the final N at once (nextN, RELIABLE_RUN_NS).
import { parseDurationNs } from '../results/duration.ts'

/** MAX_PREDICTED_ITERATIONS caps b.N, as Go's maxBenchPredictIters. */
export const MAX_PREDICTED_ITERATIONS = 1_000_000_000

/** DEFAULT_BENCHTIME is Go's default -benchtime; `100ms` is the quick setting. */
export const DEFAULT_BENCHTIME = '1s'

/** BenchTime is a parsed -benchtime: a target duration, or a fixed iteration count (`Nx`). */
export type BenchTime = { readonly kind: 'duration'; readonly durationNs: number } | { readonly kind: 'count'; readonly iterations: number }

/** parseBenchTime parses `1s`, `100ms` or `500x`; it returns undefined when malformed or not positive. */
export function parseBenchTime(text: string): BenchTime | undefined {
  if (text.endsWith('x')) {
    const digits = text.slice(0, -1)
    if (!/^\d+$/.test(digits)) return undefined
    const iterations = Number(digits)
    return iterations > 0 && Number.isSafeInteger(iterations) ? { kind: 'count', iterations } : undefined
  }
  const durationNs = parseDurationNs(text)
  return durationNs !== undefined && durationNs > 0 ? { kind: 'duration', durationNs } : undefined
}

/** GO_MAX_GROWTH is Go's largest step of the ladder: N grows at most 100× per run. */
export const GO_MAX_GROWTH = 100

/**
 * RELIABLE_RUN_NS is how long a run after the N=1 probe must last for its ns/op to predict the
 * final N in one step, without Go's 100× cap. The cap guards against timing errors in very short
 * runs; past a millisecond of warm iterations it only adds a wasted run: a 48 µs op ran 100
 * (4.8 ms), 10,000 (0.48 s), then its real 25,000 (docs/measurement.md, "Time to result"). The
 * probe never qualifies: its one cold call (first compile, a server's start) is no estimate.
 */
export const RELIABLE_RUN_NS = 1e6

/**
 * predictN returns the next b.N, Go's predictN step for step: multiply first (dividing first
 * hides an order of magnitude for very fast benchmarks), run 1.2× the prediction, grow at most
 * `maxGrowth`× per step (Go: 100), at least one more than last time, never above 1e9.
 */
export function predictN(goalNs: number, prevIterations: number, prevNs: number, last: number, maxGrowth: number = GO_MAX_GROWTH): number {
  // Integer nanoseconds as Go; a zero duration rounds up to dodge a division by zero (go.dev/issue/70709).
  const prev = Math.max(1, Math.trunc(prevNs))
  // BigInt keeps Go's int64 product exact: 1e9 ns × 1e9 iterations is beyond 2^53.
  let n = Number((BigInt(Math.trunc(goalNs)) * BigInt(prevIterations)) / BigInt(prev))
  n += Math.trunc(n / 5)
  n = Math.min(n, maxGrowth * last)
  n = Math.max(n, last + 1)
  return Math.min(n, MAX_PREDICTED_ITERATIONS)
}

/**
 * nextN is one step of the calibration ladder, the one rule every ramp uses (B.run's runs,
 * pair mode's turns, b.loop()'s growth inside one call): given the last run's N and timed
 * duration, it returns the next N, or undefined when the last run is the result (it lasted
 * goalNs, or N reached the 1e9 cap). It is Go's ladder (launch, predictN) except that a run
 * after the probe that lasted at least RELIABLE_RUN_NS predicts the final N in one step instead
 * of growing at most 100×; the final run still lasts at least goalNs, as Go's.
 */
export function nextN(goalNs: number, lastN: number, lastNs: number): number | undefined {
  if (lastNs >= goalNs || lastN >= MAX_PREDICTED_ITERATIONS) return undefined
  const reliable = lastN > 1 && lastNs >= RELIABLE_RUN_NS
  return predictN(goalNs, lastN, lastNs, lastN, reliable ? Number.POSITIVE_INFINITY : GO_MAX_GROWTH)
}

/** LadderRun is what one run of the ladder reports: its N (b.N, or loop()'s count) and timed duration. */
export interface LadderRun {
  readonly n: number
  readonly ns: number
}

/**
 * climbLadder runs `run` with each N nextN chooses, starting from the run `first` (the N=1
 * probe), until a run lasts goalNs or reaches the cap; `run` returns undefined to stop early (a
 * failure or skip). It returns the last run, undefined when stopped early.
 */
export async function climbLadder(goalNs: number, first: LadderRun, run: (n: number) => Promise<LadderRun | undefined>): Promise<LadderRun | undefined> {
  let last = first
  for (let n = nextN(goalNs, first.n, first.ns); n !== undefined; n = nextN(goalNs, last.n, last.ns)) {
    const ran = await run(n)
    if (ran === undefined) return undefined
    last = ran
  }
  return last
}
