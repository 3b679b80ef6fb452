// Concurrent requests to slurmrestd: 1 to 256 in flight through one undici Pool with as many
// connections. ns/op is wall time per request; p95 is the latency each request saw.
import { type B, full } from 'slurmbench'
import { Pool } from 'undici'
import { percentilesMs, rootAuth, sharedMockChild } from '../../testbed/rig/workloads.ts'

export async function BenchmarkConcurrentRequests(b: B) {
  for (const inFlight of full() ? [1, 4, 16, 64, 256] : [1, 64]) {
    await b.run(`in-flight=${inFlight}`, async (b) => {
      const mock = await sharedMockChild({ nodes: 100, jobs: 1_000 })
      const auth = rootAuth()
      const headers = { 'x-slurm-user-name': auth.user, 'x-slurm-user-token': auth.token }
      const pool = new Pool(mock.url, { connections: inFlight })
      const durationsMs: number[] = []
      b.setParallelism(inFlight)
      b.resetTimer()
      await b.runParallel(async (pb) => {
        while (pb.next()) {
          const startMs = performance.now()
          const response = await pool.request({ path: '/slurm/v0.0.44/partitions', method: 'GET', headers })
          await response.body.dump({ limit: Number.MAX_SAFE_INTEGER })
          durationsMs.push(performance.now() - startMs)
        }
      })
      b.stopTimer()
      b.reportMetric(percentilesMs(durationsMs).p95, 'p95-ms')
      await pool.close()
    })
  }
}
