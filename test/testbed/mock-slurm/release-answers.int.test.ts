// The answers a real slurmrestd 24.11.5 gave (recorded at v0.0.40–v0.0.42 on this project's test
// cluster): the mock posing as 24.11 must give the same status, content type and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintToken, startMockSlurm, type MockSlurm } from '../../../testbed/mock-slurm/index.ts'

let mock: MockSlurm

beforeAll(async () => {
  mock = await startMockSlurm({
    slurm: '24.11',
    preset: 'tiny',
    seed: 4,
    epochSec: 1_764_000_000,
    frozenClock: true,
    json: 'compact',
    accounting: false,
    licenses: false,
  })
})
afterAll(() => mock?.close())

// biome-ignore lint/suspicious/noExplicitAny: bodies are checked field by field below
type Body = any

async function get(path: string, headers: Record<string, string> = mock.authHeaders()): Promise<{ status: number; type: string; text: string; body: Body }> {
  const r = await fetch(mock.url + path, { headers })
  const text = await r.text()
  const type = r.headers.get('content-type') ?? ''
  return { status: r.status, type, text, body: type === 'application/json' ? JSON.parse(text) : undefined }
}

const badToken = () => ({ 'X-SLURM-USER-NAME': 'root', 'X-SLURM-USER-TOKEN': mintToken('another key', 'root') })

describe('a mock posing as 24.11', () => {
  it('serves v0.0.40–v0.0.42 only, with 24.11.5 and no accounting storage in meta', async () => {
    for (const v of ['v0.0.40', 'v0.0.41', 'v0.0.42']) {
      const r = await get(`/slurm/${v}/ping`)
      expect(r.status, v).toBe(200)
      expect(r.body.meta.slurm.release).toBe('24.11.5')
      expect(r.body.meta.plugin.accounting_storage).toBe('')
    }
    for (const path of ['/slurm/v0.0.43/ping', '/slurm/v0.0.44/ping', '/slurmdb/v0.0.42/jobs', '/slurm/v0.0.42/nosuchendpoint']) {
      const r = await get(path)
      expect([r.status, r.type, r.text], path).toEqual([404, 'text/plain', 'Unable find requested URL. Please view /openapi/v3 for API reference.'])
    }
  })

  it('no auth headers: 401 text/plain on every path, unknown ones included', async () => {
    for (const path of ['/slurm/v0.0.42/ping', '/slurm/v0.0.42/nodes', '/nothing', '/openapi/v3']) {
      const r = await get(path, {})
      expect([r.status, r.type, r.text], path).toEqual([401, 'text/plain', 'Authentication failure'])
    }
  })

  it('a refused token: each endpoint fails its own way; /ping answers 200 with the controller DOWN', async () => {
    const cases: Array<[string, number, string[], unknown[]]> = [
      ['jobs', 511, ['jobs', 'last_backfill', 'last_update', 'meta', 'errors', 'warnings'], [[1007, 'slurm_load_jobs()']]],
      ['nodes', 511, ['errors', 'warnings', 'meta'], [[1007, '_dump_nodes']]],
      ['partitions', 511, ['errors', 'warnings', 'meta'], []],
      ['reservations', 511, ['errors', 'warnings', 'meta'], [[1007, 'slurm_load_reservations()']]],
      ['licenses', 511, ['licenses', 'last_update', 'meta', 'errors', 'warnings'], [[1007, 'op_handler_licenses']]],
      ['diag', 511, ['errors', 'warnings', 'meta'], [[1007, 'op_handler_diag']]],
      ['shares', 500, ['errors', 'warnings', 'meta'], [[-1, '_dump_shares']]],
    ]
    for (const [endpoint, status, keys, errors] of cases) {
      const r = await get(`/slurm/v0.0.42/${endpoint}`, badToken())
      expect(r.status, endpoint).toBe(status)
      expect(Object.keys(r.body), endpoint).toEqual(keys)
      expect(
        r.body.errors.map((e: { error_number: number; source: string }) => [e.error_number, e.source]),
        endpoint,
      ).toEqual(errors)
    }
    const ping = await get('/slurm/v0.0.42/ping', badToken())
    expect(ping.status).toBe(200)
    expect(ping.body.pings[0]).toMatchObject({ pinged: 'DOWN', responding: false })
    const expired = await get('/slurm/v0.0.41/nodes', {
      'X-SLURM-USER-NAME': 'root',
      'X-SLURM-USER-TOKEN': mintToken('slurmbench-mock-slurm-jwt-hs256-key', 'root', -10),
    })
    expect(expired.status).toBe(511)
  })

  it('unknown job 404 (2017), node 200 with an error entry, partition and reservation 422 (9000)', async () => {
    const job = await get('/slurm/v0.0.42/job/999999')
    expect([job.status, job.body.errors[0].error_number]).toEqual([404, 2017])
    const node = await get('/slurm/v0.0.42/node/nosuchnode')
    expect([node.status, Object.keys(node.body), node.body.errors[0].description]).toEqual([
      200,
      ['errors', 'warnings', 'meta'],
      'Failure to query node nosuchnode',
    ])
    for (const [what, path] of [
      ['partition', '/slurm/v0.0.42/partition/nosuchpartition'],
      ['reservation', '/slurm/v0.0.42/reservation/nosuchreservation'],
    ]) {
      const r = await get(path!)
      expect(r.status, path).toBe(422)
      expect(r.body.errors).toEqual([
        {
          description: `Unable to find ${what} nosuch${what}`,
          error_number: 9000,
          error: 'Query empty or not RFC7320 compliant',
          source: `op_handler_${what}`,
        },
      ])
    }
  })

  it('a reservation by name: 200 with that one reservation', async () => {
    const r = await get('/slurm/v0.0.42/reservation/maint')
    expect(r.status).toBe(200)
    expect(r.body.reservations.map((x: { name: string }) => x.name)).toEqual(['maint'])
    expect(r.body.reservations[0].watts).toEqual({})
    expect((await get('/slurm/v0.0.42/reservations')).body.reservations.length).toBe(2)
  })

  it('update_time in the future: v0.0.40/41 reject it (jobs 422, nodes and partitions 500), v0.0.42 jobs 200 with a warning, nodes 304', async () => {
    const future = 1_764_000_000 + 86_400
    for (const v of ['v0.0.40', 'v0.0.41']) {
      for (const [endpoint, status] of [
        ['jobs', 422],
        ['nodes', 500],
        ['partitions', 500],
      ] as const) {
        const r = await get(`/slurm/${v}/${endpoint}?update_time=${future}`)
        expect(r.status, `${v} ${endpoint}`).toBe(status)
        expect(r.body.errors.map((e: { error_number: number }) => e.error_number)).toEqual([9202, 9000])
      }
    }
    const jobs = await get(`/slurm/v0.0.42/jobs?update_time=${future}`)
    expect(jobs.status).toBe(200)
    expect(jobs.body.jobs).toEqual([])
    expect(jobs.body.warnings[0].description).toMatch(/^No job changes since update_time\[\d+\]=/)
    expect((await get(`/slurm/v0.0.42/nodes?update_time=${future}`)).status).toBe(304)
  })

  it('no licences and no accounting: empty lists with slurmrestd warnings', async () => {
    const lic = await get('/slurm/v0.0.42/licenses')
    expect([lic.status, lic.body.licenses, lic.body.warnings]).toEqual([200, [], [{ description: 'Zero licenses to dump', source: '' }]])
    const shares = await get('/slurm/v0.0.40/shares')
    expect(shares.status).toBe(200)
    expect(shares.body.shares).toEqual({ shares: [], total_shares: 0 })
    expect(shares.body.warnings).toEqual([{ description: 'Shares list is empty because slurm accounting storage is disabled.', source: '' }])
  })
})

describe('a pending job’s job_resources', () => {
  it('is null at v0.0.41 from 24.11 on and {} in 24.05; {} at v0.0.40, null from v0.0.42', async () => {
    const pending = async (server: MockSlurm, version: string) => {
      const body = (await (await fetch(`${server.url}/slurm/${version}/jobs`, { headers: server.authHeaders() })).json()) as {
        jobs: Array<{ job_state: string[]; job_resources: unknown }>
      }
      return body.jobs.find((j) => j.job_state[0] === 'PENDING')?.job_resources
    }
    expect(await pending(mock, 'v0.0.40')).toEqual({})
    expect(await pending(mock, 'v0.0.41')).toBeNull()
    expect(await pending(mock, 'v0.0.42')).toBeNull()
    const old = await startMockSlurm({ slurm: '24.05', preset: 'tiny', frozenClock: true })
    try {
      expect(await pending(old, 'v0.0.41')).toEqual({})
    } finally {
      await old.close()
    }
  })
})

describe('fault slurmctld-down', () => {
  it('waits, then answers 502 with error 1800; /ping answers 200 with the controller DOWN; off ends it', async () => {
    const down = { ...mock.authHeaders(), 'X-Mock-Fault': 'slurmctld-down=50ms' }
    const t0 = performance.now()
    const nodes = await get('/slurm/v0.0.42/nodes', down)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45)
    expect([nodes.status, nodes.body.errors[0].error_number, nodes.body.errors[0].error]).toEqual([
      502,
      1800,
      'Unable to contact slurm controller (connect failure)',
    ])
    const jobs = await get('/slurm/v0.0.42/jobs', down)
    expect([jobs.status, jobs.body.jobs]).toEqual([502, []])
    const ping = await get('/slurm/v0.0.42/ping', down)
    expect([ping.status, ping.body.pings[0].pinged]).toEqual([200, 'DOWN'])
    // Without a token slurmrestd refuses before it tries slurmctld.
    expect((await get('/slurm/v0.0.42/nodes', { 'X-Mock-Fault': 'slurmctld-down=on' })).status).toBe(401)
    const server = await startMockSlurm({ preset: 'tiny', frozenClock: true, faults: 'slurmctld-down=10ms' })
    try {
      expect((await fetch(`${server.url}/slurm/v0.0.42/diag`, { headers: server.authHeaders() })).status).toBe(502)
      const up = await fetch(`${server.url}/slurm/v0.0.42/diag`, { headers: { ...server.authHeaders(), 'X-Mock-Fault': 'slurmctld-down=off' } })
      expect(up.status).toBe(200)
    } finally {
      await server.close()
    }
  })
})
