// What a client of the real slurmrestd 25.11 would notice: auth answers, error answers, 304,
// pretty/compact output, determinism, change over time. Error bodies are compared with captures.
import { get as httpGet } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mintToken, startMockSlurm, type MockSlurm } from '../../../testbed/mock-slurm/index.ts'
import { SKIP_FIXTURE_TESTS, readSample, readSampleText } from './fixtures.ts'

const EPOCH = 1_764_000_000
const V44 = '25.11-v0.0.44'
let mock: MockSlurm

beforeAll(async () => {
  mock = await startMockSlurm({ preset: 'tiny', nodes: 30, jobs: 200, seed: 3, epochSec: EPOCH, frozenClock: true, json: 'compact' })
})
afterAll(() => mock?.close())

function rawGet(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    httpGet(`${mock.url}${path}`, { headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }))
    }).on('error', reject)
  })
}

function withoutMeta(body: Record<string, unknown>): Record<string, unknown> {
  const { meta: _meta, ...rest } = body
  return rest
}

describe('authentication (rest_auth/jwt)', () => {
  it('no auth headers, or unrelated ones: 500 text/plain, as 25.11', async () => {
    for (const headers of [{}, { 'X-Something': 'else' }] as Array<Record<string, string>>) {
      const r = await rawGet('/slurm/v0.0.44/jobs', headers)
      expect(r.status).toBe(500)
      expect(r.type).toBe('text/plain')
      if (!SKIP_FIXTURE_TESTS) expect(r.body).toBe(readSampleText(V44, 'slurm-jwt-missing-headers.txt').trimEnd())
    }
  })

  it("an invalid or expired token: 511 with the capture's body", async () => {
    const expired = mintToken('slurmbench-mock-slurm-jwt-hs256-key', 'root', -10)
    const otherKey = mintToken('another key', 'root')
    for (const token of ['fail', expired, otherKey]) {
      const r = await rawGet('/slurm/v0.0.44/jobs', { 'X-SLURM-USER-NAME': 'root', 'X-SLURM-USER-TOKEN': token })
      expect(r.status, token).toBe(511)
      expect(r.type).toBe('application/json')
      if (!SKIP_FIXTURE_TESTS)
        expect(withoutMeta(JSON.parse(r.body))).toEqual(withoutMeta(readSample(V44, 'slurm-jwt-expired-token.json') as Record<string, unknown>))
    }
  })

  it('accepts user+token headers and Authorization: Bearer; a user cannot act as another', async () => {
    expect((await rawGet('/slurm/v0.0.44/ping', mock.authHeaders('alice'))).status).toBe(200)
    expect((await rawGet('/slurm/v0.0.44/ping', { Authorization: `Bearer ${mock.token('bob')}` })).status).toBe(200)
    const asOther = await rawGet('/slurm/v0.0.44/jobs', { 'X-SLURM-USER-NAME': 'alice', 'X-SLURM-USER-TOKEN': mock.token('bob') })
    expect(asOther.status).toBe(511)
    const rootAsAlice = await rawGet('/slurm/v0.0.44/ping', { 'X-SLURM-USER-NAME': 'alice', 'X-SLURM-USER-TOKEN': mock.token('root') })
    expect(rootAsAlice.status).toBe(200)
    expect(JSON.parse(rootAsAlice.body).meta.client.user).toBe('alice')
  })

  it('can be switched off', async () => {
    const open = await startMockSlurm({ preset: 'tiny', auth: false, frozenClock: true })
    try {
      expect((await fetch(`${open.url}/slurm/v0.0.44/ping`)).status).toBe(200)
    } finally {
      await open.close()
    }
  })
})

describe('error answers', () => {
  const auth = () => mock.authHeaders()

  it('unknown URL, unknown version, other methods, path traversal: 404 text/plain', async () => {
    for (const path of [
      '/nothing',
      '/slurm/v0.0.44/nothing',
      '/slurm/v0.0.39/ping',
      '/slurm/v0.0.45/ping',
      '/slurmdb/v0.0.44/nothing',
      '/slurm/v0.0.44/../../etc/passwd',
      '/slurm/v0.0.44/%2e%2e/ping',
      '/slurm//v0.0.44/ping',
      '/slurm/v0.0.44/node/cn001/extra',
    ]) {
      const r = await rawGet(path, auth())
      expect(r.status, path).toBe(404)
      expect(r.type).toBe('text/plain')
      if (!SKIP_FIXTURE_TESTS) expect(r.body).toBe(readSampleText(V44, 'slurm-not-found.txt').trimEnd())
    }
    const post = await fetch(`${mock.url}/slurm/v0.0.44/jobs`, { method: 'POST', headers: auth(), body: '{}' })
    expect(post.status).toBe(404)
  })

  it('unknown job: 404 with error 2017, as the capture', async () => {
    const r = await rawGet('/slurm/v0.0.44/job/11500', auth())
    expect(r.status).toBe(404)
    if (!SKIP_FIXTURE_TESTS) expect(withoutMeta(JSON.parse(r.body))).toEqual(withoutMeta(readSample(V44, 'slurm-job-unfound.json') as Record<string, unknown>))
    // beyond the job id range, and not a number at all
    expect((await rawGet('/slurm/v0.0.44/job/4294967295', auth())).status).toBe(404)
    const bad = await rawGet('/slurm/v0.0.44/job/abc', auth())
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).errors[0].description).toContain('abc')
    expect((await rawGet('/slurm/v0.0.44/job/99999999999999999999999', auth())).status).toBe(400)
  })

  it('unknown node: 200 with only errors, warnings and meta, as the capture', async () => {
    const r = await rawGet('/slurm/v0.0.44/node/unexisting-node', auth())
    expect(r.status).toBe(200)
    const body = JSON.parse(r.body)
    expect(Object.keys(body)).toEqual(['errors', 'warnings', 'meta'])
    if (!SKIP_FIXTURE_TESTS) expect(withoutMeta(body)).toEqual(withoutMeta(readSample(V44, 'slurm-node-unfound.json') as Record<string, unknown>))
  })

  it("unknown accounting job: 200, empty jobs and the capture's warning", async () => {
    const r = await rawGet('/slurmdb/v0.0.44/job/11500', auth())
    expect(r.status).toBe(200)
    if (!SKIP_FIXTURE_TESTS)
      expect(withoutMeta(JSON.parse(r.body))).toEqual(withoutMeta(readSample(V44, 'slurmdb-job-unfound.json') as Record<string, unknown>))
  })

  it('malformed query values: 400 with a Slurm error naming the value', async () => {
    for (const q of ['update_time=yesterday', 'flags=BOGUS', 'update_time=%zz']) {
      const r = await rawGet(`/slurm/v0.0.44/jobs?${q}`, auth())
      expect(r.status, q).toBe(400)
      expect(JSON.parse(r.body).errors).toHaveLength(1)
    }
  })

  it('oversized headers: 431, and the server keeps serving', async () => {
    const r = await rawGet('/slurm/v0.0.44/ping', { ...auth(), 'X-Big': 'x'.repeat(64 * 1024) }).catch((err: Error) => ({ status: -1, body: err.message }))
    expect([431, -1]).toContain(r.status)
    expect((await rawGet('/slurm/v0.0.44/ping', auth())).status).toBe(200)
  })
})

describe('data answers', () => {
  const auth = () => mock.authHeaders()

  it('answers with and without the trailing slash alike', async () => {
    const a = await rawGet('/slurm/v0.0.44/partitions', auth())
    const b = await rawGet('/slurm/v0.0.44/partitions/', auth())
    expect(a.status).toBe(200)
    expect(withoutMeta(JSON.parse(a.body))).toEqual(withoutMeta(JSON.parse(b.body)))
  })

  it('update_time after the last change: nodes and partitions 304 with no body, jobs 200 with a warning', async () => {
    for (const path of ['/slurm/v0.0.44/jobs', '/slurm/v0.0.44/nodes', '/slurm/v0.0.44/partitions']) {
      const first = JSON.parse((await rawGet(path, auth())).body)
      const last = first.last_update.number as number
      const same = await rawGet(`${path}?update_time=${last}`, auth())
      expect(same.status, path).toBe(200)
      expect(JSON.parse(same.body).warnings, path).toEqual([])
      const later = await rawGet(`${path}?update_time=${last + 1}`, auth())
      if (path.endsWith('jobs')) {
        expect(later.status, path).toBe(200)
        const body = JSON.parse(later.body)
        expect(body.jobs).toEqual([])
        expect(body.warnings).toEqual([
          { description: `No job changes since update_time[${last + 1}]=${new Date((last + 1) * 1000).toISOString().slice(0, 19)}`, source: 'op_handler_jobs' },
        ])
      } else {
        expect(later.status, path).toBe(304)
        expect(later.body).toBe('')
      }
    }
  })

  it('prints the partition int64 beyond 2^53 exactly', async () => {
    const r = await rawGet('/slurm/v0.0.44/partitions', auth())
    expect(r.body).toContain('"memory_per_cpu":-9223372036854775296')
  })

  it('is pretty by default and compact on request, with the same content', async () => {
    const pretty = await startMockSlurm({ preset: 'tiny', nodes: 30, jobs: 200, seed: 3, epochSec: EPOCH, frozenClock: true, auth: false })
    try {
      const p = await (await fetch(`${pretty.url}/slurm/v0.0.44/jobs`)).text()
      const c = (await rawGet('/slurm/v0.0.44/jobs', auth())).body
      expect(p).toContain('\n  "jobs": [\n    {\n      "account": ')
      expect(c).not.toContain('\n')
      expect(withoutMeta(JSON.parse(p))).toEqual(withoutMeta(JSON.parse(c)))
    } finally {
      await pretty.close()
    }
  })

  it('is deterministic for a seed, and differs across seeds', async () => {
    const opts = { preset: 'tiny' as const, nodes: 30, jobs: 200, epochSec: EPOCH, frozenClock: true, auth: false, json: 'compact' as const }
    const [a, b, c] = await Promise.all([startMockSlurm({ ...opts, seed: 3 }), startMockSlurm({ ...opts, seed: 3 }), startMockSlurm({ ...opts, seed: 4 })])
    try {
      for (const path of ['/slurm/v0.0.44/jobs', '/slurm/v0.0.44/nodes', '/slurmdb/v0.0.44/associations']) {
        const [ta, tb, tc] = await Promise.all(
          [a, b, c].map(async (m) => JSON.stringify(withoutMeta((await (await fetch(m.url + path)).json()) as Record<string, unknown>))),
        )
        expect(ta, path).toBe(tb)
        expect(ta, path).not.toBe(tc)
      }
    } finally {
      await Promise.all([a.close(), b.close(), c.close()])
    }
  })

  it('changes over time: jobs start and end, last_update moves', async () => {
    const states = async (m: MockSlurm) => {
      const body = (await (await fetch(`${m.url}/slurm/v0.0.44/jobs/state`, { headers: m.authHeaders() })).json()) as { jobs: unknown[] }
      return JSON.stringify(body.jobs)
    }
    const before = await states(mock)
    const t0 = JSON.parse((await rawGet('/slurm/v0.0.44/jobs', auth())).body).last_update.number
    mock.advance(200)
    expect(await states(mock)).not.toBe(before)
    expect(JSON.parse((await rawGet('/slurm/v0.0.44/jobs', auth())).body).last_update.number).toBeGreaterThan(t0)

    const live = await startMockSlurm({ preset: 'tiny', jobs: 200, changeRatePerSec: 2_000, auth: false })
    try {
      const first = await states(live)
      await new Promise((r) => setTimeout(r, 250))
      expect(await states(live)).not.toBe(first)
    } finally {
      await live.close()
    }
  })

  it('jobs/state filters by job_id; job/{id} of an array job returns its tasks', async () => {
    const all = JSON.parse((await rawGet('/slurm/v0.0.44/jobs/state', auth())).body).jobs as Array<{ job_id: string }>
    const some = all.slice(0, 3).map((j) => j.job_id)
    const filtered = JSON.parse((await rawGet(`/slurm/v0.0.44/jobs/state?job_id=${some.join(',')}`, auth())).body).jobs as Array<{ job_id: string }>
    expect(filtered.map((j) => j.job_id)).toEqual(some)
    const task = all.find((j) => j.job_id.includes('_'))
    if (task !== undefined) {
      const arrayId = task.job_id.split('_')[0]
      const r = JSON.parse((await rawGet(`/slurm/v0.0.44/job/${arrayId}`, auth())).body)
      expect(r.jobs.length).toBeGreaterThan(1)
      expect(new Set(r.jobs.map((j: { array_job_id: { number: number } }) => j.array_job_id.number))).toEqual(new Set([Number(arrayId)]))
    }
  })
})
