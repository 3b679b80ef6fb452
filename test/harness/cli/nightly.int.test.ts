// `slurmbench nightly` as a CronJob runs it: a night with a failing benchmark records what ran,
// writes the report, alerts the webhook (its URL never printed) and exits 1; the next night with a
// clean tree judges against the commit the first one remembered.
import { execFile } from 'node:child_process'
import { createServer } from 'node:http'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen } from '../../../common/listen.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
const CLI = join(ROOT, 'bin', 'slurmbench.js')
const run = promisify(execFile)

/** nightly runs `slurmbench nightly` and returns how it ended, its exit code 0 when it succeeded. */
async function nightly(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [CLI, 'nightly', ...args], { cwd: ROOT, env, maxBuffer: 16 << 20 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
}

describe('slurmbench nightly', () => {
  let dir: string
  const posts: string[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      posts.push(body)
      res.writeHead(200).end()
    })
  })
  let hook: string

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slurmbench-nightly-'))
    hook = `${(await listen(server)).url}/hooks/T0/SECRETPATH`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
    await rm(dir, { recursive: true, force: true })
  })

  it('records, reports and alerts on a night whose benchmarks fail, and exits 1', async () => {
    const history = join(dir, 'history')
    const out = join(dir, 'night1')
    const { code, stdout, stderr } = await nightly(
      ['-history', history, '-out', out, '-load', 'none', '-benchtime', '20ms', '-count', '2', 'test/fixtures/bench/failing.bench.ts'],
      { ...process.env, SLURMBENCH_WEBHOOK_URL: hook, CI: 'true' },
    )
    expect(code).toBe(1)
    expect(stdout).toMatch(/nightly \+\d+s: 1 problem: the benchmarks failed \(bench exit 1\) \(files in /)
    expect(`${stdout}${stderr}`).not.toContain('SECRETPATH')
    expect(stderr).toContain('nightly: alert posted to the webhook from $SLURMBENCH_WEBHOOK_URL')
    expect(posts).toHaveLength(1)
    expect(JSON.parse(posts[0] as string).text).toMatch(/^slurmbench nightly: the benchmarks failed \(bench exit 1\)\.\nReport: .*report\.html/)
    expect((await readdir(out)).sort()).toEqual(['bench.json', 'report.html', 'summary.txt'])
    const lines = (await readFile(join(history, (await readdir(history)).find((f) => f.endsWith('.jsonl')) as string), 'utf8')).trim().split('\n')
    expect(lines.map((l) => JSON.parse(l).name)).toContain('BenchmarkOK')
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('BenchmarkOK')
  })

  it('passes -timeout to each bench run, and rejects one that is not a duration before making any folder', async () => {
    const history = join(dir, 'h-timeout')
    const out = join(dir, 'night-timeout')
    const slow = await nightly(['-history', history, '-out', out, '-load', 'none', '-timeout', '1ms', '-count', '1', 'test/fixtures/bench/failing.bench.ts'], {
      ...process.env,
      CI: 'true',
    })
    expect(slow.code).toBe(1)
    expect(slow.stderr).toContain('-timeout=1ms')
    const bad = await nightly(['-timeout', 'soon', '-history', join(dir, 'h-bad'), '-out', join(dir, 'o-bad')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('flag -timeout: expected a duration such as 10m or 30s, found "soon"')
    await expect(readdir(join(dir, 'h-bad'))).rejects.toThrow(/ENOENT/)
  })

  it('rejects -issue without GITHUB_TOKEN, before running anything', async () => {
    const env = { ...process.env }
    delete env.GITHUB_TOKEN
    const result = await nightly(['-issue', '-history', join(dir, 'h2')], env)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('-issue needs GITHUB_TOKEN and GITHUB_REPOSITORY')
  })
})
