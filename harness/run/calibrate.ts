// Choosing b.N as Go's src/testing/benchmark.go (run, predictN): an N=1 probe, then predicted
// runs until one lasts -benchtime. Keeping Go's ladder keeps our N comparable to Go's; the one
// difference is a short scout run where Go would run a long capped step (nextN, SCOUT_RUN_NS).
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
 * RELIABLE_RUN_NS is how long a run after the N=1 probe must last before it may choose a scout
 * run (SCOUT_RUN_NS) instead of Go's capped 100× step. The probe never qualifies: its one cold
 * call (first compile, a server's start) is no estimate.
 */
export const RELIABLE_RUN_NS = 1e6

/**
 * SCOUT_RUN_NS is the length of the run that replaces a capped step of Go's ladder, long enough
 * to include the op's GC cost: JSON.parse of 10 KB ran 33 µs/op over 100 ops (3 ms, no scavenge
 * yet) and 100–130 µs/op over 10,000, so predicting the final N from the short run gave a 4.7 s
 * run. A capped step costs up to 100× the last run (0.48 s for a 48 µs op); a scout ~60 ms.
 */
export const SCOUT_RUN_NS = 50e6

/**
 * predictN returns the next b.N, Go's predictN step for step: multiply first (dividing first
 * hides an order of magnitude for very fast benchmarks), run 1.2× the prediction, grow at most
 * 100× per step, at least one more than last time, never above 1e9.
 */
export function predictN(goalNs: number, prevIterations: number, prevNs: number, last: number): number {
  // Integer nanoseconds as Go; a zero duration rounds up to dodge a division by zero (go.dev/issue/70709).
  const prev = Math.max(1, Math.trunc(prevNs))
  // BigInt keeps Go's int64 product exact: 1e9 ns × 1e9 iterations is beyond 2^53.
  let n = Number((BigInt(Math.trunc(goalNs)) * BigInt(prevIterations)) / BigInt(prev))
  n += Math.trunc(n / 5)
  n = Math.min(n, GO_MAX_GROWTH * last)
  n = Math.max(n, last + 1)
  return Math.min(n, MAX_PREDICTED_ITERATIONS)
}

/**
 * nextN is one step of the calibration ladder, the one rule every ramp uses (B.run's runs,
 * pair mode's turns, b.loop()'s growth inside one call): given the last run's N and timed
 * duration, it returns the next N, or undefined when the last run is the result (it lasted
 * goalNs, or N reached the 1e9 cap). It is Go's ladder (launch, predictN) but for one step:
 * where Go would grow a run of at least RELIABLE_RUN_NS by its 100× cap to a run that still
 * falls short of the goal, it runs a scout of SCOUT_RUN_NS instead, from which the final N
 * follows. The final run still lasts at least goalNs, as Go's.
 */
export function nextN(goalNs: number, lastN: number, lastNs: number): number | undefined {
  if (lastNs >= goalNs || lastN >= MAX_PREDICTED_ITERATIONS) return undefined
  const next = predictN(goalNs, lastN, lastNs, lastN)
  const capped = next === GO_MAX_GROWTH * lastN && GO_MAX_GROWTH * lastNs < goalNs
  if (capped && lastN > 1 && lastNs >= RELIABLE_RUN_NS) return predictN(SCOUT_RUN_NS, lastN, lastNs, lastN)
  return next
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
