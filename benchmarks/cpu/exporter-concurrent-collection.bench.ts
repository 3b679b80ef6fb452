// What concurrent scrapes cost the exporter: k scrapes at once against one exporter share a
// single collection, so the cost per round should grow far slower than k. slurmrestd is served
// from memory (undici MockAgent with captured mock answers) so only the exporter's work counts.
import { type B, full } from 'slurmbench'
import { MockAgent, Pool } from 'undici'
import { startExporter } from '../../testbed/exporter/index.ts'
import { captureAnswers } from '../../testbed/exporter/workloads.ts'

const ENDPOINTS = ['nodes', 'jobs', 'partitions', 'diag', 'shares', 'licenses', 'reservations']
const ORIGIN = 'http://slurmrestd.bench:6820'

export async function BenchmarkConcurrentCollection(b: B) {
  for (const scrapes of full() ? [1, 4, 16, 64] : [1, 16, 64]) {
    await b.run(`scrapes=${scrapes}`, async (b) => {
      const answers = await captureAnswers({ nodes: 500, jobs: 2_000 }, ENDPOINTS)
      const agent = new MockAgent()
      agent.disableNetConnect()
      for (const endpoint of ENDPOINTS) {
        agent
          .get(ORIGIN)
          .intercept({ path: `/slurm/v0.0.44/${endpoint}`, method: 'GET' })
          .reply(200, answers[endpoint] as Buffer, { headers: { 'content-type': 'application/json' } })
          .persist()
      }
      const exporter = await startExporter({ slurmUrl: ORIGIN, dispatcher: agent, scrapeTimeoutMs: 120_000 })
      const client = new Pool(exporter.url, { connections: scrapes })
      const scrape = async (): Promise<void> => {
        const response = await client.request({ path: '/metrics', method: 'GET' })
        await response.body.dump({ limit: Number.MAX_SAFE_INTEGER })
        if (response.statusCode !== 200) throw new Error(`scrape: HTTP ${response.statusCode}`)
      }
      const collectionsBefore = exporter.collections()
      b.resetTimer()
      for (let i = 0; i < b.N; i++) await Promise.all(Array.from({ length: scrapes }, scrape))
      b.stopTimer()
      b.reportMetric(b.elapsed() / (b.N * scrapes), 'ns/scrape')
      b.reportMetric((exporter.collections() - collectionsBefore) / b.N, 'collections/op')
      await client.close()
      await exporter.close()
      await agent.close()
    })
  }
}
