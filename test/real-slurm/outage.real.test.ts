// slurmctld down while slurmrestd runs: what the real daemon answers (it waits, then 502 with
// error 1800), and that the exporter's scrape ends within its own per-request limits instead of
// waiting for slurmrestd. slurmctld is started again afterwards, whatever happened.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { restPing, startDaemon, stopDaemon, waitForController, waitForSettledNodes, daemonPids } from '../../testbed/real-slurm/cluster.ts'
import { waitUntil } from '../../testbed/real-slurm/processes.ts'
import { parseExposition, type RunningExporter, realSlurm, scrape, series, startExporterProcess, slurmArgs, UNCACHED_SCRAPES } from './real-slurm.ts'

const { info, skipReason } = realSlurm()
const UPDATE = process.env.UPDATE_RECORDED === '1' || process.env.UPDATE_GOLDEN === '1'
const OUTAGE_DIR = 'test/real-slurm/recorded/outage'
// Time for the exporter's process to answer beyond its own limits (scheduling on 2 busy cores).
const SLACK_MS = 3_000

describe.skipIf(info === undefined)('slurmctld outage behind a running slurmrestd', () => {
  const slurm = info as NonNullable<typeof info>
  const headers = { 'X-SLURM-USER-NAME': 'root', 'X-SLURM-USER-TOKEN': slurm?.token ?? '' }

  beforeAll(async () => {
    if (info === undefined) return
    await stopDaemon(slurm.root, 'slurmctld')
  }, 60_000)

  afterAll(async () => {
    if (info === undefined) return
    if (daemonPids(slurm.root, 'slurmctld').length === 0) {
      const pid = startDaemon(slurm, 'slurmctld')
      await waitForController(slurm, pid)
    }
    // slurmrestd reconnects on its own; the other files need data again, and settled nodes.
    await waitUntil(
      'slurmrestd answers again after slurmctld restarted',
      60_000,
      async () => ((await restPing(slurm.url, slurm.token)) === 200 ? true : undefined),
      500,
    )
    await waitForSettledNodes(slurm)
  }, 120_000)

  test('the real slurmrestd waits, then answers 502 with error 1800', async () => {
    const answers: Array<{ path: string; status: number; contentType: string; durationMs: number; errors: unknown }> = []
    for (const path of ['/slurm/v0.0.42/nodes', '/slurm/v0.0.42/diag', '/slurm/v0.0.41/jobs']) {
      const started = Date.now()
      const response = await fetch(`${slurm.url}${path}`, { headers, signal: AbortSignal.timeout(60_000) })
      const body = await response.text()
      const durationMs = Date.now() - started
      const parsed = JSON.parse(body) as { errors: Array<{ error_number: number; error: string; description: string }> }
      answers.push({ path, status: response.status, contentType: response.headers.get('content-type') ?? '', durationMs, errors: parsed.errors })
      if (UPDATE) {
        mkdirSync(OUTAGE_DIR, { recursive: true })
        const name = path.replace(/^\/slurm\//, '').replace(/\//g, '-')
        writeFileSync(
          join(OUTAGE_DIR, `${name}.json`),
          `${JSON.stringify({ request: { method: 'GET', path }, status: response.status, contentType: response.headers.get('content-type') ?? '', bodyFile: `${name}.body.json` }, null, 2)}\n`,
        )
        writeFileSync(join(OUTAGE_DIR, `${name}.body.json`), body)
      }
      expect(response.status, body).toBe(502)
      expect(parsed.errors.map((e) => e.error_number)).toContain(1800)
    }
    process.stdout.write(
      `outage: real answers ${JSON.stringify(answers.map((a) => ({ path: a.path, status: a.status, ms: a.durationMs, errors: a.errors })))}\n`,
    )
  }, 120_000)

  test('an on-demand scrape ends within the exporter request timeout, with every Slurm collector down', async () => {
    const requestTimeoutMs = 2_000
    const exporter: RunningExporter = await startExporterProcess([
      ...slurmArgs(slurm),
      ...UNCACHED_SCRAPES,
      '--request-timeout',
      `${requestTimeoutMs}ms`,
      '--retries',
      '0',
      '--scrape-timeout',
      '20s',
    ])
    try {
      const started = Date.now()
      const samples = parseExposition(await scrape(exporter.url, 60_000))
      const durationMs = Date.now() - started
      process.stdout.write(`outage: a scrape with --request-timeout ${requestTimeoutMs}ms --retries 0 took ${durationMs} ms\n`)
      // slurmrestd holds each request ~9 s: an exporter that waited for it would take that long.
      expect(durationMs).toBeLessThan(requestTimeoutMs + SLACK_MS)
      const up = Object.fromEntries(series(samples, 'slurm_exporter_collector_up', (l) => l.collector as string))
      expect(Object.values(up).length).toBeGreaterThan(0)
      expect(Object.entries(up).filter(([, v]) => v !== 0)).toEqual([])
      expect(samples.filter((s) => s.name === 'slurm_node_cpus')).toEqual([])
    } finally {
      await exporter.stop()
    }
  }, 120_000)

  test('with its default flags, a scrape ends within the scrape timeout (10 s), not retrying past it', async () => {
    const exporter = await startExporterProcess(slurmArgs(slurm))
    try {
      const started = Date.now()
      const response = await fetch(`${exporter.url}/metrics`, { signal: AbortSignal.timeout(60_000) })
      await response.text()
      const durationMs = Date.now() - started
      process.stdout.write(`outage: a scrape with default flags took ${durationMs} ms (status ${response.status})\n`)
      expect(durationMs).toBeLessThan(10_000 + SLACK_MS)
    } finally {
      await exporter.stop()
    }
  }, 120_000)
})

if (skipReason !== undefined) test.skip(`slurmctld outage: ${skipReason}`, () => {})
