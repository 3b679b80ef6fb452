// The stderr line the exporter's CLI and the benchmarks' child exporters write for a failed
// collector, and its reader: a benchmark that sees a collector fail quotes why. Kept apart from
// index.ts so a benchmark process can read the log without loading the exporter. A collector's
// failure is logged when it starts or changes, not at every run (see CollectorHealth).

import type { CollectorRecovery } from './collector-health.ts'

function failurePrefix(collector: string): string {
  return `exporter: collector ${collector} failed: `
}

/** logCollectorFailure writes one line naming `collector` and why it failed to stderr. */
export function logCollectorFailure(collector: string, error: Error): void {
  process.stderr.write(`${failurePrefix(collector)}${error.message}\n`)
}

/** lastCollectorFailure returns the message of the last failure of `collector` in `log`, if any. */
export function lastCollectorFailure(log: string, collector: string): string | undefined {
  const prefix = failurePrefix(collector)
  return log
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .at(-1)
    ?.slice(prefix.length)
}

/** logCollectorRecovery writes one line when a failing collector succeeds again. */
export function logCollectorRecovery(recovery: CollectorRecovery): void {
  process.stderr.write(
    `exporter: collector ${recovery.collector} recovered after ${recovery.failures} failed run${recovery.failures === 1 ? '' : 's'} (${(recovery.failingMs / 1000).toFixed(1)} s)\n`,
  )
}

/** logSlurmWarning writes one line per distinct warning slurmrestd sent (the counter slurm_exporter_slurmrestd_warnings_total counts every one). */
export function logSlurmWarning(path: string, warning: string): void {
  process.stderr.write(`exporter: slurmrestd warning on GET ${path}: ${warning} (logged once)\n`)
}
