// Connection reuse: the exporter's undici Pool (keep-alive) against global fetch (undici's shared
// agent behind it) and a new connection per request (a fresh undici Client closed after each).
import type { B } from 'slurmbench'
import { Client, Pool } from 'undici'
import { rootAuth, sharedMockChild } from '../../testbed/rig/workloads.ts'

const PATH = '/slurm/v0.0.44/partitions'

export async function BenchmarkConnectionPooling(b: B) {
  const clients: [string, (url: string, headers: Record<string, string>) => { get: () => Promise<void>; close: () => Promise<void> }][] = [
    [
      'undici-pool',
      (url, headers) => {
        const pool = new Pool(url, { connections: 1 })
        return {
          get: async () => {
            const response = await pool.request({ path: PATH, method: 'GET', headers })
            await response.body.dump({ limit: Number.MAX_SAFE_INTEGER })
          },
          close: () => pool.close(),
        }
      },
    ],
    [
      'fetch',
      (url, headers) => ({
        get: async () => {
          const response = await fetch(url + PATH, { headers })
          await response.arrayBuffer()
        },
        close: async () => {},
      }),
    ],
    [
      'new-connection',
      (url, headers) => ({
        get: async () => {
          const client = new Client(url, { pipelining: 1 })
          const response = await client.request({ path: PATH, method: 'GET', headers })
          await response.body.dump({ limit: Number.MAX_SAFE_INTEGER })
          await client.close()
        },
        close: async () => {},
      }),
    ],
  ]
  for (const [name, make] of clients) {
    await b.run(`client=${name}`, async (b) => {
      const mock = await sharedMockChild({ nodes: 100, jobs: 1_000 })
      const auth = rootAuth()
      const client = make(mock.url, { 'x-slurm-user-name': auth.user, 'x-slurm-user-token': auth.token })
      await client.get()
      b.resetTimer()
      for (let i = 0; i < b.N; i++) await client.get()
      b.stopTimer()
      await client.close()
    })
  }
}
