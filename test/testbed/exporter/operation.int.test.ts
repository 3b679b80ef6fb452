// The exporter in operation against the mock slurmrestd on 127.0.0.1: the API version found by
// `auto`, tokens that expire (a token file rotated beside it, tokens minted from the HS256 key),
// and /ready while collectors fail.

import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { DEFAULT_JWT_KEY, startMockSlurm, type MockSlurm } from '../../../testbed/mock-slurm/index.ts'
import { startExporter, type ExporterOptions, type RunningExporter } from '../../../testbed/exporter/index.ts'
import { healthyAnswers, interceptSlurm, SLURM_ORIGIN } from './slurm-answers.ts'

let mock: MockSlurm
let dir: string
beforeAll(async () => {
  mock = await startMockSlurm({ preset: 'tiny', seed: 3, logLevel: 'error' })
  dir = mkdtempSync(join(tmpdir(), 'exporter-operation-'))
})
afterAll(async () => {
  await mock.close()
  rmSync(dir, { recursive: true, force: true })
})

const running: RunningExporter[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()))
})

async function start(options: Partial<ExporterOptions>): Promise<RunningExporter> {
  // No cache: every scrape reads slurmrestd, so each one exercises the token in use.
  const exporter = await startExporter({ slurmUrl: mock.url, collectionMode: 'on-demand', cacheTtlMs: 0, retryBaseDelayMs: 1, ...options })
  running.push(exporter)
  return exporter
}

async function scrape(exporter: RunningExporter): Promise<string> {
  return (await request(`${exporter.url}/metrics`)).body.text()
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

const COLLECTORS = ['nodes', 'jobs', 'partitions', 'diag', 'shares', 'licenses', 'reservations']
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function allUp(text: string): boolean {
  return COLLECTORS.every((c) => sample(text, `slurm_exporter_collector_up{collector="${c}"}`) === 1)
}

describe('--api-version auto', () => {
  it('reads the newest version the mock serves and reports it once', async () => {
    const found: string[] = []
    const exporter = await start({ auth: { kind: 'user-token', user: 'root', token: mock.token('root', 600) }, onApiVersion: (v) => found.push(v) })
    const text = await scrape(exporter)
    expect(allUp(text)).toBe(true)
    await scrape(exporter)
    expect(found).toEqual(['v0.0.44'])
  })

  it('skips versions the server answers with 404 (a 24.11 slurmrestd serves up to v0.0.42)', async () => {
    const interception = interceptSlurm('v0.0.42', { ...healthyAnswers('v0.0.42'), ping: { status: 200, body: '{"pings":[]}' } })
    const pool = interception.agent.get(SLURM_ORIGIN)
    for (const version of ['v0.0.44', 'v0.0.43']) {
      pool
        .intercept({ path: `/slurm/${version}/ping`, method: 'GET' })
        .reply(404, 'Unable find requested URL')
        .persist()
    }
    const found: string[] = []
    const exporter = await startExporter({
      slurmUrl: SLURM_ORIGIN,
      dispatcher: interception.agent,
      cacheTtlMs: 0,
      onApiVersion: (v) => found.push(v),
    })
    running.push(exporter)
    const text = await scrape(exporter)
    expect(found).toEqual(['v0.0.42'])
    expect(allUp(text)).toBe(true)
    expect(interception.requests.some((r) => r.path === '/slurm/v0.0.42/nodes')).toBe(true)
  })
})

describe('tokens that expire', () => {
  it('re-reads --token-file when it changes, so scrapes keep working past the first token’s expiry', async () => {
    const file = join(dir, 'token')
    writeFileSync(file, `SLURM_JWT=${mock.token('root', 2)}\n`)
    const errors: string[] = []
    const exporter = await start({ auth: { kind: 'token-file', file }, onCollectorError: (c, e) => errors.push(`${c}: ${e.message}`) })
    expect(allUp(await scrape(exporter))).toBe(true)
    // A refresher (cron, a sidecar) writes the next token before the first one expires.
    writeFileSync(file, `SLURM_JWT=${mock.token('root', 600)}\n`)
    await sleep(2_500)
    expect(allUp(await scrape(exporter))).toBe(true)
    expect(errors).toEqual([])
  })

  it('after a 511, re-reads the token file and sends the request once more', async () => {
    const file = join(dir, 'token-late')
    writeFileSync(file, mock.token('root', 1))
    const errors: string[] = []
    const exporter = await start({ auth: { kind: 'token-file', file }, onCollectorError: (c, e) => errors.push(`${c}: ${e.message}`) })
    expect(allUp(await scrape(exporter))).toBe(true)
    await sleep(1_500)
    // The next token goes into the file with the same size, inode and modification time, so the
    // exporter cannot see the change: only slurmrestd's refusal makes it read the file again.
    const before = statSync(file)
    const fresh = mock.token('root', 600)
    expect(fresh.length).toBe(readFileSync(file, 'utf8').length)
    writeFileSync(file, fresh)
    utimesSync(file, before.atime, before.mtime)
    expect(allUp(await scrape(exporter)), errors.join('\n')).toBe(true)
    expect(errors).toEqual([])
  })

  it('mints tokens from the HS256 key file and renews them before they expire', async () => {
    const keyFile = join(dir, 'jwt_hs256.key')
    writeFileSync(keyFile, DEFAULT_JWT_KEY)
    const errors: string[] = []
    const exporter = await start({
      auth: { kind: 'jwt-key', keyFile, user: 'root', lifespanS: 2 },
      onCollectorError: (c, e) => errors.push(`${c}: ${e.message}`),
    })
    for (let i = 0; i < 4; i++) {
      expect(allUp(await scrape(exporter))).toBe(true)
      await sleep(900)
    }
    expect(errors).toEqual([])
  })

  it('fails every collector with a clear message, never the token, when the key is wrong', async () => {
    const keyFile = join(dir, 'wrong.key')
    writeFileSync(keyFile, 'not the key slurmrestd uses')
    const errors: string[] = []
    const exporter = await start({
      auth: { kind: 'jwt-key', keyFile, user: 'root', lifespanS: 60 },
      collectors: ['partitions'],
      onCollectorError: (_collector, e) => errors.push(e.message),
    })
    const text = await scrape(exporter)
    expect(sample(text, 'slurm_exporter_collector_up{collector="partitions"}')).toBe(0)
    expect(errors).toHaveLength(1)
    // With auto, the version probe (ping) meets the refusal first.
    expect(errors[0]).toMatch(/^GET \/slurm\/v0\.0\.44\/(ping|partitions): HTTP (401|511), Slurm error/)
    expect(errors[0]).not.toMatch(/eyJ/)
  })
})

describe('/ready', () => {
  it('answers 503 naming the failing collectors, 200 once every collector succeeds; /health stays 200', async () => {
    const file = join(dir, 'token-ready')
    writeFileSync(file, 'expired-or-bogus')
    const exporter = await start({ auth: { kind: 'token-file', file }, collectors: ['nodes', 'diag'] })
    const notReady = await request(`${exporter.url}/ready`)
    expect(notReady.statusCode).toBe(503)
    const body = (await notReady.body.json()) as { status: string; failing: Record<string, string> }
    expect(body.status).toBe('not ready')
    expect(Object.keys(body.failing).sort()).toEqual(['diag', 'nodes'])
    expect(body.failing['nodes']).toMatch(/^HTTP (401|500|511)/)
    const health = await request(`${exporter.url}/health`)
    expect(health.statusCode).toBe(200)
    await health.body.dump()

    writeFileSync(file, mock.token('root', 600))
    await sleep(1_100)
    await scrape(exporter)
    const ready = await request(`${exporter.url}/ready`)
    expect(ready.statusCode).toBe(200)
    expect(await ready.body.json()).toEqual({ status: 'ready' })
  })
})

describe('an outage (slurmctld down: slurmrestd answers 502, error 1800)', () => {
  it('logs each collector once when it starts, backs off instead of asking every refresh, and logs the recovery', async () => {
    let down = false
    const requests: string[] = []
    const outage = JSON.stringify({
      errors: [
        { error_number: 1800, error: 'Unable to contact slurm controller (connect failure)', description: 'Failed to load jobs', source: 'slurm_load_jobs()' },
      ],
    })
    // In front of the mock: while `down`, every data endpoint answers as slurmrestd does without slurmctld.
    const server = createServer((req, res) => {
      requests.push(req.url ?? '')
      if (down && !(req.url ?? '').endsWith('/ping')) {
        res.writeHead(502, { 'content-type': 'application/json' }).end(outage)
        return
      }
      request(mock.url + (req.url ?? '/'), { headers: { 'x-slurm-user-name': 'root', 'x-slurm-user-token': mock.token('root', 600) } })
        .then(async (upstream) => {
          res.writeHead(upstream.statusCode, { 'content-type': 'application/json' })
          res.end(Buffer.from(await upstream.body.arrayBuffer()))
        })
        .catch(() => res.destroy())
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const log: string[] = []
      const exporter = await start({
        slurmUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        collectionMode: 'background',
        refreshIntervalMs: 20,
        retries: 0,
        onCollectorError: (c, e) => log.push(`failed ${c}: ${e.message}`),
        onCollectorRecovered: (r) => log.push(`recovered ${r.collector} after ${r.failures}`),
      })
      expect(allUp(await scrape(exporter))).toBe(true)
      down = true
      const before = requests.length
      await sleep(3_000)
      const duringOutage = requests.length - before
      // Refreshing every 20 ms, 7 collectors would ask ~1,000 times in 3 s; backing off
      // (0.5–1 s, then 1–2 s, …) they ask at most 4 times each.
      expect(duringOutage).toBeLessThanOrEqual(7 * 4)
      expect(log).toHaveLength(7)
      expect(log).toContain(
        'failed jobs: GET /slurm/v0.0.44/jobs: HTTP 502, Slurm error 1800 Unable to contact slurm controller (connect failure): Failed to load jobs',
      )
      const ready = await request(`${exporter.url}/ready`)
      expect(ready.statusCode).toBe(503)
      await ready.body.dump()
      down = false
      const endMs = performance.now() + 10_000
      while (log.filter((l) => l.startsWith('recovered')).length < 7 && performance.now() < endMs) await sleep(50)
      expect(log.filter((l) => l.startsWith('recovered'))).toHaveLength(7)
      expect(log).toHaveLength(14)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
