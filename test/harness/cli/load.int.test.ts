// The CLI against servers on 127.0.0.1, with short --duration-scale runs: verdict lines, exit
// codes, results files, Ctrl-C (exit 105, as k6's ExternalAbort), shards and merge, bad input, and the embedded mock slurmrestd
// and exporter. Runs that need a process of their own (exit codes, signals, child servers)
// spawn `node bin/slurmbench.js load …`; the rest call the same dispatcher in-process, since
// each spawn costs ~2 s of CPU on two cores.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { main } from '../../../harness/cli/main.ts'
import { parseResults } from '../../../harness/results/json.ts'
import { answerAfter, startServer, type TestServer } from '../load/servers.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const PASSED = '✅ LOAD TEST PASSED'
const FAILED = '❌ LOAD TEST FAILED'
const INTERRUPTED = '⛔ LOAD TEST INTERRUPTED'

interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** cli runs `slurmbench load …`; with `interruptOn`, it sends SIGINT once stderr matches and `delayMs` has passed. */
function cli(args: readonly string[], interrupt?: { on: RegExp; delayMs: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/slurmbench.js', 'load', ...args], { cwd: ROOT, env: { ...process.env, JOB_COMPLETION_INDEX: '' } })
    let stdout = ''
    let stderr = ''
    let sent = false
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (interrupt !== undefined && !sent && interrupt.on.test(stderr)) {
        sent = true
        setTimeout(() => child.kill('SIGINT'), interrupt.delayMs)
      }
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** inProcess runs `slurmbench load …` through the CLI dispatcher in this process, capturing its output. */
async function inProcess(args: readonly string[]): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString()
    return true
  })
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += chunk.toString()
    return true
  })
  try {
    const code = await main(['load', ...args])
    return { code, stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? ''
}

let server: TestServer
let dir: string
beforeAll(async () => {
  server = await startServer(answerAfter(5))
  dir = await mkdtemp(join(tmpdir(), 'load-cli-'))
})
afterAll(async () => {
  await server.close()
})

describe('load <scenario> --target', () => {
  it('passes, prints every threshold with its value, and writes a results document', async () => {
    const out = join(dir, 'baseline.json')
    const result = await cli(['baseline', '--target', server.url, '--duration-scale', '0.003', '--out', out])
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/)
    expect(result.code).toBe(0)
    expect(lastLine(result.stdout)).toBe(PASSED)
    // stderr is a pipe, not a terminal: plain progress lines, no carriage returns.
    expect(result.stderr).toMatch(/^load baseline: \d+s of 2s, (~\d+s left|stopping .*\)) {2}VUs \d+\/10 {2}\d+ req\/s {2}p95 [\d.]+(µs|ms) {2}errors 0$/m)
    expect(result.stderr).not.toContain('\r')
    expect(result.stdout).toMatch(/✓ +http_req_duration +p\(95\)<5000 +p\(95\)=[\d.]+(µs|ms) +profile default/)
    expect(result.stdout).toMatch(/✓ +http_reqs +rate>45 +rate=[\d.]+\/s/)
    const doc = parseResults(await readFile(out, 'utf8'), out)
    expect(doc.config.producer).toBe('load')
    expect(doc.benchmarks[0]?.status).toBe('ok')
    expect(doc.benchmarks[0]?.samples[0]?.iterations).toBeGreaterThan(20)
  })

  it('fails with exit 1 when a threshold fails', async () => {
    const result = await inProcess(['baseline', '--target', server.url, '--duration-scale', '0.002', '--threshold', 'http_req_duration:p(95)<1us'])
    expect(result.code).toBe(1)
    expect(lastLine(result.stdout)).toBe(FAILED)
    expect(result.stdout).toMatch(/✗ +http_req_duration +p\(95\)<1us/)
  })

  it('--abort-on-fail stops the run when a threshold fails', async () => {
    // 10 minutes scaled to 6 s, stopped at the first status tick (~1 s).
    const result = await inProcess([
      'baseline',
      '--target',
      server.url,
      '--duration-scale',
      '0.01',
      '--threshold',
      'http_req_duration:p(95)<1us',
      '--abort-on-fail',
      '--abort-delay',
      '0s',
    ])
    expect(Number(/ran ([\d.]+)s/.exec(result.stdout)?.[1])).toBeLessThan(4)
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/the run stopped early \(http_req_duration p\(95\)<1us failed \(abortOnFail\) at [\d.]+s\)/)
    expect(lastLine(result.stdout)).toBe(FAILED)
  })

  it('Ctrl-C is no pass: the last line says interrupted, the exit code is 105 and the partial results are written, marked', async () => {
    const out = join(dir, 'interrupted.json')
    const result = await cli(['endurance', '--target', server.url, '--vus', '5', '--out', out], { on: /load: endurance →/, delayMs: 1_500 })
    expect(result.code).toBe(105)
    expect(lastLine(result.stdout)).toBe(INTERRUPTED)
    expect(result.stdout).not.toContain(PASSED)
    expect(result.stdout).toMatch(/interrupted by SIGINT after [\d.]+s of 1h0m0s: no verdict/)
    const doc = parseResults(await readFile(out, 'utf8'), out)
    const extra = doc.benchmarks[0]?.extra?.load as { stop?: { reason: string }; passed: boolean; counts: { requests: number } }
    expect(extra.stop?.reason).toBe('interrupted')
    expect(extra.passed).toBe(false)
    expect(extra.counts.requests).toBeGreaterThan(0)
    expect(doc.warnings[0]).toMatch(/^load test INTERRUPTED \(interrupted by SIGINT after [\d.]+s of 1h0m0s\): partial results, no verdict$/)
  })

  it('--help documents the exit codes', async () => {
    const result = await inProcess(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(INTERRUPTED)
    expect(result.stdout).toMatch(/exit 105/)
  })

  it('shards run their share and merge into one verdict', async () => {
    const shardArgs = (i: number) => [
      'open-constant',
      '--target',
      server.url,
      '--duration-scale',
      '0.002',
      '--shard',
      `${i}/2`,
      '--out',
      join(dir, `shard-${i}.json`),
    ]
    const shards = [await inProcess(shardArgs(1)), await inProcess(shardArgs(2))]
    for (const shard of shards) expect(lastLine(shard.stdout)).toMatch(/LOAD TEST (PASSED|FAILED)/)
    const merged = await inProcess(['merge', join(dir, 'shard-1.json'), join(dir, 'shard-2.json'), '--out', join(dir, 'merged.json')])
    expect(merged.stdout).toContain('(2 shards merged)')
    // 50 requests/s for 1.2 s = 60 arrivals, split between the shards.
    expect(merged.stdout).toMatch(/ran [\d.]+s: 60 requests/)
    expect(merged.code).toBe(lastLine(merged.stdout) === PASSED ? 0 : 1)
    const missing = await inProcess(['merge', join(dir, 'shard-1.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('shards 2/2 are missing')
  })

  it('--export-k6 writes a k6 script without running', async () => {
    const out = join(dir, 'spike.js')
    const result = await inProcess(['spike', '--target', 'http://127.0.0.1:9/metrics', '--export-k6', out])
    expect(result.code).toBe(0)
    const script = await readFile(out, 'utf8')
    expect(script).toContain('executor": "ramping-vus"')
    expect(script).toContain('"p(95)<5000"')
    expect(script).toContain('__ENV.TARGET_URL || "http://127.0.0.1:9/metrics"')
  })
})

describe('bad input exits 2 with one line naming the problem', () => {
  it.each([
    [['baseline', '--duration-scale', '0'], 'flag --duration-scale: expected a number above 0'],
    [['baseline', '--bogus'], 'unknown flag --bogus'],
    [['nosuch'], 'unknown scenario "nosuch"'],
    [['baseline', '--sla', 'huge', '--target', 'http://127.0.0.1:9'], '--sla: no SLA profile "huge"'],
    [['baseline', '--threshold', 'http_req_duration:p95<1', '--target', 'http://127.0.0.1:9'], '"p95<1" is not a threshold expression'],
  ])('%j', async (args, message) => {
    const result = await inProcess(args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(message)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  it('a broken scenario file is reported with its JSON path', async () => {
    const path = join(dir, 'broken.json')
    await writeFile(path, JSON.stringify({ executor: 'constant-vus', vus: 10, duration: '1m', thinkTime: { min: '1s' } }))
    const result = await cli([path, '--target', server.url])
    // A real process: exit code 2 and no stack trace.
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`${path}: at /thinkTime: expected a Go duration such as "100ms", or {"min": "50ms", "max": "150ms"}`)
  })
})

describe('embedded targets', () => {
  it('--slurm loads the mock slurmrestd; its injected faults (flags and X-Mock-Fault header) are counted as errors', async () => {
    const result = await inProcess([
      'baseline',
      '--slurm',
      '--preset',
      'tiny',
      '--duration-scale',
      '0.003',
      '--timeout',
      '300ms',
      '--mock-faults',
      'latency=realistic;error-rate=0.2;error-status=503',
      '--set',
      'request.headers.x-mock-fault=reset-rate=0.1;hang-rate=0.05',
    ])
    expect(result.code).toBe(1)
    expect(lastLine(result.stdout)).toBe(FAILED)
    expect(result.stdout).toMatch(/failed \([\d.]+%\): reset \d+, timeout \d+, http-5xx \d+/)
    expect(result.stdout).toMatch(/✗ +http_req_failed +rate<0.005/)
    // A 16-node cluster picks the small-cluster profile, whose memory limit is read from the mock's process.
    expect(result.stdout).toMatch(/✓ +target_memory_bytes +value<536870912 +value=[\d.]+ MiB +profile small/)
  })

  it("by default loads the reference exporter's /metrics, fed by the mock", async () => {
    const result = await inProcess(['baseline', '--preset', 'tiny', '--duration-scale', '0.003'])
    expect(result.stderr).toMatch(
      /load: baseline → http:\/\/127\.0\.0\.1:\d+\/metrics \(reference exporter ← mock slurmrestd \(16 nodes, faults: latency=realistic\)\)/,
    )
    expect([PASSED, FAILED]).toContain(lastLine(result.stdout))
    expect(result.stdout).toMatch(/ran [\d.]+s: [1-9][\d,]* requests/)
    expect(result.stdout).toMatch(/target_memory_bytes +value<536870912 +value=[\d.]+ MiB/)
    expect(result.code).toBe(lastLine(result.stdout) === PASSED ? 0 : 1)
  })
})
