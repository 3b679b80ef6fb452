// On-heap bytes allocated in the timed windows, from V8's GC profiler: the used-heap delta over a
// window plus, for every GC inside it, what that GC freed (before − after). Measured accurate to
// ~0.3% (0.01 B for a 56-byte object) in docs/measurement.md; it needs no flags and costs per GC,
// not per op, so it can wrap the timed run itself.
import { v8Module } from './v8-module.ts'
import { windowCost, type WindowMeter } from './window-meter.ts'

/** GcCounts are the GCs that happened inside the timed windows. */
export interface GcCounts {
  readonly count: number
  /** Sum of the GC pauses as V8 reports them (prologue to epilogue), in nanoseconds. */
  readonly pauseNs: number
}

/** HeapBytesMeter accumulates allocated heap bytes and GCs over timed windows. */
export class HeapBytesMeter implements WindowMeter {
  private readonly v8 = v8Module()
  private readonly profiler = new this.v8.GCProfiler()
  private usedAtBegin = 0
  private bytes = 0
  private gcCount = 0
  private gcPauseNs = 0
  /** Bytes one empty window allocates itself (the heap-statistics objects), subtracted per window. */
  private windowCostBytes = 0

  constructor() {
    this.windowCostBytes = windowCost(this, () => this.bytes)
    this.reset()
  }

  begin(): void {
    this.profiler.start()
    this.usedAtBegin = this.v8.getHeapStatistics().used_heap_size
  }

  end(): void {
    const usedAtEnd = this.v8.getHeapStatistics().used_heap_size
    const { statistics } = this.profiler.stop()
    let freed = 0
    for (const gc of statistics) {
      freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize
      this.gcPauseNs += gc.cost * 1e3 // V8 reports the cost in microseconds
    }
    this.gcCount += statistics.length
    this.bytes += usedAtEnd - this.usedAtBegin + freed - this.windowCostBytes
  }

  reset(): void {
    this.bytes = 0
    this.gcCount = 0
    this.gcPauseNs = 0
  }

  /** allocatedBytes is the heap bytes allocated in the windows since the last reset, never negative. */
  allocatedBytes(): number {
    return Math.max(0, this.bytes)
  }

  /** gcs returns the GCs inside the windows since the last reset. */
  gcs(): GcCounts {
    return { count: this.gcCount, pauseNs: this.gcPauseNs }
  }
}
