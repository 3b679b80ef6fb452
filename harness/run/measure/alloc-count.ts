// Allocation events counted by V8's sampling heap profiler at a 1-byte interval with randomness
// suppressed (worker flag --sampling-heap-profiler-suppress-randomness): every allocation becomes
// a sample, so the count is exact (1.00, 2, 100, 245 in docs/measurement.md). TurboFan's
// allocation folding merges adjacent allocations, which makes the figure close to Go's
// mallocs/op. It slows code 2–70×, so it runs in its own untimed pass.
import type { Session } from 'node:inspector'
import { createRequire } from 'node:module'
import { windowCost, type WindowMeter } from './window-meter.ts'

/** SAMPLING_INTERVAL_BYTES of 1 samples every allocation. */
const SAMPLING_INTERVAL_BYTES = 1

interface SamplingProfile {
  readonly samples: readonly unknown[]
}

/** AllocCountMeter counts allocations in timed windows through an in-process inspector session. */
export class AllocCountMeter implements WindowMeter {
  // Required here, not imported: node:inspector loads worker_threads and more, ~20 ms of every
  // worker's start-up, and only the allocs/op pass uses it.
  private readonly session: Session = new (createRequire(import.meta.url)('node:inspector') as typeof import('node:inspector')).Session()
  private count = 0
  /** Allocations one empty window makes itself (the inspector messages), subtracted per window. */
  private windowCostAllocs = 0

  constructor() {
    this.session.connect()
    // In-process sessions dispatch synchronously, so the callbacks have run when post returns.
    this.session.post('HeapProfiler.enable')
    this.windowCostAllocs = windowCost(this, () => this.count)
    this.reset()
  }

  begin(): void {
    this.session.post('HeapProfiler.startSampling', {
      samplingInterval: SAMPLING_INTERVAL_BYTES,
      includeObjectsCollectedByMinorGC: true,
      includeObjectsCollectedByMajorGC: true,
    } as never)
  }

  end(): void {
    let samples = 0
    this.session.post('HeapProfiler.stopSampling', (err, result) => {
      if (err !== null) throw err
      samples = (result.profile as unknown as SamplingProfile).samples.length
    })
    this.count += samples - this.windowCostAllocs
  }

  reset(): void {
    this.count = 0
  }

  /** allocations returns the allocation events counted since the last reset, never negative. */
  allocations(): number {
    return Math.max(0, this.count)
  }

  /** close ends the inspector session. */
  close(): void {
    this.session.disconnect()
  }
}
