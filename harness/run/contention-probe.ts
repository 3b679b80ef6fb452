// How contended is this machine's memory hierarchy right now? A pointer chase over a working set
// that fits one core's L2 cache costs a few ns per load when the core is ours alone, and two to
// ten times that while something outside this process (an SMT sibling, another tenant of the
// host) evicts our lines. On this project's 2-vCPU cloud machine the chase read 6 ns/load in quiet
// spells and 17–60 ns/load in contended ones lasting seconds, whatever our own other vCPU ran,
// with no steal time; JSON.parse's speed followed it within one process (correlation 0.73).

// The doctor records a probe before every run so noise can be told from regressions.

/** PROBE_WORKING_SET_BYTES fits a 512 KiB L2 with room for the rest of the process. */
export const PROBE_WORKING_SET_BYTES = 256 * 1024
// One load per 64-byte cache line, so every load touches a new line.
const LINE_INTS = 16
// Loads per timed slice: ~0.1–1 ms, long enough for the timer, short enough to take a median of.
const SLICE_LOADS = 20_000
/** DEFAULT_PROBE_MS is one probe's duration: long enough for a stable median, short beside a run. */
export const DEFAULT_PROBE_MS = 150

let chain: Int32Array | undefined
let sinkIndex = 0

// A random cyclic permutation of the cache lines (seeded, so every probe walks the same cycle):
// random order defeats the hardware prefetcher, so each load waits for the previous one.
function probeChain(): Int32Array {
  if (chain !== undefined) return chain
  const ints = PROBE_WORKING_SET_BYTES / 4
  const lines = ints / LINE_INTS
  const order = Array.from({ length: lines }, (_, i) => i * LINE_INTS)
  let seed = 0x2545f491
  for (let i = lines - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    const j = seed % (i + 1)
    const t = order[i] as number
    order[i] = order[j] as number
    order[j] = t
  }
  const next = new Int32Array(ints)
  for (let i = 0; i < lines; i++) next[order[i] as number] = order[(i + 1) % lines] as number
  chain = next
  return next
}

function chase(next: Int32Array, loads: number): void {
  let p = sinkIndex
  for (let i = 0; i < loads; i++) p = next[p] as number
  sinkIndex = p
}

/**
 * probeLoadNs measures the median ns per dependent load of the L2-resident chase over `durationMs`
 * (slices of SLICE_LOADS loads). It blocks the event loop for that long.
 */
export function probeLoadNs(durationMs: number = DEFAULT_PROBE_MS): number {
  const next = probeChain()
  chase(next, SLICE_LOADS) // warm the lines and the compiled loop
  const slices: number[] = []
  const endNs = process.hrtime.bigint() + BigInt(Math.round(durationMs * 1e6))
  let end = 0n
  do {
    const start = process.hrtime.bigint()
    chase(next, SLICE_LOADS)
    end = process.hrtime.bigint()
    slices.push(Number(end - start) / SLICE_LOADS)
  } while (end < endNs)
  slices.sort((a, b) => a - b)
  return slices[Math.floor((slices.length - 1) / 2)] as number
}
