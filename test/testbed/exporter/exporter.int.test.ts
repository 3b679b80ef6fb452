// The exporter end to end over HTTP, with slurmrestd intercepted by undici's MockAgent:
// real captured answers for v0.0.41–v0.0.44, and each fault slurmrestd can throw at it.

import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { startExporter, type ExporterOptions, type RunningExporter } from '../../../testbed/exporter/index.ts'
import { fixture, healthyAnswers, interceptSlurm, SLURM_ORIGIN, type Answer } from './slurm-answers.ts'

const running: RunningExporter[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()))
})

async function start(
  version: 'v0.0.41' | 'v0.0.42' | 'v0.0.43' | 'v0.0.44',
  answers: Record<string, Answer | ((attempt: number) => Answer)>,
  options: Partial<ExporterOptions> = {},
) {
  const interception = interceptSlurm(version, answers)
  // These tests look at what each scrape collects, so the cache is off unless a test turns it on.
  const exporter = await startExporter({
    slurmUrl: SLURM_ORIGIN,
    apiVersion: version,
    dispatcher: interception.agent,
    retryBaseDelayMs: 1,
    cacheTtlMs: 0,
    ...options,
  })
  running.push(exporter)
  return { exporter, ...interception }
}

async function scrape(exporter: RunningExporter, accept?: string): Promise<{ status: number; contentType: string; text: string; ms: number }> {
  const startMs = performance.now()
  const response = await request(`${exporter.url}/metrics`, { headers: accept ? { accept } : {} })
  const text = await response.body.text()
  return { status: response.statusCode, contentType: String(response.headers['content-type']), text, ms: performance.now() - startMs }
}

/** sample returns the value of the series `name{labels}` in a text exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe('exporter on captured slurmrestd answers', () => {
  for (const version of ['v0.0.41', 'v0.0.42', 'v0.0.43', 'v0.0.44'] as const) {
    it(`reads every collector from ${version}`, async () => {
      const { exporter, requests } = await start(version, healthyAnswers(version))
      const { status, contentType, text } = await scrape(exporter)
      expect(status).toBe(200)
      expect(contentType).toBe('text/plain; version=0.0.4; charset=utf-8')
      const nodes = (JSON.parse(fixture(`${version}-slurm-nodes.json`)) as { nodes: { cpus: number }[] }).nodes
      expect(sample(text, 'slurm_cluster_nodes')).toBe(nodes.length)
      expect(sample(text, 'slurm_cluster_cpus')).toBe(nodes.reduce((sum, n) => sum + n.cpus, 0))
      const jobs = (JSON.parse(fixture(`${version}-slurm-jobs.json`)) as { jobs: { job_state: string[] }[] }).jobs
      const states = new Map<string, number>()
      for (const job of jobs) states.set(job.job_state[0]!.toLowerCase(), (states.get(job.job_state[0]!.toLowerCase()) ?? 0) + 1)
      for (const [state, count] of states) expect(sample(text, `slurm_jobs{state="${state}"}`)).toBe(count)
      expect(text).toContain('slurm_partition_up{partition=')
      expect(sample(text, 'slurm_scheduler_cycles_total')).toBe(162)
      expect(sample(text, 'slurm_share_fairshare_factor{account="physics",user="alice",partition=""}')).toBe(0.75)
      expect(sample(text, 'slurm_license_free{license="matlab"}')).toBe(15)
      for (const collector of ['nodes', 'jobs', 'partitions', 'diag', 'shares', 'licenses', 'reservations']) {
        expect(sample(text, `slurm_exporter_collections_total{collector="${collector}"}`)).toBe(1)
        expect(sample(text, `slurm_exporter_collection_errors_total{collector="${collector}"}`)).toBe(0)
        expect(sample(text, `slurm_exporter_scrape_duration_seconds_count{collector="${collector}"}`)).toBe(1)
      }
      expect(new Set(requests.map((r) => r.path))).toEqual(
        new Set(['nodes', 'jobs', 'partitions', 'diag', 'shares', 'licenses', 'reservations'].map((e) => `/slurm/${version}/${e}`)),
      )
    })
  }

  it('exposes GPUs from gres per node, per partition and for the cluster', async () => {
    const answers = healthyAnswers('v0.0.44')
    const gpuNode = JSON.parse(fixture('v0.0.44-slurm-node-with-gpus-model-allocated.json')) as { nodes: { name: string; partitions: string[] }[] }
    answers['nodes'] = { status: 200, body: JSON.stringify(gpuNode) }
    const { exporter } = await start('v0.0.44', answers)
    const { text } = await scrape(exporter)
    const node = gpuNode.nodes[0]!
    // gres "gpu:h100:4", gres_used "gpu:h100:4(IDX:0-3)"
    expect(sample(text, `slurm_node_gpus{node="${node.name}",type="h100"}`)).toBe(4)
    expect(sample(text, `slurm_node_gpus_alloc{node="${node.name}",type="h100"}`)).toBe(4)
    expect(sample(text, 'slurm_cluster_gpus')).toBe(4)
    expect(sample(text, `slurm_partition_gpus_alloc{partition="${node.partitions[0]}"}`)).toBe(4)
  })

  it('sends the configured JWT headers: X-SLURM-USER-NAME/TOKEN or Bearer', async () => {
    const a = await start('v0.0.44', healthyAnswers('v0.0.44'), { auth: { kind: 'user-token', user: 'slurm', token: 'jwt-a' }, collectors: ['partitions'] })
    await scrape(a.exporter)
    expect(a.requests[0]!.headers['x-slurm-user-name']).toBe('slurm')
    expect(a.requests[0]!.headers['x-slurm-user-token']).toBe('jwt-a')
    const b = await start('v0.0.44', healthyAnswers('v0.0.44'), { auth: { kind: 'bearer', token: 'jwt-b' }, collectors: ['partitions'] })
    await scrape(b.exporter)
    expect(b.requests[0]!.headers['authorization']).toBe('Bearer jwt-b')
  })

  it('answers OpenMetrics when the Accept header asks for it', async () => {
    const { exporter } = await start('v0.0.44', healthyAnswers('v0.0.44'))
    const { contentType, text } = await scrape(exporter, 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5')
    expect(contentType).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8')
    expect(text.endsWith('# EOF\n')).toBe(true)
    // Counter families drop _total in TYPE; their samples keep it.
    expect(text).toContain('# TYPE slurm_exporter_collections counter\n')
    expect(text).toContain('slurm_exporter_collections_total{collector="nodes"} 1\n')
  })

  it('answers gzip when asked, as Prometheus does, with the same text as plain answers', async () => {
    const { exporter } = await start('v0.0.44', healthyAnswers('v0.0.44'), { cacheTtlMs: 60_000 })
    const plain = await scrape(exporter)
    const response = await request(`${exporter.url}/metrics`, { headers: { 'accept-encoding': 'gzip' } })
    expect(response.headers['content-encoding']).toBe('gzip')
    expect(response.headers['vary']).toBe('accept-encoding')
    const text = gunzipSync(Buffer.from(await response.body.arrayBuffer())).toString()
    // Served from the same collection: only the per-answer families may differ.
    const collected = (t: string): string => t.slice(0, t.indexOf('# HELP slurm_exporter_collection_age_seconds'))
    expect(collected(text)).toBe(collected(plain.text))
    expect(text).toContain('# TYPE nodejs_heap_size_used_bytes gauge\n')
  })

  it('shares one collection among concurrent scrapes and reuses it within the cache TTL', async () => {
    // A slow answer keeps the first collection in flight while the other scrapes arrive.
    const slow = { ...healthyAnswers('v0.0.44') }
    slow['partitions'] = { ...slow['partitions']!, delayMs: 300 }
    const { exporter } = await start('v0.0.44', slow)
    const answers = await Promise.all([scrape(exporter), scrape(exporter), scrape(exporter), scrape(exporter)])
    expect(answers.every((a) => a.status === 200)).toBe(true)
    expect(exporter.collections()).toBe(1)
    await scrape(exporter)
    expect(exporter.collections()).toBe(2)

    // The default TTL (5 s) serves scrapes that follow one another closely from one collection.
    const cached = await start('v0.0.44', healthyAnswers('v0.0.44'), { cacheTtlMs: undefined })
    const first = await scrape(cached.exporter)
    const second = await scrape(cached.exporter)
    expect(cached.exporter.collections()).toBe(1)
    // The same collection; only the per-answer families (data age, mode, process) are fresh.
    const collected = (text: string): string => text.slice(0, text.indexOf('# HELP slurm_exporter_collection_age_seconds'))
    expect(collected(second.text)).toBe(collected(first.text))
    expect(sample(second.text, 'slurm_exporter_collection_age_seconds')).toBeGreaterThanOrEqual(sample(first.text, 'slurm_exporter_collection_age_seconds')!)
  })

  it('after the TTL, the scrape that collects waits while those arriving meanwhile get the previous collection', async () => {
    const slow = { ...healthyAnswers('v0.0.44') }
    slow['partitions'] = { ...slow['partitions']!, delayMs: 300 }
    const { exporter } = await start('v0.0.44', slow, { cacheTtlMs: 200 })
    await scrape(exporter)
    await new Promise((resolve) => setTimeout(resolve, 250))
    const collecting = scrape(exporter)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const meanwhile = await scrape(exporter)
    const fresh = await collecting
    expect(exporter.collections()).toBe(2)
    expect(meanwhile.ms).toBeLessThan(fresh.ms)
    expect(fresh.ms).toBeGreaterThanOrEqual(250)
    // The previous collection is older than the one the collecting scrape waited for.
    const age = (text: string) => sample(text, 'slurm_exporter_collection_age_seconds')!
    expect(age(meanwhile.text)).toBeGreaterThan(age(fresh.text))
  })

  it('collects in the background and answers scrapes from the latest collection', async () => {
    const slow = { ...healthyAnswers('v0.0.44') }
    slow['partitions'] = { ...slow['partitions']!, delayMs: 300 }
    const { exporter } = await start('v0.0.44', slow, { refreshIntervalMs: 20 })
    // The first scrape waits for the first collection; later ones do not wait for slurmrestd.
    const first = await scrape(exporter)
    expect(sample(first.text, 'slurm_cluster_nodes')).toBe(8)
    // A collection is in flight (refreshing every 20 ms, each waiting 300 ms on partitions), yet
    // the scrape is answered from the latest one: it carries that collection's start, not a new one.
    const later = await scrape(exporter)
    expect(sample(later.text, 'slurm_exporter_collection_mode{mode="background"}')).toBe(1)
    expect(sample(later.text, 'slurm_exporter_collection_age_seconds')).toBeGreaterThanOrEqual(
      sample(later.text, 'slurm_exporter_collection_duration_seconds')!,
    )
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(exporter.collections()).toBeGreaterThanOrEqual(2)
  })

  it('caps families at the cardinality limit, counts what it drops, and filters by name', async () => {
    const { exporter } = await start('v0.0.44', healthyAnswers('v0.0.44'), { maxSeriesPerFamily: 3, deny: ['slurm_node_cpu_load', 'slurm_share_.*'] })
    const { text } = await scrape(exporter)
    // The capture has 8 nodes: 3 kept, 5 dropped.
    expect(text.split('\n').filter((l) => l.startsWith('slurm_node_cpus{'))).toHaveLength(3)
    expect(sample(text, 'slurm_exporter_cardinality_current{family="slurm_node_cpus"}')).toBe(3)
    expect(sample(text, 'slurm_exporter_dropped_series_total{family="slurm_node_cpus"}')).toBe(5)
    expect(text).not.toContain('slurm_node_cpu_load')
    expect(text).not.toContain('slurm_share_')
    const again = await scrape(exporter)
    expect(sample(again.text, 'slurm_exporter_dropped_series_total{family="slurm_node_cpus"}')).toBe(10)
  })

  it('serves /health, an index, and 404 elsewhere', async () => {
    const { exporter } = await start('v0.0.44', healthyAnswers('v0.0.44'))
    const health = await request(`${exporter.url}/health`)
    expect(health.statusCode).toBe(200)
    expect(await health.body.json()).toEqual({ status: 'ok' })
    const index = await request(`${exporter.url}/`)
    expect(await index.body.text()).toContain('/metrics')
    const missing = await request(`${exporter.url}/nope`)
    await missing.body.dump()
    expect(missing.statusCode).toBe(404)
  })
})

describe('exporter when slurmrestd fails', () => {
  const invalidToken = fixture('v0.0.44-slurm-jwt-invalid-token.json')
  const faults: [string, Answer][] = [
    ['HTTP 503', { status: 503, body: 'Service Unavailable', contentType: 'text/plain' }],
    ['invalid JSON', { status: 200, body: '{"jobs": [ {"job_id": 1, ' }],
    ['an expired or invalid token (HTTP 511)', { status: 511, body: invalidToken }],
    ['missing auth headers (HTTP 500 text)', { status: 500, body: 'Authentication does not apply to request', contentType: 'text/plain' }],
    ['a timeout', { status: 200, body: fixture('v0.0.44-slurm-jobs.json'), delayMs: 5_000 }],
  ]
  for (const [fault, answer] of faults) {
    it(`keeps the other collectors' metrics when jobs meets ${fault}`, async () => {
      const errors: string[] = []
      const answers: Record<string, Answer> = { ...healthyAnswers('v0.0.44'), jobs: answer }
      // On demand: each scrape collects under the scrape deadline (auto mode would move a
      // collection that reaches the deadline to the background; collection-mode.test.ts).
      const { exporter, requests } = await start('v0.0.44', answers, {
        collectionMode: 'on-demand',
        scrapeTimeoutMs: 1_000,
        requestTimeoutMs: 400,
        onCollectorError: (collector, error) => errors.push(`${collector}: ${error.message}`),
      })
      const first = await scrape(exporter)
      expect(first.status).toBe(200)
      // The deadline bounds the answer even when slurmrestd hangs.
      expect(first.ms).toBeLessThan(3_000)
      expect(sample(first.text, 'slurm_exporter_collection_errors_total{collector="jobs"}')).toBe(1)
      expect(sample(first.text, 'slurm_exporter_collector_up{collector="jobs"}')).toBe(0)
      expect(sample(first.text, 'slurm_exporter_collection_errors_total{collector="nodes"}')).toBe(0)
      expect(first.text).not.toContain('slurm_jobs{')
      expect(sample(first.text, 'slurm_cluster_nodes')).toBe(8)
      expect(first.text).toContain('slurm_partition_up{')
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatch(/^jobs: /)
      // The next scrape finds jobs backing off (0.5–1 s after a first failure): no request, no new line.
      const jobsRequests = requests.filter((r) => r.path.endsWith('/jobs')).length
      const second = await scrape(exporter)
      expect(sample(second.text, 'slurm_exporter_collection_errors_total{collector="jobs"}')).toBe(1)
      expect(sample(second.text, 'slurm_exporter_collector_up{collector="jobs"}')).toBe(0)
      expect(requests.filter((r) => r.path.endsWith('/jobs'))).toHaveLength(jobsRequests)
      // After the backoff it asks again; the same failure is not logged twice.
      await new Promise((resolve) => setTimeout(resolve, 1_050))
      const third = await scrape(exporter)
      expect(sample(third.text, 'slurm_exporter_collection_errors_total{collector="jobs"}')).toBe(2)
      expect(errors).toHaveLength(1)
    })
  }

  it('retries a 502 GET and succeeds on the next attempt', async () => {
    const good = healthyAnswers('v0.0.44')
    const { exporter, requests } = await start('v0.0.44', {
      ...good,
      nodes: (attempt) => (attempt === 0 ? { status: 502, body: 'bad gateway', contentType: 'text/plain' } : good['nodes']!),
    })
    const { text } = await scrape(exporter)
    expect(sample(text, 'slurm_exporter_collection_errors_total{collector="nodes"}')).toBe(0)
    expect(sample(text, 'slurm_cluster_nodes')).toBe(8)
    expect(requests.filter((r) => r.path.endsWith('/nodes'))).toHaveLength(2)
  })

  it('retries neither an authentication failure nor a 500, and quotes the status and Slurm error', async () => {
    const errors: string[] = []
    const { exporter, requests } = await start(
      'v0.0.44',
      {
        ...healthyAnswers('v0.0.44'),
        nodes: { status: 511, body: invalidToken },
        diag: { status: 500, body: 'Authentication does not apply to request', contentType: 'text/plain' },
        shares: { status: 500, body: JSON.stringify({ errors: [{ error_number: -1, error: 'Unspecified error', description: 'x' }] }) },
      },
      { auth: { kind: 'user-token', user: 'root', token: 't' }, onCollectorError: (collector, error) => errors.push(`${collector}: ${error.message}`) },
    )
    const { text } = await scrape(exporter)
    expect(sample(text, 'slurm_exporter_collection_errors_total{collector="nodes"}')).toBe(1)
    for (const endpoint of ['nodes', 'diag', 'shares']) expect(requests.filter((r) => r.path.endsWith(`/${endpoint}`))).toHaveLength(1)
    expect(errors.sort()).toEqual([
      'diag: GET /slurm/v0.0.44/diag: HTTP 500, Authentication does not apply to request',
      'nodes: GET /slurm/v0.0.44/nodes: HTTP 511, Slurm error 1007 Protocol authentication error: Unable to query jobs',
      'shares: GET /slurm/v0.0.44/shares: HTTP 500, Slurm error -1 Unspecified error: x',
    ])
  })

  it('says how to give a token when slurmrestd wants one and none is configured', async () => {
    const errors: string[] = []
    const { exporter } = await start(
      'v0.0.44',
      { ...healthyAnswers('v0.0.44'), partitions: { status: 401, body: 'Authentication failure', contentType: 'text/plain' } },
      { collectors: ['partitions'], onCollectorError: (_collector, error) => errors.push(error.message) },
    )
    await scrape(exporter)
    expect(errors).toEqual(['GET /slurm/v0.0.44/partitions: HTTP 401, Authentication failure (no token configured: set --token-file, --token or SLURM_JWT)'])
  })

  it('counts slurmrestd warnings and reports each text once', async () => {
    const warned: string[] = []
    const shares = JSON.parse(healthyAnswers('v0.0.44')['shares']!.body) as Record<string, unknown>
    shares['warnings'] = [{ description: 'Shares list is empty because slurm accounting storage is disabled.', source: 'slurm_get_shares' }]
    const { exporter } = await start(
      'v0.0.44',
      { ...healthyAnswers('v0.0.44'), shares: { status: 200, body: JSON.stringify(shares) } },
      { onWarning: (path, warning) => warned.push(`${path}: ${warning}`) },
    )
    await scrape(exporter)
    const { text } = await scrape(exporter)
    expect(sample(text, 'slurm_exporter_slurmrestd_warnings_total{endpoint="shares"}')).toBe(2)
    expect(warned).toEqual(['/slurm/v0.0.44/shares: slurm_get_shares: Shares list is empty because slurm accounting storage is disabled.'])
  })
})
