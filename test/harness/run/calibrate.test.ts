import { describe, expect, it } from 'vitest'
import { climbLadder, MAX_PREDICTED_ITERATIONS, nextN, parseBenchTime, predictN, RELIABLE_RUN_NS, SCOUT_RUN_NS } from '../../../harness/run/calibrate.ts'

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

// ourLadder is the same simulation through nextN, the rule the worker uses.
function ourLadder(nsPerOp: number, goalNs: number, probeNs = nsPerOp): number[] {
  const ns = [1]
  let last = { n: 1, ns: probeNs }
  for (let n = nextN(goalNs, last.n, last.ns); n !== undefined; n = nextN(goalNs, last.n, last.ns)) {
    ns.push(n)
    last = { n, ns: n * nsPerOp }
  }
  return ns
}

// timedNs is the time a ladder spends running the benchmark: what a run costs before its result.
function timedNs(ladderNs: readonly number[], nsPerOp: number): number {
  let total = 0
  for (const n of ladderNs) total += n * nsPerOp
  return total
}

describe('nextN: a scout run instead of a capped step of Go', () => {
  it('replaces the capped 0.48 s run of a 48 µs op by a 60 ms scout: 1 → 100 → 1,249 → 24,999', () => {
    expect(ladder(48_000, 1e9)).toEqual([1, 100, 10_000, 24_999])
    expect(ourLadder(48_000, 1e9)).toEqual([1, 100, 1249, 24_999])
    // 1.68 s of timed runs become 1.27 s; the final N is Go's.
    expect(timedNs(ladder(48_000, 1e9), 48_000)).toBeGreaterThan(1.68e9)
    expect(timedNs(ourLadder(48_000, 1e9), 48_000)).toBeLessThan(1.27e9)
  })

  it("keeps Go's ladder where no capped step follows a run of RELIABLE_RUN_NS", () => {
    expect([RELIABLE_RUN_NS, SCOUT_RUN_NS]).toEqual([1e6, 50e6])
    // Runs before the last are under 1 ms, or Go's step from them is uncapped.
    expect(ourLadder(1700, 1e9)).toEqual(ladder(1700, 1e9))
    expect(ourLadder(0.3, 1e9)).toEqual(ladder(0.3, 1e9))
    expect(ourLadder(120_000, 1e9)).toEqual(ladder(120_000, 1e9))
    expect(nextN(1e9, 100, 0.9e6)).toBe(10_000) // 0.9 ms: Go's capped step
    expect(nextN(1e9, 100, 20e6)).toBe(6000) // 20 ms: Go's step is the final one, uncapped
    // -benchtime=100ms: a capped step from 1 ms lasts 100 ms, already the final run.
    expect(nextN(100e6, 100, 1e6)).toBe(10_000)
  })

  it('never scouts from the N=1 probe, however long it lasted: its one call is cold', () => {
    expect(nextN(1e9, 1, 5e6)).toBe(100)
    expect(nextN(1e9, 1, 0.1e6)).toBe(100)
  })

  it('a run that grew by less than the scout predicted scouts again, cheaply, then ends at the goal', () => {
    // A cold first 100 (1.3 ms) then 1.2 µs/op: two scouts, each well under Go's capped step.
    const steps = [1, 100]
    let last = { n: 100, ns: 1.3e6 }
    for (let n = nextN(1e9, last.n, last.ns); n !== undefined; n = nextN(1e9, last.n, last.ns)) {
      steps.push(n)
      last = { n, ns: n * 1200 }
    }
    expect(steps.slice(2, -1).every((n) => n * 1200 < 0.1e9)).toBe(true)
    expect(last.ns).toBeGreaterThanOrEqual(1e9)
  })

  it('still ends on a run of at least the goal, and 1e9 stays the cap', () => {
    for (const nsPerOp of [0.7, 3, 120, 9000, 48_000, 2e6]) {
      const steps = ourLadder(nsPerOp, 1e9)
      const final = steps.at(-1) as number
      expect(final * nsPerOp >= 1e9 || final === MAX_PREDICTED_ITERATIONS, `${nsPerOp} ns/op`).toBe(true)
      expect(timedNs(steps, nsPerOp), `${nsPerOp} ns/op`).toBeLessThanOrEqual(timedNs(ladder(nsPerOp, 1e9), nsPerOp))
    }
    expect(nextN(1e9, 1e8, 80e6)).toBe(MAX_PREDICTED_ITERATIONS)
  })
})

describe('nextN and climbLadder', () => {
  it('stop when the last run lasted the goal or reached the cap', () => {
    expect(nextN(1e9, 1000, 1e9)).toBeUndefined()
    expect(nextN(1e9, MAX_PREDICTED_ITERATIONS, 1e8)).toBeUndefined()
    expect(nextN(1e9, 1, 500)).toBe(100)
  })

  it('climbLadder runs each N until a run lasts the goal, and stops early when a run says so', async () => {
    const ran: number[] = []
    const last = await climbLadder(1e9, { n: 1, ns: 1700 }, async (n) => {
      ran.push(n)
      return { n, ns: n * 1700 }
    })
    expect(ran).toEqual(ourLadder(1700, 1e9).slice(1))
    expect(last).toEqual({ n: ran.at(-1), ns: (ran.at(-1) as number) * 1700 })
    const stopped = await climbLadder(1e9, { n: 1, ns: 1700 }, async (n) => (n > 100 ? undefined : { n, ns: n * 1700 }))
    expect(stopped).toBeUndefined()
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
