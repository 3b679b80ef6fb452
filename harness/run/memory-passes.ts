// The untimed memory passes that follow a leaf's timed run under -benchmem or reportAllocs: a
// warm heap pass (B/op), GC-free batches for off-heap bytes (ext-B/op) and a sampling-profiler
// pass (allocs/op). Each runs the benchmark function again at a fixed N.
import type { BenchB } from './b.ts'
import { AllocCountMeter } from './measure/alloc-count.ts'
import { ExternalBytesMeter } from './measure/external-bytes.ts'
import type { GcCounts, HeapBytesMeter } from './measure/heap-bytes.ts'
import type { MemoryFigures } from './metrics.ts'

// External-bytes pass: batches small enough that no GC lands in them (a scavenge needs most of
// the 1 MB young generation after the gc() that precedes every run), several so one GC can be
// dropped. 1 MB of backing stores per batch, not 8: with 8 MB a Float64Array(1000) read
// 3,114–5,901 ext-B/op in 4 of 6 runs (frees landing inside the window), with 1 MB 8,000 in 6 of 6.
const EXTERNAL_BATCH_HEAP_BYTES = 256 * 1024
const EXTERNAL_BATCH_EXTERNAL_BYTES = 1024 * 1024
const EXTERNAL_BATCHES = 5
const EXTERNAL_MAJORITY = Math.floor(EXTERNAL_BATCHES / 2) + 1
// An op that brings a GC of its own (it awaits I/O, or allocates past the young generation) makes
// every window unusable: in a run of the default set (2026-12-07) 30 of 68 benchmarks saw a GC in
// all six windows, and no other saw one in its first three. The pass gives up after three.
const EXTERNAL_GC_ONLY_WINDOWS = 3
// Heap-bytes pass: enough warm ops that one-off allocations vanish in the average (32 MB
// allocated: 0.5 MB of stray allocations would be 1.5%), within a quarter second.
const HEAP_PASS_BYTES = 32 * 1024 * 1024
const HEAP_PASS_BUDGET_NS = 250e6
const HEAP_PASS_MAX_OPS = 10_000_000
const HEAP_PASS_GUESS_BYTES_PER_OP = 64
// Allocation pass: the sampling profiler costs ~2 µs per allocation and slows code 2–70×
// (docs/measurement.md), so it runs about 10³ ops, fewer for big or slow ops.
const ALLOC_PASS_MAX_OPS = 1000
const ALLOC_PASS_HEAP_BYTES = 4 * 1024 * 1024
const ALLOC_PASS_BUDGET_NS = 200e6
const ALLOC_PASS_SLOWDOWN = 20

/** TimedHeap is what the heap meter saw over the reported run. */
export interface TimedHeap {
  readonly bytesPerOp: number
  readonly gcs: GcCounts
}

/**
 * runMemoryPasses measures b's memory per op after its timed run of `iterations` in `durationNs`;
 * `timed` is the reported run's heap figures when it was metered (its GC counts are then used).
 * A failure during a pass is left on b; warnings go to `warn`.
 */
export async function runMemoryPasses(
  b: BenchB,
  heapMeter: HeapBytesMeter,
  iterations: number,
  durationNs: number,
  timed: TimedHeap | undefined,
  warn: (message: string) => void,
): Promise<MemoryFigures> {
  const nsPerOp = Math.max(1, durationNs / iterations)
  // B/op from a warm pass: the timed ladder's first runs also hold V8's own allocations for
  // compiling the benchmark (~0.5 MB, +27 B/op for a 56-byte object at N=20,000), which Go has not.
  const heapIterations = Math.max(
    1,
    Math.min(
      HEAP_PASS_MAX_OPS,
      Math.floor(HEAP_PASS_BYTES / Math.max(1, timed?.bytesPerOp ?? HEAP_PASS_GUESS_BYTES_PER_OP)),
      Math.floor(HEAP_PASS_BUDGET_NS / nsPerOp),
    ),
  )
  b.meter = heapMeter
  await fixedRun(b, heapIterations)
  const heapBytesPerOp = heapMeter.allocatedBytes() / heapIterations
  const gcs = timed?.gcs ?? heapMeter.gcs()
  const gcIterations = timed === undefined ? heapIterations : iterations
  const externalBytesPerOp = await externalPass(b, iterations, Math.max(1, heapBytesPerOp), warn)
  const allocIterations = Math.max(
    1,
    Math.min(
      iterations,
      ALLOC_PASS_MAX_OPS,
      Math.floor(ALLOC_PASS_HEAP_BYTES / Math.max(1, heapBytesPerOp)),
      Math.floor(ALLOC_PASS_BUDGET_NS / (ALLOC_PASS_SLOWDOWN * nsPerOp)),
    ),
  )
  const allocMeter = new AllocCountMeter()
  b.meter = allocMeter
  await fixedRun(b, allocIterations)
  const allocsPerOp = allocMeter.allocations() / allocIterations
  allocMeter.close()
  return { heapBytesPerOp, allocsPerOp, externalBytesPerOp, gcsPerOp: gcs.count / gcIterations, gcPauseNsPerOp: gcs.pauseNs / gcIterations }
}

async function externalPass(b: BenchB, iterations: number, heapBytesPerOp: number, warn: (message: string) => void): Promise<number | undefined> {
  const meter = new ExternalBytesMeter()
  b.meter = meter
  await fixedRun(b, 1)
  const firstBytes = meter.cleanBytes()
  const externalPerOpGuess = Math.max(1, firstBytes ?? 0)
  const batch = Math.max(
    1,
    Math.min(iterations, Math.floor(EXTERNAL_BATCH_HEAP_BYTES / heapBytesPerOp), Math.floor(EXTERNAL_BATCH_EXTERNAL_BYTES / externalPerOpGuess)),
  )
  const perOp: number[] = []
  let sawExternal = firstBytes !== undefined && firstBytes !== 0
  // Windows of one op in a row, from the first, that each saw a GC: the op brings one of its own.
  let gcOnly = firstBytes === undefined ? 1 : 0
  for (let i = 0; i < EXTERNAL_BATCHES && !b.finished; i++) {
    await fixedRun(b, batch)
    const bytes = meter.cleanBytes()
    if (bytes === undefined) {
      if (batch === 1 && gcOnly > 0 && ++gcOnly >= EXTERNAL_GC_ONLY_WINDOWS) break
      continue
    }
    gcOnly = 0
    if (bytes !== 0) sawExternal = true
    const value = bytes / batch
    perOp.push(value)
    // A value read by a majority of the batches is the median whatever the others read (0 when
    // the code makes no backing stores): each batch left costs two full GCs, ~0.3 s on a heap
    // of hundreds of MB.
    if (perOp.filter((v) => v === value).length >= EXTERNAL_MAJORITY) break
  }
  if (perOp.length === 0) {
    if (sawExternal) warn(`${b.name}: ext-B/op not measured: a GC ran in every batch of the external-memory pass`)
    return undefined
  }
  perOp.sort((x, y) => x - y)
  return Math.max(0, perOp[Math.floor(perOp.length / 2)] as number)
}

/** fixedRun runs exactly n iterations (b.N or loop()) for a memory pass. */
async function fixedRun(b: BenchB, n: number): Promise<void> {
  b.loopFixedIterations = n
  await b.runN(n)
}
