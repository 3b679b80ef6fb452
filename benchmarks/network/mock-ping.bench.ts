// Requests per second of the mock's /ping next to a bare node:http server answering the same
// bytes (goal: the mock at ≥ 80% of bare). Both servers run in their own processes; the load
// generator is one undici Pool in the benchmark process, CONNECTIONS requests in flight.
import { type B, sink } from 'slurmbench'
import { Pool } from 'undici'
import { spawnBareServer, spawnMockSlurm, type ServerProcess } from '../../testbed/rig/mock-process.ts'
import { mintToken, DEFAULT_JWT_KEY } from '../../testbed/mock-slurm/index.ts'

// 16 keep-alive connections saturate one server process on this 2-core machine without
// measuring mostly queueing in the client.
const CONNECTIONS = 16
const PING_PATH = '/slurm/v0.0.44/ping'
// The ratio benchmark alternates servers in blocks this long, so drift hits both alike.
const BLOCK_REQUESTS = 500

const authHeaders = { 'x-slurm-user-name': 'root', 'x-slurm-user-token': mintToken(DEFAULT_JWT_KEY, 'root', 86_400) }

async function startServers(): Promise<{ mock: ServerProcess; bare: ServerProcess }> {
  const mock = await spawnMockSlurm(['--preset', 'tiny', '--frozen', '--log-level', 'error'])
  // The bare server answers exactly the bytes the mock answered.
  const probe = new Pool(mock.url, { connections: 1 })
  const { body } = await probe.request({ path: PING_PATH, method: 'GET', headers: authHeaders })
  const text = await body.text()
  await probe.close()
  return { mock, bare: await spawnBareServer(text) }
}

async function ping(pool: Pool): Promise<void> {
  const { statusCode, body } = await pool.request({ path: PING_PATH, method: 'GET', headers: authHeaders })
  sink(await body.arrayBuffer())
  if (statusCode !== 200) throw new Error(`GET ${PING_PATH}: HTTP ${statusCode}`)
}

async function warm(pool: Pool): Promise<void> {
  await Promise.all(Array.from({ length: CONNECTIONS * 4 }, () => ping(pool)))
}

/** BenchmarkMockPing measures each server alone: ns/op is the wall time per request under load. */
export async function BenchmarkMockPing(b: B) {
  // A parent runs once per process; its servers stop after its sub-benchmarks, even when one fails.
  const { mock, bare } = await startServers()
  b.cleanup(() => Promise.all([mock.close(), bare.close()]).then(() => undefined))
  for (const [name, server] of [
    ['bare', bare],
    ['mock', mock],
  ] as const) {
    await b.run(`server=${name}`, async (b) => {
      // One run's pool: opened and closed by the run (b.cleanup is for what all runs share).
      const pool = new Pool(server.url, { connections: CONNECTIONS, pipelining: 1 })
      try {
        await warm(pool)
        b.setParallelism(CONNECTIONS)
        b.resetTimer()
        await b.runParallel(async (pb) => {
          while (pb.next()) await ping(pool)
        })
        b.stopTimer()
        b.reportMetric(b.N / (b.elapsedNs() / 1e9), 'req/s')
      } finally {
        await pool.close()
      }
    })
  }
}

/**
 * BenchmarkMockPingVsBare drives both servers in one sample, alternating blocks of requests, and
 * reports each one's requests per second and the mock's share of the bare server's rate.
 */
export async function BenchmarkMockPingVsBare(b: B) {
  // The servers and pools start on the first run in the process and serve every later one (the
  // ladder's runs, the memory passes); b.cleanup stops them after the last.
  sharedServers ??= startShared(b)
  const { mock, bare, pools } = await sharedServers
  await Promise.all([warm(pools.mock), warm(pools.bare)])
  const servers = { mock, bare }
  const elapsedMs = { mock: 0, bare: 0 }
  const cpuS = { mock: 0, bare: 0 }
  const done = { mock: 0, bare: 0 }
  b.resetTimer()
  for (let left = b.N; left > 0; ) {
    const block = Math.min(BLOCK_REQUESTS, left)
    for (const name of ['bare', 'mock'] as const) {
      let next = 0
      const cpu0 = (await servers[name].cpuSeconds()) ?? 0
      const t0 = performance.now()
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next++ < block) await ping(pools[name])
        }),
      )
      elapsedMs[name] += performance.now() - t0
      cpuS[name] += ((await servers[name].cpuSeconds()) ?? 0) - cpu0
      done[name] += block
    }
    left -= block
  }
  b.stopTimer()
  const mockRate = done.mock / (elapsedMs.mock / 1000)
  const bareRate = done.bare / (elapsedMs.bare / 1000)
  b.reportMetric(mockRate, 'mock-req/s')
  b.reportMetric(bareRate, 'bare-req/s')
  b.reportMetric((100 * mockRate) / bareRate, 'mock/bare-%')
  // Server CPU per request does not depend on what else the machine runs (wall rates do).
  if (cpuS.mock > 0 && cpuS.bare > 0) {
    b.reportMetric((cpuS.mock / done.mock) * 1e6, 'mock-cpu-us/req')
    b.reportMetric((cpuS.bare / done.bare) * 1e6, 'bare-cpu-us/req')
  }
}

interface SharedServers {
  readonly mock: ServerProcess
  readonly bare: ServerProcess
  readonly pools: { readonly mock: Pool; readonly bare: Pool }
}

let sharedServers: Promise<SharedServers> | undefined

async function startShared(b: B): Promise<SharedServers> {
  const { mock, bare } = await startServers()
  const pools = { mock: new Pool(mock.url, { connections: CONNECTIONS }), bare: new Pool(bare.url, { connections: CONNECTIONS }) }
  b.cleanup(async () => {
    sharedServers = undefined
    await Promise.all([pools.mock.close(), pools.bare.close()])
    await Promise.all([mock.close(), bare.close()])
  })
  return { mock, bare, pools }
}
