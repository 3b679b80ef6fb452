// The fixed V8 flags every measuring worker starts with; they are part of the environment
// fingerprint, so results taken with different flags are never silently compared.
import { totalmem } from 'node:os'

/** DEFAULT_WORKER_HEAP_MB bounds each worker's old space, so a runaway benchmark dies alone. */
export const DEFAULT_WORKER_HEAP_MB = Math.max(256, Math.min(4096, Math.floor(totalmem() / 2 ** 20 / 2)))

/** SEMI_SPACE_MB is the young generation's semi-space size in MB: V8's starting size on 64-bit. */
const SEMI_SPACE_MB = 1

/**
 * workerExecArgv returns the worker's node flags:
 * --expose-gc: gc() before every run, as Go's runtime.GC() (and never mitata's 1 GiB fallback);
 * --no-allocation-site-pretenuring: without it V8 randomly pretenures allocation sites, a bimodal
 *   7× slowdown of allocating benchmarks (docs/measurement.md);
 * --sampling-heap-profiler-suppress-randomness: every allocation is a sample in the allocs/op pass;
 * --max-old-space-size: a bounded heap, so out-of-memory is detected per benchmark;
 * --min-/--max-semi-space-size: the young generation pinned at V8's starting size, 1 MB. V8 grows
 *   it by survival heuristics, so scavenges per op depended on how far it had grown when the
 *   reported run began: 100 small objects, 4 processes each, 0.00118–0.00236 scavenges per op
 *   (2× between processes) growing, 0.004736–0.004739 pinned at 1 MB. JSON.parse of 10 KB never
 *   grew (0.0094/op in every process). Pinned at V8's 16 MB maximum instead, the counts were as
 *   steady, but the allocation loop's best CPU time per op rose from 722–746 ns (default, 1 MB,
 *   4 MB) to 1,014 ns: a 16 MB nursery streams through the caches;
 * --no-concurrent-recompilation: TurboFan compiles on the main thread when a function gets hot, so
 *   optimized code arrives at the same point of every process's run instead of whenever the
 *   compiler thread gets a core (a concurrent job completed inside the reported run in 1 of 3
 *   processes of the 100-objects benchmark). --single-threaded (GC on the main thread too) was
 *   tried and dropped: 10–20 % slower JSON.parse and allocation medians in A/B runs of the CLI;
 * --no-turboshaft-loop-unrolling (V8 12.4+, where the flag exists; on by default from V8 13, Node 24):
 *   unrolling a `b.N` loop 4× lets allocation folding merge four iterations' objects into one
 *   allocation, so allocs/op read 0.253 instead of 1.004 for a one-object body whenever the
 *   allocation pass ran in TurboFan code (Node 24.21, test/harness/memory.test.ts).
 */
export function workerExecArgv(heapMb: number = DEFAULT_WORKER_HEAP_MB): string[] {
  return [
    '--expose-gc',
    '--no-allocation-site-pretenuring',
    '--sampling-heap-profiler-suppress-randomness',
    `--max-old-space-size=${heapMb}`,
    `--min-semi-space-size=${SEMI_SPACE_MB}`,
    `--max-semi-space-size=${SEMI_SPACE_MB}`,
    '--no-concurrent-recompilation',
    ...(v8AtLeast(12, 4) ? ['--no-turboshaft-loop-unrolling'] : []),
  ]
}

/** v8AtLeast reports whether this process's V8 is version major.minor or newer (Node 20 is 11.3, 22 is 12.4, 24 is 13.6). */
function v8AtLeast(major: number, minor: number): boolean {
  const [ownMajor = 0, ownMinor = 0] = process.versions.v8.split('.').map(Number)
  return ownMajor > major || (ownMajor === major && ownMinor >= minor)
}
