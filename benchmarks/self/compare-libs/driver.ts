// The protocol between `slurmbench self` and the library drivers beside this file. Each driver
// runs as its own Node process (bundled by `self` with esbuild, so no TypeScript loader is timed):
//   node <driver>.mjs <workload> [budget-ns]
// It measures one workload with the library's default settings (or with the given time budget,
// for quick smoke runs), prints one JSON line on stdout and exits.
import { isSelfWorkloadId, SELF_WORKLOAD_IDS, type SelfWorkloadId } from '../../fixtures/self-workloads.ts'

/** DriverArgs is what a driver was asked to measure. */
export interface DriverArgs {
  readonly workload: SelfWorkloadId
  /** Time budget in nanoseconds; undefined means the library's defaults. */
  readonly budgetNs: number | undefined
}

/** DriverReport is the JSON line a driver prints; `slurmbench self` validates it on read. */
export interface DriverReport {
  readonly tool: 'tinybench' | 'mitata'
  readonly workload: SelfWorkloadId
  /** The figure the library reports first: tinybench's latency mean, mitata's avg. */
  readonly centreNs: number
  /** The library's median (p50), for reference. */
  readonly medianNs: number
  /** How many samples the library took. */
  readonly samples: number
}

/** parseDriverArgs reads `<workload> [budget-ns]`; on bad input it prints why and exits 2. */
export function parseDriverArgs(argv: readonly string[]): DriverArgs {
  const [workload, budget] = argv
  if (workload === undefined || !isSelfWorkloadId(workload)) {
    process.stderr.write(`driver: expected a workload (${SELF_WORKLOAD_IDS.join(', ')}), found ${JSON.stringify(workload)}\n`)
    process.exit(2)
  }
  if (budget === undefined) return { workload, budgetNs: undefined }
  const budgetNs = Number(budget)
  if (!Number.isFinite(budgetNs) || budgetNs <= 0) {
    process.stderr.write(`driver: expected a budget in nanoseconds, found ${JSON.stringify(budget)}\n`)
    process.exit(2)
  }
  return { workload, budgetNs }
}

/** printReport writes the report as the driver's one line of output. */
export function printReport(report: DriverReport): void {
  process.stdout.write(`${JSON.stringify(report)}\n`)
}
