import { constants } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { GcMetrics } from '../../../testbed/exporter/gc-metrics.ts'
import { gcSecondsOf } from '../../../harness/load/target-gc.ts'

describe('GcMetrics', () => {
  it('keeps cumulative buckets, sum and count per kind, as prom-client does', () => {
    const gc = new GcMetrics()
    gc.record(constants.NODE_PERFORMANCE_GC_MINOR, 0.0005)
    gc.record(constants.NODE_PERFORMANCE_GC_MINOR, 0.02)
    gc.record(constants.NODE_PERFORMANCE_GC_MAJOR, 1.5)
    const family = gc.family()
    expect(family.name).toBe('nodejs_gc_duration_seconds')
    expect(family.series).toEqual([
      { labelValues: ['major'], bucketCounts: [0, 0, 0, 0, 1, 1, 1], sum: 1.5, count: 1 },
      { labelValues: ['minor'], bucketCounts: [1, 1, 2, 2, 2, 2, 2], sum: 0.0205, count: 2 },
    ])
  })

  it('is read back by the load tester as the GC seconds of the target', () => {
    const text = 'nodejs_gc_duration_seconds_sum{kind="major"} 1.5\nnodejs_gc_duration_seconds_sum{kind="minor"} 0.0205\n'
    expect(gcSecondsOf(text)).toBeCloseTo(1.5205, 12)
  })
})
