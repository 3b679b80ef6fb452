// mitata driver for `slurmbench self`: one workload, `bench()` + `run()` with mitata's defaults,
// the result wrapped in `do_not_optimize` as mitata's README recommends. With a budget, it calls
// mitata's `measure()` directly with `min_cpu_time` = budget, which skips the ~3 s of empty-function
// calibration that `run()` performs first (see docs/measurement.md); that is for smoke runs only.
import { bench, do_not_optimize, measure, run } from 'mitata'
import { SELF_WORKLOADS } from '../../fixtures/self-workloads.ts'
import { parseDriverArgs, printReport } from './driver.ts'

const { workload, budgetNs } = parseDriverArgs(process.argv.slice(2))
const body = SELF_WORKLOADS[workload]
const timed = () => do_not_optimize(body())

async function measureDefault() {
  bench(workload, timed)
  const { benchmarks } = await run({ format: 'quiet', throw: true })
  return benchmarks[0]?.runs[0]?.stats
}

const stats = budgetNs === undefined ? await measureDefault() : await measure(timed, { min_cpu_time: budgetNs })
if (stats === undefined) {
  process.stderr.write(`mitata: ${workload} produced no result\n`)
  process.exit(1)
}
printReport({ tool: 'mitata', workload, centreNs: stats.avg, medianNs: stats.p50, samples: stats.samples.length })
