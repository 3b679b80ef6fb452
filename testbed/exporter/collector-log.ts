// The stderr line the exporter's CLI and the benchmarks' child exporters write for a failed
// collector, and its reader: a benchmark that sees a collector fail quotes why. Kept apart from
// index.ts so a benchmark process can read the log without loading the exporter.

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
