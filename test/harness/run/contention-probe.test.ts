// The machine-contention probe and the rank correlation the doctor reports with it.
import { describe, expect, it } from 'vitest'
import { probeLoadNs } from '../../../harness/run/contention-probe.ts'
import { CONTENDED_RATIO, summarizeContention } from '../../../harness/stats/contention.ts'
import { spearman } from '../../../harness/stats/rank-correlation.ts'

describe('contention probe', () => {
  it('measures a plausible latency per dependent load', () => {
    const ns = probeLoadNs(20)
    // From an L1 hit (~1 ns) to a DRAM miss on a loaded host (~150 ns): anything else is a broken timer.
    expect(ns).toBeGreaterThan(0.3)
    expect(ns).toBeLessThan(500)
  })

  it('summarises probes: quietest, median, p90 and the share contended', () => {
    const s = summarizeContention([6, 7, 6.5, 20, 30, 8, 9.5, 6.2, 40, 12])
    expect(s.probes).toBe(10)
    expect(s.quietNsPerLoad).toBe(6)
    expect(s.medianNsPerLoad).toBe(8.75)
    expect(s.p90NsPerLoad).toBe(30)
    // > 1.5 × 6 = 9: 9.5, 12, 20, 30, 40.
    expect(CONTENDED_RATIO).toBe(1.5)
    expect(s.contendedShare).toBe(0.5)
    expect(() => summarizeContention([])).toThrow('no probes')
  })
})

describe('spearman', () => {
  it('is 1 for any increasing relation, -1 for a decreasing one, and handles ties', () => {
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 10000])).toBeCloseTo(1, 12)
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12)
    // Ranks x: 1, 2.5, 2.5, 4; y: 1, 2, 3, 4 → r = 4.5 / sqrt(4.5 × 5).
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12)
  })

  it('is undefined with fewer than 3 pairs or no spread, and rejects unequal lengths', () => {
    expect(spearman([1, 2], [1, 2])).toBeUndefined()
    expect(spearman([5, 5, 5], [1, 2, 3])).toBeUndefined()
    expect(() => spearman([1, 2, 3], [1, 2])).toThrow('3 and 2')
  })
})
