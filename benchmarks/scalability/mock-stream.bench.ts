// Time, throughput and the server's peak RSS to serve the big lists, compact: /nodes for 10,000
// nodes and /jobs for 100,000 and 500,000 jobs (goal: RSS under 256 MiB while streaming, ≥ 200
// MB/s). The mock runs in its own process; the client reads and discards the body.
import { type B, full } from 'slurmbench'
import { Pool } from 'undici'
import { spawnMockSlurm, type ServerProcess } from '../../testbed/mock-slurm/child-process.ts'

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

async function fetchBytes(pool: Pool, path: string): Promise<number> {
  const { statusCode, body } = await pool.request({ path, method: 'GET' })
  let bytes = 0
  for await (const chunk of body) bytes += (chunk as Buffer).length
  if (statusCode !== 200) throw new Error(`GET ${path}: HTTP ${statusCode}`)
  return bytes
}

async function serve(b: B, c: Case): Promise<void> {
  const server: ServerProcess = await spawnMockSlurm(
    ['--nodes', String(c.nodes), '--jobs', String(c.jobs), '--frozen', '--no-auth', '--log-level', 'error'],
    { SLURMRESTD_JSON: 'compact' },
  )
  const pool = new Pool(server.url, { connections: 1, bodyTimeout: 0, headersTimeout: 0 })
  try {
    const bytes = await fetchBytes(pool, c.path) // warms the serializers; the body size is fixed (frozen cluster)
    const idle = await server.memory()
    const peakIsExact = await server.resetPeakMemory()
    // Sample RSS as well, for kernels where VmHWM cannot be reset.
    let sampledPeak = 0
    const sampler = setInterval(() => {
      void server.memory().then((m) => {
        if (m !== undefined) sampledPeak = Math.max(sampledPeak, m.rssBytes)
      })
    }, 25)
    b.resetTimer()
    for (let i = 0; i < b.N; i++) {
      const got = await fetchBytes(pool, c.path)
      if (got !== bytes) throw new Error(`body size changed: ${got} != ${bytes}`)
    }
    b.stopTimer()
    clearInterval(sampler)
    const after = await server.memory()
    b.setBytes(bytes)
    b.reportMetric(bytes / 1e6, 'body-MB')
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
