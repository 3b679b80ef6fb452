import { describe, expect, it } from 'vitest'
import { MAX_PREDICTED_ITERATIONS, parseBenchTime, predictN } from '../../../harness/run/calibrate.ts'

// ladder simulates Go's B.run for an op of constant cost: the N values it runs until benchtime.
function ladder(nsPerOp: number, goalNs: number): number[] {
  const ns = [1]
  let n = 1
  let durationNs = nsPerOp
  while (durationNs < goalNs && n < 1e9) {
    n = predictN(goalNs, n, durationNs, n)
    ns.push(n)
    durationNs = n * nsPerOp
  }
  return ns
}

describe('predictN (Go benchmark.go)', () => {
  it('reproduces the ladder of a 1.7 µs op: 1 → 100 → 10,000 → 705,882', () => {
    expect(ladder(1700, 1e9)).toEqual([1, 100, 10_000, 705_882])
  })

  it('grows at most 100× and at least by one, never above 1e9', () => {
    expect(predictN(1e9, 1, 1, 1)).toBe(100)
    expect(predictN(1e9, 1000, 2e9, 1000)).toBe(1001)
    expect(predictN(1e9, 1e8, 1e6, 1e8)).toBe(MAX_PREDICTED_ITERATIONS)
    expect(ladder(0.3, 1e9).at(-1)).toBe(MAX_PREDICTED_ITERATIONS)
  })

  it('multiplies before dividing and treats a zero duration as 1 ns (go.dev/issue/70709)', () => {
    // 1e9 × 3 / 7 = 428,571,428 (dividing first would give 0); +1/5 → 514,285,713; cap 100×3.
    expect(predictN(1e9, 3, 7, 3)).toBe(300)
    expect(predictN(1e9, 3, 7, 1e7)).toBe(514_285_713)
    expect(predictN(1e9, 5, 0, 5)).toBe(500)
  })
})

describe('parseBenchTime', () => {
  it('parses durations and Nx counts', () => {
    expect(parseBenchTime('1s')).toEqual({ kind: 'duration', durationNs: 1e9 })
    expect(parseBenchTime('100ms')).toEqual({ kind: 'duration', durationNs: 1e8 })
    expect(parseBenchTime('1.5s')).toEqual({ kind: 'duration', durationNs: 1.5e9 })
    expect(parseBenchTime('500x')).toEqual({ kind: 'count', iterations: 500 })
  })

  it('rejects zero, negative and malformed values', () => {
    for (const text of ['0', '0s', '-1s', 'abc', '0x', 'x', '1.5x', '10']) expect(parseBenchTime(text), text).toBeUndefined()
  })
})
