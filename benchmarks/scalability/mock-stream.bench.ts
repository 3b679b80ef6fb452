// Time, throughput and the server's peak RSS to serve the big lists, compact: /nodes for 10,000
// nodes and /jobs for 100,000 and 500,000 jobs (goal: RSS under 256 MiB while streaming, ≥ 200
// MB/s). The mock runs in its own process; the client reads and discards the body.
import { type B, full } from 'slurmbench'
import { Pool } from 'undici'
import { spawnMockSlurm, type ServerProcess } from '../../testbed/rig/mock-process.ts'

interface Case {
  name: string
  path: string
  nodes: number
  jobs: number
}

// Default runs stay within seconds; -full adds the sizes the issue asks for.
function cases(): Case[] {
  const list: Case[] = [
    { name: 'endpoint=nodes/nodes=10000', path: '/slurm/v0.0.44/nodes', nodes: 10_000, jobs: 1_000 },
    { name: 'endpoint=jobs/jobs=10000', path: '/slurm/v0.0.44/jobs', nodes: 1_000, jobs: 10_000 },
  ]
  if (full()) {
    list.push({ name: 'endpoint=jobs/jobs=100000', path: '/slurm/v0.0.44/jobs', nodes: 10_000, jobs: 100_000 })
    list.push({ name: 'endpoint=jobs/jobs=500000', path: '/slurm/v0.0.44/jobs', nodes: 50_000, jobs: 500_000 })
  }
  return list
}

// The untimed warm-up reads this much of the body, enough to compile the serializers and JIT the
// record builders, then hangs up (a whole 2.6 GB warm-up body doubled the run).
const WARMUP_BYTES = 8 * 1024 * 1024

// The body is counted in 'data' callbacks and dropped, the cheapest way undici hands it over (no
// promise per chunk as in for await), so the client costs the server's core as little as it can.
async function fetchBytes(pool: Pool, path: string, limitBytes = Infinity): Promise<number> {
  const { statusCode, body } = await pool.request({ path, method: 'GET' })
  if (statusCode !== 200) {
    body.destroy()
    throw new Error(`GET ${path}: HTTP ${statusCode}`)
  }
  return new Promise((resolve, reject) => {
    let bytes = 0
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes >= limitBytes) {
        body.destroy()
        resolve(bytes)
      }
    })
    body.once('end', () => resolve(bytes))
    body.once('error', (err) => (bytes >= limitBytes ? resolve(bytes) : reject(err)))
  })
}

async function serve(b: B, c: Case): Promise<void> {
  const server: ServerProcess = await spawnMockSlurm(['--nodes', String(c.nodes), '--jobs', String(c.jobs), '--frozen', '--no-auth', '--log-level', 'error'], {
    SLURMRESTD_JSON: 'compact',
  })
  const pool = new Pool(server.url, { connections: 1, bodyTimeout: 0, headersTimeout: 0 })
  try {
    await fetchBytes(pool, c.path, WARMUP_BYTES)
    const idle = await server.memory()
    const peakIsExact = await server.resetPeakMemory()
    // Sample RSS as well, for kernels where VmHWM cannot be reset.
    let sampledPeak = 0
    const sampler = setInterval(() => {
      void server.memory().then((m) => {
        if (m !== undefined) sampledPeak = Math.max(sampledPeak, m.rssBytes)
      })
    }, 25)
    const cpuBefore = await server.cpuSeconds()
    let bytes = -1
    b.resetTimer()
    for (let i = 0; i < b.N; i++) {
      const got = await fetchBytes(pool, c.path)
      // The cluster is frozen, so every answer has the same size.
      if (bytes >= 0 && got !== bytes) throw new Error(`body size changed: ${got} != ${bytes}`)
      bytes = got
    }
    b.stopTimer()
    clearInterval(sampler)
    const cpuAfter = await server.cpuSeconds()
    const after = await server.memory()
    b.setBytes(bytes)
    b.reportMetric(bytes / 1e6, 'body-MB')
    // Throughput per second of server CPU: what one free core would stream, whatever else the
    // machine is running (the wall-clock MB/s above depends on that).
    if (cpuBefore !== undefined && cpuAfter !== undefined && cpuAfter > cpuBefore) b.reportMetric((bytes * b.N) / 1e6 / (cpuAfter - cpuBefore), 'MB/cpu-s')
    if (after !== undefined && idle !== undefined) {
      b.reportMetric((peakIsExact ? after.peakRssBytes : Math.max(sampledPeak, after.rssBytes)) / 2 ** 20, 'peak-RSS-MiB')
      b.reportMetric(idle.rssBytes / 2 ** 20, 'idle-RSS-MiB')
    }
  } finally {
    await pool.close()
    await server.close()
  }
}

/** BenchmarkMockStream serves one big list per op and reports MB/s and the server's peak RSS. */
export async function BenchmarkMockStream(b: B) {
  for (const c of cases()) await b.run(c.name, (b) => serve(b, c))
}
