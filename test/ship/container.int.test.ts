// The container image, built and run: deploy/container/build-image.sh builds it with podman on a
// debootstrapped Debian base; then the mock slurmrestd and the reference exporter run in
// containers (host network, 127.0.0.1, read-only root filesystem, the image's non-root user),
// /metrics is scraped and passes promtool, and a scaled `load baseline` runs in a third container
// against the exporter. Needs root, podman, runc, debootstrap and promtool; without them it skips,
// or fails under SLURMBENCH_STRICT=1.
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectCleanLoadRun } from './load-run.ts'
import { REPO_ROOT } from './manifests.ts'
import { toolGate } from './tools.ts'

const IMAGE = process.env.SLURMBENCH_IMAGE ?? 'localhost/slurmbench:dev'
// A cold build compiles re2 and installs every package: tens of minutes on a loaded 2-core machine.
const BUILD_TIMEOUT_MS = 60 * 60_000
// runc and cgroupfs: crun fails on this machine kind (RLIMIT_NOFILE, hybrid cgroups).
const PODMAN = ['--runtime', 'runc', '--cgroup-manager=cgroupfs']
const RUN_FLAGS = ['--network=host', '--ulimit', 'nofile=8192:8192', '--ulimit', 'nproc=4096:4096', '--read-only', '--tmpfs', '/tmp']
const NAME_PREFIX = `slurmbench-test-${process.pid}`

const gate = toolGate(['podman', 'runc', 'debootstrap', 'promtool'], 'the container image test')
const containers: string[] = []
let results: string

function podman(args: readonly string[], timeoutMs = 300_000): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('podman', [...PODMAN, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** startContainer runs `slurmbench <args>` detached and resolves to the URL its log announces. */
async function startContainer(role: string, args: readonly string[], pattern: RegExp): Promise<{ name: string; url: string }> {
  const name = `${NAME_PREFIX}-${role}`
  const started = podman(['run', '--detach', '--name', name, ...RUN_FLAGS, IMAGE, ...args])
  expect(started.status, started.stderr).toBe(0)
  containers.push(name)
  const deadline = Date.now() + 120_000
  for (;;) {
    const logs = podman(['logs', name])
    const match = pattern.exec(logs.stdout + logs.stderr)
    if (match !== null) return { name, url: match[1] as string }
    if (Date.now() > deadline) throw new Error(`${role} container did not start: ${logs.stdout}${logs.stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

describe.skipIf(gate.skip)('the container image', () => {
  let mock: { name: string; url: string }
  let exporter: { name: string; url: string }

  beforeAll(async () => {
    gate.assertTools()
    if (process.getuid?.() !== 0) throw new Error('the container test builds the base with debootstrap and runs podman as root; run it as root')
    const startMs = Date.now()
    const built = spawnSync(join(REPO_ROOT, 'deploy', 'container', 'build-image.sh'), [], {
      env: { ...process.env, IMAGE },
      encoding: 'utf8',
      timeout: BUILD_TIMEOUT_MS,
      maxBuffer: 256 * 1024 * 1024,
    })
    if (built.status !== 0) throw new Error(`build-image.sh failed (${built.status}): ${built.stderr.slice(-4000)}`)
    const size = podman(['image', 'inspect', '--format', '{{.Size}}', IMAGE]).stdout.trim()
    process.stderr.write(`image ${IMAGE}: ${(Number(size) / 1e6).toFixed(0)} MB, built in ${((Date.now() - startMs) / 1000).toFixed(0)} s\n`)
    results = mkdtempSync(join(tmpdir(), 'slurmbench-container-'))
    chmodSync(results, 0o777) // the image's user (10001) writes the load results here
    mock = await startContainer('mock', ['mock-slurm', '--port', '0', '--preset', 'small', '--no-auth'], /listening on (http:\/\/127\.0\.0\.1:\d+)/)
    exporter = await startContainer('exporter', ['exporter', '--slurm-url', mock.url, '--port', '0'], /serving (http:\/\/127\.0\.0\.1:\d+)\/metrics/)
  }, BUILD_TIMEOUT_MS + 300_000)

  afterAll(() => {
    for (const name of containers) podman(['rm', '--force', '--time', '5', name])
    if (results !== undefined) rmSync(results, { recursive: true, force: true })
  })

  it('runs the slurmbench CLI as a non-root user, with production dependencies only', () => {
    const config = JSON.parse(podman(['image', 'inspect', IMAGE]).stdout) as Array<{ Config: { User: string; Entrypoint: string[] } }>
    expect(config[0]?.Config.User).toBe('10001:10001')
    expect(config[0]?.Config.Entrypoint).toEqual(['node', '/opt/slurmbench/bin/slurmbench.js'])
    const inside = podman([
      'run',
      '--rm',
      ...RUN_FLAGS,
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      "id -u; ls node_modules; ls; node -e \"new (require('re2'))('a+')\"",
    ])
    expect(inside.stderr).toBe('')
    const [uid, ...listing] = inside.stdout.trim().split('\n')
    expect(uid).toBe('10001')
    for (const dev of ['typescript', 'vitest', '@biomejs', 'kubernetes-models', 'playwright-core']) expect(listing, dev).not.toContain(dev)
    expect(listing).toContain('re2')
    expect(listing).not.toContain('harness') // the compiled dist/ runs, not sources
    const help = podman(['run', '--rm', ...RUN_FLAGS, IMAGE, 'help'])
    expect(help.status).toBe(0)
    for (const command of ['bench', 'load', 'mock-slurm', 'exporter', 'push']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
  })

  it('serves /metrics from the exporter container that promtool accepts', async () => {
    const response = await fetch(`${exporter.url}/metrics`)
    expect(response.status).toBe(200)
    const body = await response.text()
    expect(body).toMatch(/^slurm_node_cpus\{/m)
    const checked = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' })
    expect(checked.stdout + checked.stderr).toBe('')
    expect(checked.status).toBe(0)
  })

  it('runs a scaled load baseline from a container against the exporter container', () => {
    const load = podman([
      'run',
      '--rm',
      ...RUN_FLAGS,
      '--volume',
      `${results}:/results`,
      IMAGE,
      'load',
      'baseline',
      '--target',
      exporter.url,
      '--duration-scale',
      '0.01',
      '--out',
      '/results/baseline.json',
    ])
    expectCleanLoadRun(load, join(results, 'baseline.json'))
  })

  it('stops the servers on SIGTERM (podman stop), exiting 0', () => {
    for (const { name } of [exporter, mock]) {
      expect(podman(['stop', '--time', '10', name]).status).toBe(0)
      expect(podman(['inspect', '--format', '{{.State.ExitCode}}', name]).stdout.trim()).toBe('0')
    }
  })
})
