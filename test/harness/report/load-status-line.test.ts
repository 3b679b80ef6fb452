// Progress while a load test runs: the live status line of a terminal, and the plain lines of a
// CI log — how often they come and what they say.
import { describe, expect, it } from 'vitest'
import type { LiveStatus } from '../../../harness/load/run.ts'
import { formatStatusLine, ProgressLog, progressIntervalMs, wantsPlainProgress } from '../../../harness/report/load-status-line.ts'

function status(elapsedMs: number, plannedMs: number, totalRequests: number, extra: Partial<LiveStatus> = {}): LiveStatus {
  return {
    elapsedMs,
    plannedMs,
    vus: 10,
    target: 10,
    requestsPerSecond: 210,
    p95Ms: 42.3,
    errorRatio: 0,
    totalRequests,
    totalFailed: 0,
    ...extra,
  }
}

describe('formatStatusLine', () => {
  it('shows progress, VUs, throughput, p95 and errors on one line', () => {
    const line = formatStatusLine('stress', 'closed', {
      elapsedMs: 65_000,
      plannedMs: 900_000,
      vus: 73,
      target: 73.4,
      requestsPerSecond: 412.4,
      p95Ms: 83.21,
      errorRatio: 0.0002,
      totalRequests: 10_000,
      totalFailed: 2,
    })
    expect(line).toBe('stress 1m5s/15m0s  VUs 73/73  412 req/s  p95 83.2ms  errors 2 (0.02%)')
    expect(line).not.toContain('\n')
  })
})

describe('plain progress', () => {
  it('is chosen in CI and whenever stderr is not a terminal', () => {
    expect(wantsPlainProgress({}, true)).toBe(false)
    expect(wantsPlainProgress({}, false)).toBe(true)
    expect(wantsPlainProgress({ CI: 'true' }, true)).toBe(true)
    expect(wantsPlainProgress({ CI: 'false' }, true)).toBe(false)
  })

  it('comes about 20 times a run, 1 s to 30 s apart', () => {
    expect(progressIntervalMs(6_000)).toBe(1_000)
    expect(progressIntervalMs(100_000)).toBe(5_000)
    expect(progressIntervalMs(600_000)).toBe(30_000)
    expect(progressIntervalMs(3_600_000)).toBe(30_000)
  })

  it('prints one line per interval with the time elapsed and left, and the rate since the last line', () => {
    // A 10-minute baseline: a line every 30 s from the once-a-second statuses.
    const log = new ProgressLog('baseline', 'closed', 600_000)
    const lines: string[] = []
    for (let s = 1; s <= 600; s++) {
      // The status tick lands a few ms late, sometimes a few ms early.
      const line = log.next(status(s * 1000 + ((s % 3) - 1) * 4, 600_000, s * 200))
      if (line !== undefined) lines.push(line)
    }
    expect(lines).toHaveLength(20)
    expect(lines[0]).toBe('load baseline: 30s of 10m0s, ~9m30s left  VUs 10/10  200 req/s  p95 42.3ms  errors 0')
    expect(lines[1]).toMatch(/^load baseline: 1m0s of 10m0s, ~9m0s left {2}/)
    expect(lines.at(-1)).toMatch(/^load baseline: 10m0s of 10m0s, stopping/)
  })

  it('says when the run is past its plan, in its graceful stop', () => {
    const log = new ProgressLog('spike', 'open', 2_000)
    expect(log.next(status(500, 2_000, 10))).toBeUndefined()
    expect(log.next(status(1_000, 2_000, 20, { vus: 3, target: 50 }))).toBe(
      'load spike: 1s of 2s, ~1s left  in flight 3, target 50.0/s  20 req/s  p95 42.3ms  errors 0',
    )
    expect(log.next(status(3_000, 2_000, 40, { totalFailed: 4, errorRatio: 0.1 }))).toMatch(/stopping .* 10 req\/s .* errors 4 \(10\.00%\)$/)
  })
})
