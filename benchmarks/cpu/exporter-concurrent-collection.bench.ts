// What concurrent scrapes cost the exporter: k scrapes at once share the collection in flight, so
// CPU per scrape should fall as k grows (one collection, k serializations served from one
// snapshot). The exporter runs in this process (its CPU time is what process.cpuUsage reports);
// the mock slurmrestd runs in its own, so its work is not counted.
import { type B, full } from 'slurmbench'
import { Pool } from 'undici'
import { type RunningExporter, startExporter } from '../../testbed/exporter/index.ts'
import { rootAuth, sharedMockChild } from '../../testbed/rig/workloads.ts'

export async function BenchmarkConcurrentCollection(b: B) {
  for (const scrapes of full() ? [1, 4, 16, 64] : [1, 16]) {
    await b.run(`scrapes=${scrapes}`, async (b) => {
      sharedExporter ??= startSharedExporter(b)
      const exporter = await sharedExporter
      const client = new Pool(exporter.url, { connections: scrapes })
      const scrape = async (): Promise<void> => {
        const response = await client.request({ path: '/metrics', method: 'GET' })
        await response.body.dump({ limit: Number.MAX_SAFE_INTEGER })
        if (response.statusCode !== 200) throw new Error(`scrape: HTTP ${response.statusCode}`)
      }
      await Promise.all(Array.from({ length: scrapes }, scrape)) // open the connections
      const collectionsBefore = exporter.collections()
      const cpuBefore = process.cpuUsage()
      b.resetTimer()
      for (let i = 0; i < b.N; i++) await Promise.all(Array.from({ length: scrapes }, scrape))
      b.stopTimer()
      const cpu = process.cpuUsage(cpuBefore)
      b.reportMetric((cpu.user + cpu.system) / 1_000 / (b.N * scrapes), 'cpu-ms/scrape')
      b.reportMetric((exporter.collections() - collectionsBefore) / b.N, 'collections/op')
      await client.close()
    })
  }
}

// The exporter starts on a sub-benchmark's first run in the process and serves its later runs
// (the ladder's, the memory passes); b.cleanup stops it after the last one.
let sharedExporter: Promise<RunningExporter> | undefined

async function startSharedExporter(b: B): Promise<RunningExporter> {
  const mock = await sharedMockChild({ nodes: 100, jobs: 1_000 })
  const exporter = await startExporter({ slurmUrl: mock.url, auth: rootAuth(), scrapeTimeoutMs: 120_000 })
  b.cleanup(async () => {
    sharedExporter = undefined
    await exporter.close()
  })
  return exporter
}
