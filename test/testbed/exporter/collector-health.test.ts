import { describe, expect, it } from 'vitest'
import { BACKOFF_BASE_MS, BACKOFF_MAX_MS, CollectorHealth, DeadlineError } from '../../../testbed/exporter/collector-health.ts'
import { SlurmRequestError } from '../../../testbed/exporter/slurm-client.ts'

function clock(): { nowMs: number; read: () => number } {
  const c = { nowMs: 0, read: () => c.nowMs }
  return c
}

const outage = (endpoint: string) =>
  new SlurmRequestError('http', `/slurm/v0.0.42/${endpoint}`, 'HTTP 502, Slurm error 1800 Unable to contact slurm controller (connect failure)', 502)

describe('collector health', () => {
  it('backs off exponentially with jitter, capped, and asks again once the pause is over', () => {
    const c = clock()
    let random = 1 // the longest pause: jitter draws from 0.5–1 of it
    const health = new CollectorHealth(['jobs'], c.read, () => random)
    const pauses: number[] = []
    for (let i = 0; i < 10; i++) {
      expect(health.due('jobs')).toBe(true)
      const before = c.nowMs
      health.failed('jobs', outage('jobs'))
      while (!health.due('jobs')) c.nowMs += 10
      pauses.push(c.nowMs - before)
    }
    expect(pauses.slice(0, 4)).toEqual([BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS, 4 * BACKOFF_BASE_MS, 8 * BACKOFF_BASE_MS])
    expect(pauses.at(-1)).toBe(BACKOFF_MAX_MS)
    random = 0
    health.failed('jobs', outage('jobs'))
    c.nowMs += BACKOFF_MAX_MS / 2
    expect(health.due('jobs')).toBe(true)
  })

  it('reports a failure when it starts or changes, not at every run, and the recovery once', () => {
    const c = clock()
    const health = new CollectorHealth(['nodes', 'jobs'], c.read, () => 0.5)
    expect(health.failed('nodes', outage('nodes'))).toMatchObject({ collector: 'nodes', failures: 1 })
    // The same failure from another endpoint or a later run is the same state.
    expect(health.failed('nodes', outage('nodes'))).toBeUndefined()
    const timeout = new SlurmRequestError('timeout', '/slurm/v0.0.42/nodes', 'request timed out')
    expect(health.failed('nodes', timeout)).toMatchObject({ failures: 3 })
    c.nowMs = 5_000
    expect(health.succeeded('nodes')).toEqual({ collector: 'nodes', failures: 3, failingMs: 5_000 })
    expect(health.succeeded('nodes')).toBeUndefined()
    expect(health.due('nodes')).toBe(true)
  })

  it('is not ready until every collector has succeeded, and names why each is not', () => {
    const health = new CollectorHealth(
      ['nodes', 'jobs'],
      () => 0,
      () => 0.5,
    )
    expect(health.ran()).toBe(false)
    expect(health.notReady()).toEqual([
      { collector: 'nodes', reason: 'no collection has succeeded yet' },
      { collector: 'jobs', reason: 'no collection has succeeded yet' },
    ])
    health.succeeded('nodes')
    health.failed('jobs', outage('jobs'))
    expect(health.notReady()).toEqual([{ collector: 'jobs', reason: 'HTTP 502, Slurm error 1800 Unable to contact slurm controller (connect failure)' }])
    health.succeeded('jobs')
    expect(health.notReady()).toEqual([])
  })

  it('takes the request timeout and the scrape deadline for one failure, and reports each by its own words', () => {
    const health = new CollectorHealth(
      ['jobs'],
      () => 0,
      () => 0.5,
    )
    const deadline = new DeadlineError('scrape deadline of 1000 ms passed')
    expect(health.failed('jobs', deadline)).toMatchObject({ failures: 1 })
    expect(health.notReady()).toEqual([{ collector: 'jobs', reason: 'scrape deadline of 1000 ms passed' }])
    // Whichever timer fires first under load, a hung slurmrestd is one failure, logged once.
    expect(health.failed('jobs', new SlurmRequestError('timeout', '/slurm/v0.0.44/jobs', 'request timed out'))).toBeUndefined()
    expect(health.failed('jobs', new SlurmRequestError('timeout', '/slurm/v0.0.44/jobs', 'scrape deadline passed'))).toBeUndefined()
    expect(health.notReady()).toEqual([{ collector: 'jobs', reason: 'scrape deadline passed' }])
    expect(health.failed('jobs', outage('jobs'))).toMatchObject({ failures: 4 })
  })

  it('does not back off a collector whose failure is not slurmrestd’s (cut off mid-answer)', () => {
    const health = new CollectorHealth(
      ['jobs'],
      () => 0,
      () => 1,
    )
    health.failed('jobs', new Error('scrape deadline of 10000 ms passed'), false)
    expect(health.due('jobs')).toBe(true)
  })
})
