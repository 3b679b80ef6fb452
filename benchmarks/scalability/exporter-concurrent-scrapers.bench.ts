// Concurrent scrapers on one exporter (1 to 64): they share the collection in flight, so latency
// should stay near one scrape's and memory near one collection's. The exporter and the mock run
// in their own processes; ns/op is wall time per scrape.
import { type B, full } from 'slurmbench'
import { percentilesMs, sharedScrapeRig } from '../../testbed/rig/workloads.ts'

export async function BenchmarkConcurrentScrapers(b: B) {
  for (const scrapers of full() ? [1, 2, 4, 8, 16, 32, 64] : [16]) {
    await b.run(`scrapers=${scrapers}`, async (b) => {
      // One rig per worker for the probe and the measured runs (it ends with the worker).
      const rig = await sharedScrapeRig({ nodes: 100, jobs: 1_000 }, {}, scrapers)
      await rig.scrape()
      rig.exporter.resetPeakRss()
      const durationsMs: number[] = []
      b.setParallelism(scrapers)
      b.resetTimer()
      await b.runParallel(async (pb) => {
        while (pb.next()) durationsMs.push((await rig.scrape()).durationMs)
      })
      b.stopTimer()
      const p = percentilesMs(durationsMs)
      b.reportMetric(p.p50, 'p50-ms')
      b.reportMetric(p.p95, 'p95-ms')
      const peak = rig.exporter.peakRssBytes()
      if (peak !== undefined) b.reportMetric(peak / 2 ** 20, 'peak-rss-MiB')
    })
  }
}
