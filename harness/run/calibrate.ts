// Choosing b.N exactly as Go's src/testing/benchmark.go (run, predictN): an N=1 probe, then
// predicted runs until one lasts -benchtime. Keeping Go's ladder keeps our N comparable to Go's.
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
  n = Math.min(n, 100 * last)
  n = Math.max(n, last + 1)
  return Math.min(n, MAX_PREDICTED_ITERATIONS)
}
