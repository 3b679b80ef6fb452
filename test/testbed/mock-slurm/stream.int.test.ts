// Large lists stream with backpressure, and a client that leaves mid-stream leaks nothing.
import { connect, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockSlurm, type MockSlurm } from '../../../testbed/mock-slurm/index.ts'

let mock: MockSlurm
// ≈ 45 MB of compact JSON: far more than socket buffers hold.
const JOBS = 8_000

beforeAll(async () => {
  mock = await startMockSlurm({ preset: 'small', jobs: JOBS, frozenClock: true, auth: false, json: 'compact' })
})
afterAll(() => mock?.close())

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function openRequest(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const url = new URL(mock.url)
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`)
      resolve(socket)
    })
    socket.on('error', reject)
  })
}

async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  for (const t0 = Date.now(); !check() && Date.now() - t0 < timeoutMs; ) await sleep(20)
}

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length
}

describe('streaming', () => {
  it('stops producing while the client does not read (backpressure), and finishes when it does', async () => {
    const socket = await openRequest('/slurm/v0.0.44/jobs')
    socket.pause()
    await sleep(400)
    const stalledAt = mock.streamedBytes
    await sleep(300)
    expect(mock.streamedBytes).toBe(stalledAt)
    expect(mock.inFlight).toBe(1)
    const start = mock.streamedBytes
    let received = 0
    let tail = ''
    socket.on('data', (d: Buffer) => {
      received += d.length
      tail = (tail + d.toString('latin1')).slice(-64)
    })
    socket.resume()
    await waitFor(() => tail.endsWith('0\r\n\r\n'), 30_000)
    socket.destroy()
    const total = mock.streamedBytes - start + stalledAt
    // The producer was held at a small fraction of the body until the client read.
    expect(stalledAt).toBeLessThan(total / 2)
    expect(received).toBeGreaterThan(total)
  })

  it('a client leaving mid-stream ends the producer and releases the connection; the server keeps serving', async () => {
    const handlesBefore = tcpHandles()
    for (let round = 0; round < 5; round++) {
      const socket = await openRequest('/slurm/v0.0.44/jobs')
      await new Promise<void>((resolve) => socket.once('data', () => resolve()))
      socket.destroy()
    }
    await waitFor(() => mock.inFlight === 0)
    expect(mock.inFlight).toBe(0)
    const settled = mock.streamedBytes
    await sleep(200)
    expect(mock.streamedBytes).toBe(settled)
    await waitFor(() => tcpHandles() <= handlesBefore)
    expect(tcpHandles()).toBeLessThanOrEqual(handlesBefore)
    const r = await fetch(`${mock.url}/slurm/v0.0.44/ping`)
    expect(r.status).toBe(200)
    expect(((await r.json()) as { pings: Array<{ pinged: string }> }).pings[0]!.pinged).toBe('UP')
  })

  it('a full streamed list arrives complete and parses', async () => {
    const states = (await (await fetch(`${mock.url}/slurm/v0.0.44/jobs/state`)).json()) as { jobs: unknown[] }
    expect(states.jobs).toHaveLength(JOBS)
    const nodes = (await (await fetch(`${mock.url}/slurm/v0.0.44/nodes`)).json()) as { nodes: unknown[]; last_update: { set: boolean } }
    expect(nodes.nodes).toHaveLength(mock.cluster.nodes.count)
    expect(nodes.last_update.set).toBe(true)
  })
})
