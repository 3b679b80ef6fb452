import { describe, expect, it } from 'vitest'
import { request } from 'undici'
import { childEntryArgs, spawnChildServer } from '../../../testbed/rig/child-process.ts'
import { rootAuth } from '../../../testbed/rig/workloads.ts'

describe('child servers', () => {
  it('run from one cached bundle of child-entry.ts and answer on 127.0.0.1', async () => {
    const first = await childEntryArgs()
    expect(first).toHaveLength(1)
    expect(first[0]).toMatch(/node_modules\/\.cache\/slurmbench-exporter\/child-\d+-\d+\.mjs$/)
    // Unchanged sources: the same bundle, not a new build.
    expect(await childEntryArgs()).toEqual(first)

    const mock = await spawnChildServer({ kind: 'mock', options: { nodes: 4, jobs: 10, seed: 1, logLevel: 'error' } })
    try {
      expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const { user, token } = rootAuth()
      const response = await request(`${mock.url}/slurm/v0.0.44/ping`, { headers: { 'x-slurm-user-name': user, 'x-slurm-user-token': token } })
      expect(response.statusCode).toBe(200)
      expect((await response.body.json()) as object).toHaveProperty('pings')
    } finally {
      await mock.close()
    }
  }, 60_000)
})
