// Collection modes end to end over HTTP, slurmrestd intercepted by undici's MockAgent: auto mode
// stays on demand while collections are fast and moves to the background after a slow one; the
// served data's age and the mode are visible; failed collectors still count in the background.

import { afterEach, describe, expect, it } from 'vitest'
import { request } from 'undici'
import { startExporter, type ExporterOptions, type ModeSwitch, type RunningExporter } from '../../../testbed/exporter/index.ts'
import { healthyAnswers, interceptSlurm, SLURM_ORIGIN, type Answer } from './slurm-answers.ts'

const running: RunningExporter[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()))
})

async function start(answers: Record<string, Answer>, options: Partial<ExporterOptions> = {}) {
  const interception = interceptSlurm('v0.0.44', answers)
  const switches: ModeSwitch[] = []
  const exporter = await startExporter({
    slurmUrl: SLURM_ORIGIN,
    apiVersion: 'v0.0.44',
    dispatcher: interception.agent,
    retryBaseDelayMs: 1,
    // Each scrape's own collection is what these tests watch; the cache would hide it.
    cacheTtlMs: 0,
    onModeSwitch: (event) => switches.push(event),
    ...options,
  })
  running.push(exporter)
  return { exporter, switches, ...interception }
}

async function scrape(exporter: RunningExporter): Promise<string> {
  return (await request(`${exporter.url}/metrics`)).body.text()
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** until polls `condition` every 10 ms, failing after `limitMs`. */
async function until(condition: () => boolean, limitMs = 5_000): Promise<void> {
  const endMs = performance.now() + limitMs
  while (!condition()) {
    if (performance.now() > endMs) throw new Error('condition not reached')
    await sleep(10)
  }
}

/** slowAnswers delays partitions by `delayMs`, making every collection at least that long. */
function slowAnswers(delayMs: number): Record<string, Answer> {
  const answers = { ...healthyAnswers('v0.0.44') }
  answers['partitions'] = { ...answers['partitions']!, delayMs }
  return answers
}

describe('auto collection mode', () => {
  it('stays on demand while collections are fast: each scrape collects', async () => {
    const { exporter, switches } = await start(healthyAnswers('v0.0.44'))
    expect(exporter.mode()).toBe('on-demand')
    // The first scrape is answered by the start-up collection; each later one collects.
    const first = await scrape(exporter)
    expect(exporter.collections()).toBe(1)
    await scrape(exporter)
    const third = await scrape(exporter)
    expect(exporter.collections()).toBe(3)
    expect(sample(first, 'slurm_exporter_collections_total{collector="jobs"}')).toBe(1)
    expect(sample(third, 'slurm_exporter_collections_total{collector="jobs"}')).toBe(3)
    expect(sample(third, 'slurm_exporter_collection_mode{mode="on-demand"}')).toBe(1)
    expect(sample(third, 'slurm_exporter_collection_mode{mode="background"}')).toBe(0)
    expect(switches).toEqual([])
    expect(exporter.mode()).toBe('on-demand')
  })

  it('moves to the background after a collection longer than half the scrape timeout, and reports it once', async () => {
    // 300 ms collections against a 400 ms scrape timeout: the 200 ms threshold is passed by the
    // start-up collection, before any scrape waits.
    // The long refresh interval keeps the next background collection away: scrapes must not collect.
    const { exporter, switches } = await start(slowAnswers(300), { collectionMode: 'auto', scrapeTimeoutMs: 400, refreshIntervalMs: 60_000 })
    await until(() => exporter.mode() === 'background')
    expect(switches).toEqual([{ collectionMs: expect.any(Number), thresholdMs: 200, refreshIntervalMs: 60_000 }])
    expect(switches[0]!.collectionMs).toBeGreaterThan(200)
    const text = await scrape(exporter)
    await Promise.all([scrape(exporter), scrape(exporter), scrape(exporter), scrape(exporter)])
    await scrape(exporter)
    expect(exporter.collections()).toBe(1)
    expect(sample(text, 'slurm_exporter_collection_mode{mode="background"}')).toBe(1)
    expect(sample(text, 'slurm_exporter_collection_mode{mode="on-demand"}')).toBe(0)
    expect(sample(text, 'slurm_cluster_nodes')).toBe(8)
    expect(sample(text, 'slurm_exporter_collection_duration_seconds')).toBeGreaterThan(0.2)
  })

  it('then collects continuously and reports the switch once', async () => {
    const { exporter, switches } = await start(slowAnswers(100), { collectionMode: 'auto', scrapeTimeoutMs: 150, refreshIntervalMs: 10 })
    await until(() => exporter.collections() >= 4)
    // Every background collection is as slow as the first; the switch is reported once.
    expect(switches).toHaveLength(1)
    const text = await scrape(exporter)
    expect(sample(text, 'slurm_exporter_collections_total{collector="nodes"}')).toBeGreaterThanOrEqual(3)
    expect(sample(text, 'slurm_exporter_collection_mode{mode="background"}')).toBe(1)
  })

  it('still counts failed collectors per collector after moving to the background', async () => {
    const answers = slowAnswers(300)
    answers['jobs'] = { status: 503, body: 'Service Unavailable', contentType: 'text/plain' }
    const errors: string[] = []
    const { exporter } = await start(answers, {
      collectionMode: 'auto',
      scrapeTimeoutMs: 400,
      refreshIntervalMs: 10,
      retries: 0,
      onCollectorError: (collector) => errors.push(collector),
    })
    await until(() => exporter.mode() === 'background' && exporter.collections() >= 3)
    // jobs backs off after each failure (0.5–1 s after the first): wait for its second run.
    let text = await scrape(exporter)
    for (const endMs = performance.now() + 5_000; sample(text, 'slurm_exporter_collections_total{collector="jobs"}')! < 2 && performance.now() < endMs; ) {
      await sleep(50)
      text = await scrape(exporter)
    }
    const runs = sample(text, 'slurm_exporter_collections_total{collector="jobs"}')!
    expect(runs).toBeGreaterThanOrEqual(2)
    // Fewer runs than collections: the backoff skipped jobs in some of them.
    expect(runs).toBeLessThan(exporter.collections())
    expect(sample(text, 'slurm_exporter_collection_errors_total{collector="jobs"}')).toBe(runs)
    expect(sample(text, 'slurm_exporter_collector_up{collector="jobs"}')).toBe(0)
    expect(sample(text, 'slurm_exporter_collection_errors_total{collector="nodes"}')).toBe(0)
    expect(sample(text, 'slurm_exporter_collector_up{collector="partitions"}')).toBe(1)
    expect(sample(text, 'slurm_cluster_nodes')).toBe(8)
    expect(text).not.toContain('slurm_jobs{')
    // The same failure, run after run, is reported once.
    expect(errors).toEqual(['jobs'])
  })

  it('stays on demand when a collector fails at the scrape deadline with no answer (a hung request, slurmctld down)', async () => {
    // jobs sends nothing before the 400 ms deadline: that says nothing about how long data takes
    // to read, so one such scrape must not move the exporter to the background for good.
    const answers = healthyAnswers('v0.0.44')
    answers['jobs'] = { ...answers['jobs']!, delayMs: 600 }
    const { exporter, switches } = await start(answers, { collectionMode: 'auto', scrapeTimeoutMs: 400, requestTimeoutMs: 300, refreshIntervalMs: 10 })
    await scrape(exporter)
    const text = await scrape(exporter)
    expect(sample(text, 'slurm_exporter_collector_up{collector="jobs"}')).toBe(0)
    expect(sample(text, 'slurm_exporter_collector_up{collector="nodes"}')).toBe(1)
    expect(switches).toEqual([])
    expect(exporter.mode()).toBe('on-demand')
  })
})

describe('background collection', () => {
  it('pauses for the cache TTL between collections unless --refresh-interval says otherwise', async () => {
    const { exporter } = await start(healthyAnswers('v0.0.44'), { collectionMode: 'background', cacheTtlMs: 1_500 })
    await scrape(exporter)
    // Past the 1 s minimum pause, before the 1.5 s TTL: still the first collection.
    await sleep(1_200)
    expect(exporter.collections()).toBe(1)
    await until(() => exporter.collections() >= 2, 5_000)
  })

  it('is bound by the background timeout, not by the scrape or request timeout', async () => {
    const options = { scrapeTimeoutMs: 200, requestTimeoutMs: 150, refreshIntervalMs: 60_000 }
    const background = await start(slowAnswers(300), { ...options, collectionMode: 'background' })
    const text = await scrape(background.exporter)
    expect(sample(text, 'slurm_exporter_collector_up{collector="partitions"}')).toBe(1)
    // The same answers on demand miss the scrape deadline.
    const onDemand = await start(slowAnswers(300), { ...options, collectionMode: 'on-demand' })
    const late = await scrape(onDemand.exporter)
    expect(sample(late, 'slurm_exporter_collector_up{collector="partitions"}')).toBe(0)
  })

  it('reports the age of the data served, rising between collections', async () => {
    const { exporter } = await start(healthyAnswers('v0.0.44'), { collectionMode: 'background', refreshIntervalMs: 60_000 })
    const first = await scrape(exporter)
    await sleep(1_100)
    const second = await scrape(exporter)
    expect(exporter.collections()).toBe(1)
    const firstAgeS = sample(first, 'slurm_exporter_collection_age_seconds')!
    const secondAgeS = sample(second, 'slurm_exporter_collection_age_seconds')!
    // The age counts from the start of the collection, so it is at least its duration.
    expect(firstAgeS).toBeGreaterThanOrEqual(sample(first, 'slurm_exporter_collection_duration_seconds')!)
    expect(secondAgeS - firstAgeS).toBeGreaterThanOrEqual(1)
    expect(sample(second, 'slurm_exporter_collection_duration_seconds')).toBe(sample(first, 'slurm_exporter_collection_duration_seconds'))
  })

  it('in on-demand mode, the data served is as old as its collection', async () => {
    const { exporter } = await start(slowAnswers(200), { collectionMode: 'on-demand' })
    expect(exporter.collections()).toBe(0)
    const text = await scrape(exporter)
    expect(exporter.collections()).toBe(1)
    const ageS = sample(text, 'slurm_exporter_collection_age_seconds')!
    expect(ageS).toBeGreaterThanOrEqual(0.2)
    expect(ageS).toBeGreaterThanOrEqual(sample(text, 'slurm_exporter_collection_duration_seconds')!)
    expect(sample(text, 'slurm_exporter_collection_mode{mode="on-demand"}')).toBe(1)
  })
})
