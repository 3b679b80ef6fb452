// Summarising the contention probe's readings (harness/run/contention-probe.ts): how quiet the
// machine was at best, and how often a process or round started contended.
import { medianOfSorted } from '../../common/median.ts'

/** CONTENDED_RATIO: a probe slower than this multiple of the quietest probe is contended. */
export const CONTENDED_RATIO = 1.5

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
