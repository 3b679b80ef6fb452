// Runs the mock (its CLI), or the bare comparison server, in its own Node process, for load
// generators that must not share the server's event loop; reports the server's memory from /proc.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { readCpuSeconds, readProcessMemory, resetPeakRss } from '../../common/procfs.ts'

/** ServerProcess is a server running in a child process. */
export interface ServerProcess {
  url: string
  pid: number
  /** memory returns the current and peak RSS in bytes (Linux /proc; undefined elsewhere). */
  memory(): Promise<{ rssBytes: number; peakRssBytes: number } | undefined>
  /**
   * resetPeakMemory restarts the peak-RSS (VmHWM) count, so a later memory() reports the peak of
   * what happened since (Linux ≥ 4.0 /proc/<pid>/clear_refs); false where that is not possible.
   */
  resetPeakMemory(): Promise<boolean>
  /** cpuSeconds returns the user + system CPU time the process has used (Linux /proc). */
  cpuSeconds(): Promise<number | undefined>
  /** close sends SIGTERM and waits for the process to exit. */
  close(): Promise<void>
}

// Generating 500,000 jobs takes seconds on a loaded 2-core machine; give up only well after that.
const START_TIMEOUT_MS = 120_000

// The benchmark runner bundles this module into node_modules/.cache, so the checkout is found by
// walking up to its package.json rather than by a path relative to this file.
/** repoRoot returns the slurmbench checkout this module belongs to. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'slurmbench') return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`cannot find the slurmbench checkout above ${fileURLToPath(import.meta.url)}`)
    dir = parent
  }
}

async function spawnServerScript(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const path = join(repoRoot(), 'testbed', script)
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4_000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${script} did not start within ${START_TIMEOUT_MS} ms: ${stderr}`))
    }, START_TIMEOUT_MS)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^listening on (\S+)/.exec(line)
      if (m === null) return
      clearTimeout(timer)
      resolve(m[1] as string)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${script} exited with ${code} before listening: ${stderr}`))
    })
  })
  const pid = child.pid!
  return {
    url,
    pid,
    memory: () => readProcessMemory(pid),
    cpuSeconds: () => readCpuSeconds(pid),
    resetPeakMemory: () => resetPeakRss(pid),
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

/**
 * spawnMockSlurm starts the mock's CLI with `args` (see `mock-slurm --help`) and resolves once it
 * listens. `--port 0` is added unless args choose a port.
 */
export function spawnMockSlurm(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
  return spawnServerScript('mock-slurm/cli.ts', args.includes('--port') ? args : [...args, '--port', '0'], env)
}

/** spawnBareServer starts a bare node:http server answering every request with `body` as JSON. */
export function spawnBareServer(body: string): Promise<ServerProcess> {
  return spawnServerScript('rig/bare-server.ts', [], { BARE_SERVER_BODY: body })
}
