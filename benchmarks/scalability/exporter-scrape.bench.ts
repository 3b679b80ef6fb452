// Full scrape time, the exporter's CPU per scrape, and its memory against cluster size: a Prometheus-like client scrapes an
// exporter (own process) that reads a mock slurmrestd (own process). Sweeps nodes at 1,000 jobs
// and jobs at 100 nodes; p50/p95/p99 over the sample's scrapes, and the exporter's peak RSS.
import { type B, full } from 'slurmbench'
import { scrapeSweep } from '../../testbed/rig/workloads.ts'

export async function BenchmarkScrapeNodes(b: B) {
  for (const nodes of full() ? [100, 1_000, 10_000, 50_000] : [1_000]) {
    await b.run(`nodes=${nodes}`, (b) => scrapeSweep(b, { nodes, jobs: 1_000 }))
  }
}

export async function BenchmarkScrapeJobs(b: B) {
  for (const jobs of full() ? [1_000, 10_000, 100_000, 500_000] : [1_000]) {
    await b.run(`jobs=${jobs}`, (b) => scrapeSweep(b, { nodes: 100, jobs }))
  }
}
