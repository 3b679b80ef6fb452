// Faults by server option and by the X-Mock-Fault header: what a client sees for each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decideFault, NO_FAULTS, parseFaultSpec } from '../../../testbed/mock-slurm/faults.ts'
import { drawLatencyMs } from '../../../testbed/mock-slurm/latency.ts'
import { Prng } from '../../../common/prng.ts'
import { startMockSlurm, type MockSlurm } from '../../../testbed/mock-slurm/index.ts'

describe('parseFaultSpec', () => {
  it.each([
    ['latency=200ms', { latency: { kind: 'fixed', ms: 200 } }],
    ['latency=1.5s', { latency: { kind: 'fixed', ms: 1500 } }],
    ['latency=50ms..300ms', { latency: { kind: 'uniform', minMs: 50, maxMs: 300 } }],
    ['latency=exp:100ms', { latency: { kind: 'exponential', meanMs: 100 } }],
    ['latency=realistic', { latency: { kind: 'realistic' } }],
    ['error-rate=0.1;error-status=503', { errorRate: 0.1, errorStatus: 503 }],
    ['slurm-error-rate=1, hang-rate=0', { slurmErrorRate: 1, hangRate: 0 }],
    ['reset-rate=0.05;truncate-rate=0.5;slow-body=100KB/s', { resetRate: 0.05, truncateRate: 0.5, slowBodyBytesPerSec: 100_000 }],
    ['slurmctld-down=on', { slurmctldDownMs: 9_000 }],
    ['slurmctld-down=250ms', { slurmctldDownMs: 250 }],
    ['slurmctld-down=on;slurmctld-down=off', { slurmctldDownMs: -1 }],
  ])('%s', (text, expected) => {
    expect(parseFaultSpec(text)).toEqual({ ...NO_FAULTS, ...expected })
  })

  it.each([
    ['latency=fast', /latency: "fast" is not a duration/],
    ['error-rate=2', /error-rate: "2" is not a rate/],
    ['error-status=200', /error-status: "200" is not an HTTP error status/],
    ['slow-body=fast', /slow-body: "fast" is not a bandwidth/],
    ['latency=300ms..100ms', /maximum below its minimum/],
    ['explode=1', /unknown fault key "explode"/],
    ['latency', /"latency" is not key=value/],
    ['slurmctld-down=yes', /slurmctld-down: "yes" is not a duration \(expected e\.g\. 200ms, 1\.5s, 500us, or on\/off\)/],
  ])('rejects %s', (text, message) => {
    expect(() => parseFaultSpec(text)).toThrow(message)
  })

  it('draws actions in proportion to their rates', () => {
    const spec = parseFaultSpec('error-rate=0.2;reset-rate=0.1')
    const rng = new Prng(9)
    const counts: Record<string, number> = {}
    for (let i = 0; i < 10_000; i++) {
      const a = decideFault(spec, () => rng.next())
      counts[a] = (counts[a] ?? 0) + 1
    }
    expect(counts.error! / 10_000).toBeCloseTo(0.2, 1)
    expect(counts.reset! / 10_000).toBeCloseTo(0.1, 1)
    expect(counts.none! / 10_000).toBeCloseTo(0.7, 1)
  })

  it('realistic latency grows with the response size', () => {
    const rng = new Prng(1)
    const median = (endpoint: string, records: number) => {
      const xs = Array.from({ length: 501 }, () => drawLatencyMs({ kind: 'realistic' }, endpoint, records, () => rng.next())).sort((a, b) => a - b)
      return xs[250]!
    }
    expect(median('jobs', 100_000)).toBeGreaterThan(20 * median('ping', 1))
    expect(median('jobs', 100_000)).toBeGreaterThan(5 * median('jobs', 1_000))
  })
})

describe('faults on the wire', () => {
  let mock: MockSlurm
  beforeAll(async () => {
    mock = await startMockSlurm({ preset: 'tiny', jobs: 2_000, frozenClock: true, auth: false, json: 'compact' })
  })
  afterAll(() => mock?.close())

  const get = (path: string, fault: string, signal?: AbortSignal) => fetch(`${mock.url}${path}`, { headers: { 'X-Mock-Fault': fault }, signal })

  it('latency delays the answer', async () => {
    const t0 = performance.now()
    expect((await get('/slurm/v0.0.44/ping', 'latency=300ms')).status).toBe(200)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(295)
  })

  it('error-rate answers a plain HTTP error with the chosen status', async () => {
    const r = await get('/slurm/v0.0.44/jobs', 'error-rate=1;error-status=503')
    expect(r.status).toBe(503)
    expect(r.headers.get('content-type')).toBe('text/plain')
  })

  it('slurm-error-rate answers a Slurm error inside the envelope', async () => {
    const r = await get('/slurm/v0.0.44/jobs', 'slurm-error-rate=1')
    expect(r.status).toBe(500)
    const body = (await r.json()) as { jobs: unknown[]; errors: unknown[]; meta: { plugin: { data_parser: string } } }
    expect(body.jobs).toEqual([])
    expect(body.errors[0]).toMatchObject({ error_number: 1800, source: 'slurm_load_jobs()' })
    expect(body.meta.plugin.data_parser).toBe('data_parser/v0.0.44')
  })

  it('reset-rate resets the connection', async () => {
    await expect(get('/slurm/v0.0.44/ping', 'reset-rate=1')).rejects.toThrow()
  })

  it('truncate-rate cuts the body in the middle', async () => {
    let failed = false
    try {
      const r = await get('/slurm/v0.0.44/jobs', 'truncate-rate=1')
      JSON.parse(await r.text())
    } catch {
      failed = true
    }
    expect(failed).toBe(true)
  })

  it('hang-rate never answers; the client times out and nothing stays in flight', async () => {
    await expect(get('/slurm/v0.0.44/ping', 'hang-rate=1', AbortSignal.timeout(300))).rejects.toThrow()
    for (let i = 0; i < 50 && mock.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(mock.inFlight).toBe(0)
  })

  it('slow-body limits the bandwidth', async () => {
    const t0 = performance.now()
    const r = await get('/slurm/v0.0.44/partitions', 'slow-body=20KB/s')
    const text = await r.text()
    const seconds = (performance.now() - t0) / 1000
    expect(JSON.parse(text).partitions.length).toBeGreaterThan(0)
    expect(seconds).toBeGreaterThanOrEqual((text.length / 20_000) * 0.8)
  })

  it('a malformed header is a 400 naming the problem', async () => {
    const r = await get('/slurm/v0.0.44/ping', 'latency=soon')
    expect(r.status).toBe(400)
    expect(await r.text()).toContain('latency: "soon" is not a duration')
  })

  it('server-wide faults apply without the header, and the header can be refused', async () => {
    const faulty = await startMockSlurm({ preset: 'tiny', auth: false, faults: 'error-rate=1', allowFaultHeader: false })
    try {
      expect((await fetch(`${faulty.url}/slurm/v0.0.44/ping`)).status).toBe(500)
      expect((await fetch(`${faulty.url}/slurm/v0.0.44/ping`, { headers: { 'X-Mock-Fault': 'error-rate=0' } })).status).toBe(500)
    } finally {
      await faulty.close()
    }
  })

  it('close() ends hanging connections', async () => {
    const hung = await startMockSlurm({ preset: 'tiny', auth: false, faults: 'hang-rate=1' })
    const pending = fetch(`${hung.url}/slurm/v0.0.44/ping`).catch((err: Error) => err)
    await new Promise((r) => setTimeout(r, 100))
    await hung.close()
    expect(await pending).toBeInstanceOf(Error)
  })
})
