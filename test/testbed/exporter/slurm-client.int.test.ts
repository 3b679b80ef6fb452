// The client's time limits against a real HTTP server (undici's MockAgent does not run the pool's
// timers): a scrape-time attempt ends when the headers are late; a background view waits for
// them up to its own limit, as slurmrestd packs a whole table before its first byte; both end an
// answer that stops arriving. undici checks its header and body limits on a timer that ticks
// about every 0.5 s, so the delays here are seconds.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { SlurmClient, SlurmRequestError } from '../../../testbed/exporter/slurm-client.ts'

const servers: Server[] = []
const clients: SlurmClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))))
})

/**
 * serve answers every request with `{"ok":1}`: headers after `headersAfterMs` (or, given a list,
 * the n-th request after its n-th entry), then the body, with a `stallMs` gap in the middle.
 */
async function serve(headersAfterMs: number | readonly number[], stallMs = 0): Promise<string> {
  let n = 0
  const server = createServer((_req, res) => {
    const delays = typeof headersAfterMs === 'number' ? [headersAfterMs] : headersAfterMs
    const delayMs = delays[Math.min(n++, delays.length - 1)] as number
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"ok":')
      setTimeout(() => res.end('1}'), stallMs)
    }, delayMs)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function client(url: string): SlurmClient {
  const c = new SlurmClient({ url, requestTimeoutMs: 1_000, retries: 0 })
  clients.push(c)
  return c
}

async function failure(promise: Promise<unknown>): Promise<SlurmRequestError> {
  try {
    await promise
  } catch (error) {
    return error as SlurmRequestError
  }
  throw new Error('expected the request to fail')
}

describe('SlurmClient time limits', () => {
  it('ends a scrape-time attempt whose headers come later than requestTimeoutMs', async () => {
    const c = client(await serve(3_000))
    const error = await failure(c.getJson('/slurm/v0.0.44/diag', new AbortController().signal))
    expect(error).toBeInstanceOf(SlurmRequestError)
    expect(error.kind).toBe('timeout')
  })

  it('ends a background attempt with no headers after requestTimeoutMs when the path has never answered slowly (a hung request)', async () => {
    const c = client(await serve(3_000))
    const error = await failure(c.withAttemptLimit(10_000).getJson('/slurm/v0.0.44/diag', new AbortController().signal))
    expect(error.kind).toBe('timeout')
  })

  it('lets a background view wait for headers up to four times the slowest its path has answered with', async () => {
    // The first answer's headers take 700 ms (under the 1 s request timeout): the path's table is
    // slow to pack, so a background attempt may wait up to 2.8 s; the second takes 2 s.
    const c = client(await serve([700, 2_000]))
    const background = c.withAttemptLimit(10_000)
    expect(await background.getJson('/slurm/v0.0.44/diag', new AbortController().signal)).toEqual({ ok: 1 })
    expect(await background.getJson('/slurm/v0.0.44/diag', new AbortController().signal)).toEqual({ ok: 1 })
  })

  it('still ends, in a background view, an answer that stops arriving for longer than requestTimeoutMs', async () => {
    const c = client(await serve(0, 3_000))
    const error = await failure(c.withAttemptLimit(10_000).getJson('/slurm/v0.0.44/diag', new AbortController().signal))
    expect(error.kind).toBe('timeout')
  })

  it("ends a background view's attempt at its limit even while headers are pending", async () => {
    // Had the attempt waited, the server's answer at 3 s would have succeeded.
    const c = client(await serve(3_000))
    const error = await failure(c.withAttemptLimit(300).getJson('/slurm/v0.0.44/diag', new AbortController().signal))
    expect(error.kind).toBe('timeout')
  })
})

describe('SlurmClient retries', () => {
  /** serve502 answers 502 after `delayMs` and counts the requests. */
  async function serve502(delayMs: number): Promise<{ url: string; count: () => number }> {
    let n = 0
    const server = createServer((_req, res) => {
      n++
      setTimeout(() => res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad Gateway'), delayMs)
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, count: () => n }
  }

  it('retries a quick 502, but not one that took more than half the attempt limit (slurmctld down)', async () => {
    const quick = await serve502(0)
    const c1 = new SlurmClient({ url: quick.url, requestTimeoutMs: 1_000, retries: 2, retryBaseDelayMs: 1 })
    clients.push(c1)
    expect((await failure(c1.getJson('/slurm/v0.0.44/diag', new AbortController().signal))).status).toBe(502)
    expect(quick.count()).toBe(3)
    const slow = await serve502(600)
    const c2 = new SlurmClient({ url: slow.url, requestTimeoutMs: 1_000, retries: 2, retryBaseDelayMs: 1 })
    clients.push(c2)
    expect((await failure(c2.getJson('/slurm/v0.0.44/diag', new AbortController().signal))).status).toBe(502)
    expect(slow.count()).toBe(1)
  })
})
