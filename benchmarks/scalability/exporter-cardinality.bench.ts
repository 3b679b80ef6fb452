// Series count against users and jobs: per-user families grow with users × states, per-job
// series (the high-cardinality case) with jobs; ~6 series per job reach 1M near 170,000 jobs.
import { type B, full } from 'slurmbench'
import { scrapeSweep } from '../../testbed/rig/workloads.ts'

export async function BenchmarkSeriesByUsers(b: B) {
  for (const users of full() ? [100, 1_000, 5_000] : [1_000]) {
    await b.run(`users=${users}`, (b) => scrapeSweep(b, { nodes: 100, jobs: 2_000, users }))
  }
}

export async function BenchmarkSeriesByJobs(b: B) {
  for (const jobs of full() ? [2_000, 20_000, 170_000] : [2_000]) {
    await b.run(`jobs=${jobs}/per-job=true`, (b) => scrapeSweep(b, { nodes: 100, jobs }, { perJobSeries: true, maxSeriesPerFamily: 0 }))
  }
}
