// The fixed V8 flags every measuring worker starts with; they are part of the environment
// fingerprint, so results taken with different flags are never silently compared.
import { totalmem } from 'node:os'

/** DEFAULT_WORKER_HEAP_MB bounds each worker's old space, so a runaway benchmark dies alone. */
export const DEFAULT_WORKER_HEAP_MB = Math.max(256, Math.min(4096, Math.floor(totalmem() / 2 ** 20 / 2)))

/**
 * workerExecArgv returns the worker's node flags:
 * --expose-gc: gc() before every run, as Go's runtime.GC() (and never mitata's 1 GiB fallback);
 * --no-allocation-site-pretenuring: without it V8 randomly pretenures allocation sites, a bimodal
 *   7× slowdown of allocating benchmarks (js-bench-libs.md §B; measured again in the report);
 * --sampling-heap-profiler-suppress-randomness: every allocation is a sample in the allocs/op pass;
 * --max-old-space-size: a bounded heap, so out-of-memory is detected per benchmark.
 */
export function workerExecArgv(heapMb: number = DEFAULT_WORKER_HEAP_MB): string[] {
  return [
    '--expose-gc',
    '--no-allocation-site-pretenuring',
    '--sampling-heap-profiler-suppress-randomness',
    `--max-old-space-size=${heapMb}`,
  ]
}
