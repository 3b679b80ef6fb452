// Off-heap (ArrayBuffer backing store) bytes per op. The GC profiler's external figures are
// unusable (backing stores are freed by concurrent sweeping, so sums go negative;
// docs/measurement.md), and V8's own external_memory counter is not either: once the allocating code is
// optimised, its delta over a window reads ~0 in about a third of the windows (Node 20, 100 ×
// Float64Array(1000): 8,000 or −0.08 B/op). Node's ArrayBuffer allocator counts every backing
// store it hands out (process.memoryUsage().arrayBuffers), and its delta over a window with no GC
// in it is exact: 8,000 B/op in every window. So this meter runs in a separate, untimed pass of
// small batches and keeps only the GC-free ones.
//
// A window with no GC can still see an earlier GC's frees: V8 frees dead backing stores on a
// background thread after the GC, and the thread may not have run yet when the window opens. After
// a single gc(), 15–19 of 300 windows of 131 × Float64Array(1000) read short (Node 20, idle and
// loaded alike); the whole test suite on 2 cores once read 5,466 instead of 8,000 ext-B/op, three
// short batches of five. A second GC first finishes the sweep of the one before, and its own sweep
// has nothing left to free: 0 of 300 short.
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
    this.externalAtBegin = process.memoryUsage().arrayBuffers
  }

  end(): void {
    const externalAtEnd = process.memoryUsage().arrayBuffers
    if (this.profiler.stop().statistics.length > 0) this.gcSeen = true
    this.bytes += externalAtEnd - this.externalAtBegin
  }

  reset(): void {
    this.bytes = 0
    this.gcSeen = false
  }

  /** settle runs a second full GC, which finishes the first one's backing-store sweep before the window. */
  settle(): void {
    if (typeof gc === 'function') gc()
  }

  /** cleanBytes returns the external bytes of the windows since the last reset, or undefined when a GC ran in one of them. */
  cleanBytes(): number | undefined {
    return this.gcSeen ? undefined : this.bytes
  }
}
