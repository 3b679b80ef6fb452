// The executors against real node:http servers on 127.0.0.1: closed and open models, the
// coordinated-omission correction, target failures and early stops.
import { afterEach, describe, expect, it } from 'vitest'
import { expectedArrivals } from '../../../harness/load/arrivals.ts'
import type { LoadPlan } from '../../../harness/load/plan.ts'
import { runLoad } from '../../../harness/load/run.ts'
import { StopSignal } from '../../../harness/load/stop-signal.ts'
import { after, ok, startServer, type Handler, type TestServer } from './servers.ts'
import { closedPlan, openPlan, REQUEST } from './plans.ts'

const servers: TestServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function serve(handler: Handler): Promise<TestServer> {
  const server = await startServer(handler)
  servers.push(server)
  return server
}

function run(plan: LoadPlan, url: string, stop = new StopSignal()) {
  return runLoad({ plan, shard: { index: 1, count: 1 }, url: new URL(url), rules: [], targetPid: undefined, stop })
}

/** countAbove counts recorded latencies above `ms`. */
function countAbove(histogram: { getValueAtPercentile(p: number): number; totalCount: number }, ms: number): number {
  // Walk percentiles finely enough for these small counts.
  let above = 0
  for (let i = 0; i < histogram.totalCount; i++) {
    if (histogram.getValueAtPercentile(((i + 0.5) / histogram.totalCount) * 100) > ms * 1e3) above++
  }
  return above
}

describe('closed model', () => {
  it('constant VUs each wait for their response; think time lowers the rate', async () => {
    const server = await serve(after(20))
    const busy = await run(closedPlan(5, [[1000, 5]]), server.url)
    expect(server.peakConcurrency()).toBe(5)
    expect(busy.observations.vusMax).toBe(5)
    expect(busy.observations.counts.failed).toBe(0)
    expect(busy.observations.counts.requests).toBeGreaterThan(20)
    const thinking = await run(closedPlan(5, [[1000, 5]], { thinkTimeMinNs: 250e6, thinkTimeMaxNs: 350e6 }), server.url)
    // 20 ms per iteration vs 20 + ~300 ms: several times fewer requests, measured in the same run.
    expect(thinking.observations.counts.requests / busy.observations.counts.requests).toBeLessThan(0.6)
  })

  it('ramping VUs follow the stages', async () => {
    const server = await serve(after(15))
    const result = await run(
      closedPlan(0, [
        [400, 8],
        [400, 8],
        [200, 0],
      ]),
      server.url,
    )
    expect(result.observations.vusMax).toBe(8)
    expect(server.peakConcurrency()).toBe(8)
    const [up, hold] = result.recorder.stageCounts
    // The hold stage runs 8 VUs throughout; the ramp averages 4.
    expect(hold?.requests ?? 0).toBeGreaterThan(up?.requests ?? 0)
  })
})

describe('open model', () => {
  it('sends the scheduled arrivals whatever the latency', async () => {
    const server = await serve(after(50))
    const plan = openPlan(100, [[1000, 100]])
    const result = await run(plan, server.url)
    const counts = result.observations.counts
    expect(counts.requests + counts.dropped + counts.interrupted).toBe(expectedArrivals(plan))
    expect(counts.dropped).toBe(0)
    // About rate × latency in flight (Little's law), not a fixed number of users.
    expect(server.peakConcurrency()).toBeGreaterThanOrEqual(3)
    expect(server.peakConcurrency()).toBeLessThan(30)
  })

  it('drops arrivals that find every slot busy, as k6 does', async () => {
    const server = await serve(after(200))
    const plan = openPlan(200, [[500, 200]], { preAllocatedVUs: 5, maxVUs: 5 })
    const result = await run(plan, server.url)
    const counts = result.observations.counts
    expect(counts.dropped).toBeGreaterThan(50)
    expect(counts.requests + counts.dropped + counts.interrupted).toBe(expectedArrivals(plan))
    expect(result.observations.vusMax).toBe(5)
    expect(server.peakConcurrency()).toBe(5)
  })
})

describe('coordinated omission', () => {
  it("a stall shows up in the open model's latency; the closed model hides it", async () => {
    // The server holds every response that arrives between 300 and 1300 ms after the start and
    // releases them all at 1300 ms: a 1 s stall, like a long GC pause.
    const makeStalling = (): Handler => {
      const t0 = performance.now()
      const held: Array<() => void> = []
      setTimeout(() => held.splice(0).forEach((release) => release()), 1300)
      return (req, res, n) => {
        const t = performance.now() - t0
        if (t >= 300 && t < 1300) held.push(() => ok(req, res, n))
        else ok(req, res, n)
      }
    }
    const openServer = await serve(makeStalling())
    const open = await run(openPlan(100, [[1800, 100]]), openServer.url)
    const closedServer = await serve(makeStalling())
    const closed = await run(closedPlan(1, [[1800, 1]]), closedServer.url)

    // Open: every request due during the stall waits for its end — about 100 of 180, half of them over 500 ms.
    expect(countAbove(open.observations.latency, 500)).toBeGreaterThan(30)
    expect(open.observations.latency.getValueAtPercentile(75)).toBeGreaterThan(300e3)
    // Closed: the lone VU is stuck in one request, so only one sample sees the stall among many fast ones.
    expect(countAbove(closed.observations.latency, 500)).toBeLessThanOrEqual(2)
    expect(closed.observations.latency.getValueAtPercentile(75)).toBeLessThan(300e3)
  })

  it('open-model latency counts from the due time when the generator falls behind', async () => {
    const server = await serve(ok)
    const stop = new StopSignal()
    const pending = run(openPlan(100, [[1000, 100]]), server.url, stop)
    // Block the generator's event loop for 500 ms: ~50 requests fall due and go out late.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const blockUntil = performance.now() + 500
    while (performance.now() < blockUntil) {
      /* the generator cannot send */
    }
    const result = await pending
    expect(result.observations.counts.lateStarts).toBeGreaterThan(25)
    // Response time (from due) sees the 500 ms; service time (from the late send) does not.
    expect(result.observations.latency.maxValue).toBeGreaterThan(400e3)
    expect(countAbove(result.observations.latency, 250)).toBeGreaterThan(countAbove(result.observations.service, 250) + 15)
  })
})

describe('target failures are counted, never fatal', () => {
  it('5xx, 4xx, resets, hangs and slow bodies each land in their error kind', async () => {
    const server = await serve((req, res, n) => {
      switch (n % 6) {
        case 0:
          return ok(req, res, n)
        case 1:
          res.writeHead(503).end('overloaded')
          return
        case 2:
          res.writeHead(404).end('no such path')
          return
        case 3:
          req.socket.destroy()
          return
        case 4:
          return // hangs: the request timeout must fire
        default: {
          // A slow body: a byte every 50 ms for longer than the timeout.
          res.writeHead(200, { 'content-type': 'text/plain' })
          const timer = setInterval(() => res.write('x'), 50)
          res.on('close', () => clearInterval(timer))
        }
      }
    })
    const plan = closedPlan(4, [[1200, 4]], { request: { ...REQUEST, timeoutNs: 250e6 }, gracefulStopNs: 500e6 })
    const result = await run(plan, server.url)
    const { errors, ok: good, failed, requests } = result.observations.counts
    expect(good).toBeGreaterThan(0)
    expect(errors['http-5xx']).toBeGreaterThan(0)
    expect(errors['http-4xx']).toBeGreaterThan(0)
    expect(errors.reset).toBeGreaterThan(0)
    // Hangs and slow bodies both exceed the whole-request timeout.
    expect(errors.timeout).toBeGreaterThanOrEqual(2)
    expect(failed).toBe(errors['http-5xx'] + errors['http-4xx'] + errors.reset + errors.timeout + errors.connect + errors.other)
    expect(requests).toBe(good + failed)
  })

  it('a refused connection is a connect error, and the run completes', async () => {
    const server = await serve(ok)
    const url = server.url
    await servers.pop()?.close()
    const result = await run(openPlan(50, [[400, 50]]), url)
    expect(result.observations.counts.requests).toBeGreaterThan(10)
    expect(result.observations.counts.errors.connect).toBe(result.observations.counts.requests)
  })

  it('a stop (Ctrl-C) ends the run at once, interrupting what is in flight', async () => {
    const server = await serve(() => undefined) // never answers
    const stop = new StopSignal()
    setTimeout(() => stop.stop('interrupted', 'test'), 300)
    const started = performance.now()
    const result = await run(closedPlan(3, [[10_000, 3]], { request: { ...REQUEST, timeoutNs: 30e9 } }), server.url, stop)
    expect(performance.now() - started).toBeLessThan(3_000)
    expect(result.observations.counts.interrupted).toBe(3)
    expect(result.observations.counts.failed).toBe(0)
  })
})
