// The exporter against the real mock slurmrestd on 127.0.0.1: values agree with the generated
// cluster, and faults injected by the mock (per endpoint, through a header-adding proxy) leave
// the other collectors' metrics in place.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { FAULT_HEADER, startMockSlurm, type MockSlurm } from '../../../testbed/mock-slurm/index.ts'
import { startExporter, type ExporterOptions } from '../../../testbed/exporter/index.ts'

let mock: MockSlurm
beforeAll(async () => {
  mock = await startMockSlurm({ nodes: 64, jobs: 400, seed: 7, frozenClock: true, logLevel: 'error' })
})
afterAll(async () => {
  await mock.close()
})

function auth(): ExporterOptions['auth'] {
  return { kind: 'user-token', user: 'root', token: mock.token('root', 3600) }
}

async function scrapeOnce(options: Partial<ExporterOptions> & { slurmUrl: string }): Promise<{ text: string; ms: number }> {
  const exporter = await startExporter({ auth: auth(), retryBaseDelayMs: 1, ...options })
  try {
    const startMs = performance.now()
    const text = await (await request(`${exporter.url}/metrics`)).body.text()
    return { text, ms: performance.now() - startMs }
  } finally {
    await exporter.close()
  }
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

/** faultProxy forwards to the mock, adding the mock's fault header to requests for one endpoint. */
async function faultProxy(endpoint: string, fault: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host') headers[k] = v
    if ((req.url ?? '').split('?')[0]!.endsWith(`/${endpoint}`)) headers[FAULT_HEADER] = fault
    request(mock.url + (req.url ?? '/'), { headers })
      .then(async (upstream) => {
        res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? 'application/json') })
        for await (const chunk of upstream.body) res.write(chunk)
        res.end()
      })
      .catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

describe('exporter against the mock slurmrestd', () => {
  for (const apiVersion of ['v0.0.42', 'v0.0.43', 'v0.0.44'] as const) {
    it(`counts the generated cluster's nodes and jobs through ${apiVersion}`, async () => {
      const { text } = await scrapeOnce({ slurmUrl: mock.url, apiVersion })
      for (const collector of ['nodes', 'jobs', 'partitions', 'diag', 'shares', 'licenses', 'reservations']) {
        expect(sample(text, `slurm_exporter_collector_up{collector="${collector}"}`), collector).toBe(1)
      }
      expect(sample(text, 'slurm_cluster_nodes')).toBe(64)
      const jobLines = text.split('\n').filter((l) => l.startsWith('slurm_jobs{'))
      expect(jobLines.reduce((sum, l) => sum + Number(l.split(' ')[1]), 0)).toBe(400)
    })
  }

  it('fails every collector, and says so, when the token is refused', async () => {
    const { text } = await scrapeOnce({ slurmUrl: mock.url, auth: { kind: 'user-token', user: 'root', token: 'fail' } })
    expect(sample(text, 'slurm_exporter_collection_errors_total{collector="jobs"}')).toBe(1)
    expect(sample(text, 'slurm_exporter_collector_up{collector="nodes"}')).toBe(0)
    expect(text).not.toContain('slurm_cluster_nodes')
  })

  const faults: [string, string][] = [
    ['HTTP 503 errors', 'error-rate=1;error-status=503'],
    ['a body cut in the middle', 'truncate-rate=1'],
    ['a connection reset', 'reset-rate=1'],
    ['a Slurm error in the envelope', 'slurm-error-rate=1'],
    ['a hang past the deadline', 'hang-rate=1'],
  ]
  for (const [name, fault] of faults) {
    it(`keeps the other collectors when /jobs meets ${name}`, async () => {
      const proxy = await faultProxy('jobs', fault)
      try {
        const { text, ms } = await scrapeOnce({ slurmUrl: proxy.url, scrapeTimeoutMs: 1_500, requestTimeoutMs: 500 })
        expect(ms).toBeLessThan(4_000)
        expect(sample(text, 'slurm_exporter_collection_errors_total{collector="jobs"}')).toBe(1)
        expect(sample(text, 'slurm_exporter_collection_errors_total{collector="nodes"}')).toBe(0)
        expect(sample(text, 'slurm_cluster_nodes')).toBe(64)
        expect(text).not.toContain('slurm_jobs{')
      } finally {
        await proxy.close()
      }
    })
  }
})
