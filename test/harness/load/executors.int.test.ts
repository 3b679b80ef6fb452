// One real-time smoke test per executor against real node:http servers on 127.0.0.1 (the
// executors' behaviour is tested exactly on a virtual clock in executor-closed.test.ts and
// executor-open.test.ts), and the HTTP side's failures, which only a real server can produce.
import { afterEach, describe, expect, it } from 'vitest'
import { expectedArrivals } from '../../../harness/load/arrivals.ts'
import type { LoadPlan } from '../../../harness/load/plan.ts'
import { runLoad } from '../../../harness/load/run.ts'
import { StopSignal } from '../../../harness/load/stop-signal.ts'
import { closedPlan, openPlan, REQUEST } from './plans.ts'
import { answerAfter, type Handler, ok, startServer, type TestServer } from './servers.ts'

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

describe('real-time smoke', () => {
  it('closed model: constant VUs each wait for their response', async () => {
    const server = await serve(answerAfter(20))
    const result = await run(closedPlan(5, [[1000, 5]]), server.url)
    expect(server.peakConcurrency()).toBe(5)
    expect(result.observations.vusMax).toBe(5)
    expect(result.observations.counts.failed).toBe(0)
    expect(result.observations.counts.requests).toBeGreaterThan(20)
    // One more request reached the server: the scrape before the run that reads the target's GC time.
    expect(result.observations.counts.requests).toBe(server.requests() - 1 - result.observations.counts.interrupted)
    expect(result.observations.targetGcSeconds).toBeUndefined()
  })

  it('open model: sends the scheduled arrivals whatever the latency', async () => {
    const server = await serve(answerAfter(50))
    const plan = openPlan(100, [[1000, 100]])
    const result = await run(plan, server.url)
    const counts = result.observations.counts
    expect(counts.requests + counts.dropped + counts.interrupted).toBe(expectedArrivals(plan))
    expect(counts.dropped).toBe(0)
    // About rate × latency in flight (Little's law), not a fixed number of users.
    expect(server.peakConcurrency()).toBeGreaterThanOrEqual(3)
    expect(server.peakConcurrency()).toBeLessThan(30)
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
})
