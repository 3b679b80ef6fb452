import { describe, expect, it } from 'vitest'
import { gcSecondsOf } from '../../../harness/load/target-gc.ts'

describe('gcSecondsOf', () => {
  it("sums prom-client's GC histogram sums over their kinds", () => {
    const text = [
      '# HELP nodejs_gc_duration_seconds Garbage collection duration by kind.',
      '# TYPE nodejs_gc_duration_seconds histogram',
      'nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} 10',
      'nodejs_gc_duration_seconds_sum{kind="minor"} 0.25',
      'nodejs_gc_duration_seconds_count{kind="minor"} 12',
      'nodejs_gc_duration_seconds_sum{kind="major"} 1.5',
      'nodejs_gc_duration_seconds_sum_other 99',
    ].join('\n')
    expect(gcSecondsOf(text)).toBeCloseTo(1.75, 12)
  })

  it("reads Go's summary sum, and says nothing when there is no GC metric", () => {
    expect(gcSecondsOf('go_gc_duration_seconds{quantile="0.5"} 0.0001\ngo_gc_duration_seconds_sum 0.125\ngo_gc_duration_seconds_count 40\n')).toBe(0.125)
    expect(gcSecondsOf('slurm_nodes 4\nprocess_cpu_seconds_total 3\n')).toBeUndefined()
    expect(gcSecondsOf('# TYPE nodejs_gc_duration_seconds histogram\nslurm_nodes 4\n')).toBe(0)
  })
})
