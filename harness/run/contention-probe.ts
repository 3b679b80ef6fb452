// How contended is this machine's memory hierarchy right now? A pointer chase over a working set
// that fits one core's L2 cache costs a few ns per load when the core is ours alone, and two to
// ten times that while something outside this process (an SMT sibling, another tenant of the
// host) evicts our lines. On this project's 2-vCPU cloud machine the chase read 6 ns/load in quiet
// spells and 17–60 ns/load in contended ones lasting seconds, whatever our own other vCPU ran,
// with no steal time; JSON.parse's speed followed it within one process (correlation 0.73).
import { medianOfSorted } from '../stats/quantile-ci.ts'

// The doctor records a probe before every run so noise can be told from regressions.

/** PROBE_WORKING_SET_BYTES fits a 512 KiB L2 with room for the rest of the process. */
export const PROBE_WORKING_SET_BYTES = 256 * 1024
// One load per 64-byte cache line, so every load touches a new line.
const LINE_INTS = 16
// Loads per timed slice: ~0.1–1 ms, long enough for the timer, short enough to take a median of.
const SLICE_LOADS = 20_000
/** DEFAULT_PROBE_MS is one probe's duration: long enough for a stable median, short beside a run. */
export const DEFAULT_PROBE_MS = 150
/** CONTENDED_RATIO: a probe slower than this multiple of the run's quietest probe is contended. */
export const CONTENDED_RATIO = 1.5

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
  do {
    const start = process.hrtime.bigint()
    chase(next, SLICE_LOADS)
    const end = process.hrtime.bigint()
    slices.push(Number(end - start) / SLICE_LOADS)
    if (end >= endNs) break
  } while (true)
  slices.sort((a, b) => a - b)
  return slices[Math.floor((slices.length - 1) / 2)] as number
}

/** ContentionSummary describes a series of probes taken over a run. */
export interface ContentionSummary {
  readonly probes: number
  /** The quietest probe: the machine's uncontended latency as far as this run saw it. */
  readonly quietNsPerLoad: number
  readonly medianNsPerLoad: number
  readonly p90NsPerLoad: number
  /** Share of probes slower than CONTENDED_RATIO × the quietest. */
  readonly contendedShare: number
}

/** summarizeContention summarises probe results (ns per load); it needs at least one. */
export function summarizeContention(nsPerLoad: readonly number[]): ContentionSummary {
  if (nsPerLoad.length === 0) throw new Error('summarizeContention: no probes')
  const sorted = [...nsPerLoad].sort((a, b) => a - b)
  const quiet = sorted[0] as number
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))] as number
  return {
    probes: sorted.length,
    quietNsPerLoad: quiet,
    medianNsPerLoad: medianOfSorted(sorted),
    p90NsPerLoad: at(0.9),
    contendedShare: sorted.filter((x) => x > CONTENDED_RATIO * quiet).length / sorted.length,
  }
}

/** describeContention is the one-line account of a summary that doctor and self print; `unit` names what each probe preceded. */
export function describeContention(s: ContentionSummary, unit: 'run' | 'process'): string {
  return `an L2-resident pointer chase before each ${unit} (${s.probes} probes) read ${s.quietNsPerLoad.toFixed(1)} ns/load at its quietest, median ${s.medianNsPerLoad.toFixed(1)}, p90 ${s.p90NsPerLoad.toFixed(1)}; ${(s.contendedShare * 100).toFixed(1)}% of ${unit === 'run' ? 'runs' : 'processes'} started contended (> ${CONTENDED_RATIO}× the quietest).`
}
