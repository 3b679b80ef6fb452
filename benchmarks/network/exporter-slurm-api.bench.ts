// Latency of the slurmrestd endpoints the exporter reads, per endpoint and cluster size, through
// the exporter's own client (undici Pool, streaming list reader). The mock runs in its own
// process. p50/p95/p99 over the b.N requests of the sample.
import { type B, full, sink } from 'slurmbench'
import { SlurmClient } from '../../testbed/exporter/slurm-client.ts'
import { percentilesMs, rootAuth, sharedMockChild } from '../../testbed/rig/workloads.ts'

const LIST_ENDPOINTS = new Set(['nodes', 'jobs'])

export async function BenchmarkSlurmAPILatency(b: B) {
  const sizes = full() ? [100, 1_000, 10_000] : [100]
  const endpoints = full() ? ['ping', 'diag', 'partitions', 'shares', 'nodes', 'jobs'] : ['diag', 'jobs']
  for (const nodes of sizes) {
    for (const endpoint of endpoints) {
      await b.run(`nodes=${nodes}/endpoint=${endpoint}`, async (b) => {
        // Ten jobs per node, as the mock's presets have.
        const mock = await sharedMockChild({ nodes, jobs: nodes * 10 })
        const client = new SlurmClient({ url: mock.url, auth: rootAuth(), retries: 0, requestTimeoutMs: 300_000 })
        const signal = new AbortController().signal
        // As the exporter does at its first collection: find the newest version the mock serves.
        await client.resolveApiVersion(signal)
        const path = client.slurmPath(endpoint)
        const get = async (): Promise<void> => {
          if (LIST_ENDPOINTS.has(endpoint)) sink(await client.streamList(path, endpoint, signal, () => {}, sink))
          else sink(await client.getJson(path, signal))
        }
        await get() // warm the connection
        const durationsMs: number[] = []
        b.resetTimer()
        for (let i = 0; i < b.N; i++) {
          const startMs = performance.now()
          await get()
          durationsMs.push(performance.now() - startMs)
        }
        b.stopTimer()
        const p = percentilesMs(durationsMs)
        b.reportMetric(p.p50, 'p50-ms')
        b.reportMetric(p.p95, 'p95-ms')
        b.reportMetric(p.p99, 'p99-ms')
        await client.close()
      })
    }
  }
}
