// tinybench driver for `slurmbench self`: one workload, `new Bench()` + `run()` with tinybench's
// defaults, as a user would write it. With a budget, the budget replaces tinybench's `time` and
// `warmupTime` (1,000 ms and 250 ms by default).
import { Bench } from 'tinybench'
import { SELF_WORKLOADS } from '../../fixtures/self-workloads.ts'
import { parseDriverArgs, printReport } from './driver.ts'

const NS_PER_MS = 1e6

const { workload, budgetNs } = parseDriverArgs(process.argv.slice(2))
const bench = budgetNs === undefined ? new Bench() : new Bench({ time: budgetNs / NS_PER_MS, warmupTime: budgetNs / NS_PER_MS })
bench.add(workload, SELF_WORKLOADS[workload])
await bench.run()
const result = bench.tasks[0]?.result
if (result === undefined || result.error !== undefined) {
  process.stderr.write(`tinybench: ${workload} failed: ${result?.error?.message ?? 'no result'}\n`)
  process.exit(1)
}
printReport({
  tool: 'tinybench',
  workload,
  centreNs: result.latency.mean * NS_PER_MS,
  medianNs: (result.latency.p50 ?? Number.NaN) * NS_PER_MS,
  samples: result.latency.samples.length,
})
