// Off-heap (ArrayBuffer backing store) bytes per op. The GC profiler's external figures are
// unusable (backing stores are freed by concurrent sweeping, so sums go negative; js-bench-libs.md
// §C.2), but the delta of external_memory over a window with no GC in it is exact (8,000 B for a
// Float64Array(1000)). So this meter runs in a separate, untimed pass of small batches and keeps
// only the GC-free ones.
import { v8Module } from './v8-module.ts'
import type { WindowMeter } from './window-meter.ts'

/** ExternalBytesMeter accumulates external-memory deltas over windows and notes whether a GC hit any. */
export class ExternalBytesMeter implements WindowMeter {
  private readonly v8 = v8Module()
  private readonly profiler = new this.v8.GCProfiler()
  private externalAtBegin = 0
  private bytes = 0
  private gcSeen = false

  begin(): void {
    this.profiler.start()
    this.externalAtBegin = this.v8.getHeapStatistics().external_memory
  }

  end(): void {
    const externalAtEnd = this.v8.getHeapStatistics().external_memory
    if (this.profiler.stop().statistics.length > 0) this.gcSeen = true
    this.bytes += externalAtEnd - this.externalAtBegin
  }

  reset(): void {
    this.bytes = 0
    this.gcSeen = false
  }

  /** cleanBytes returns the external bytes of the windows since the last reset, or undefined when a GC ran in one of them. */
  cleanBytes(): number | undefined {
    return this.gcSeen ? undefined : this.bytes
  }
}
