// HTTP throughput from slurmrestd: the /jobs body downloaded through an undici Pool and
// discarded, pretty-printed (slurmrestd's default) and compact (SLURMRESTD_JSON=compact). MB/s.
import { type B, full } from 'slurmbench'
import { Pool } from 'undici'
import { rootAuth, sharedMockChild } from '../../testbed/rig/workloads.ts'

export async function BenchmarkSlurmThroughput(b: B) {
  for (const jobs of full() ? [2_000, 20_000] : [2_000]) {
    for (const json of full() ? ['pretty', 'compact'] : ['pretty']) {
      await b.run(`jobs=${jobs}/json=${json}`, async (b) => {
        const mock = await sharedMockChild({ nodes: jobs / 10, jobs }, { json })
        const auth = rootAuth()
        const pool = new Pool(mock.url, { connections: 1, bodyTimeout: 300_000, headersTimeout: 300_000 })
        const download = async (): Promise<number> => {
          const response = await pool.request({
            path: '/slurm/v0.0.44/jobs',
            method: 'GET',
            headers: { 'x-slurm-user-name': auth.user, 'x-slurm-user-token': auth.token },
          })
          let bytes = 0
          for await (const chunk of response.body) bytes += (chunk as Buffer).length
          return bytes
        }
        b.setBytes(await download())
        b.resetTimer()
        for (let i = 0; i < b.N; i++) await download()
        b.stopTimer()
        await pool.close()
      })
    }
  }
}
