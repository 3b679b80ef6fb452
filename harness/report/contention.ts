// The one-line account of the machine's contention that doctor and self print.
import { CONTENDED_RATIO, type ContentionSummary } from '../stats/contention.ts'

/** describeContention is the one-line account of a summary that doctor and self print; `unit` names what each probe preceded. */
export function describeContention(s: ContentionSummary, unit: 'run' | 'process'): string {
  return `an L2-resident pointer chase before each ${unit} (${s.probes} probes) read ${s.quietNsPerLoad.toFixed(1)} ns/load at its quietest, median ${s.medianNsPerLoad.toFixed(1)}, p90 ${s.p90NsPerLoad.toFixed(1)}; ${(s.contendedShare * 100).toFixed(1)}% of ${unit === 'run' ? 'runs' : 'processes'} started contended (> ${CONTENDED_RATIO}× the quietest).`
}
