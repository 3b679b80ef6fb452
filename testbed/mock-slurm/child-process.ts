// Runs the mock in its own Node process (its CLI), for load generators that must not share the
// server's event loop, and reports the server's memory from /proc.
import { type ChildProcess, spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

/** MockSlurmProcess is a mock slurmrestd running in a child process. */
export interface MockSlurmProcess {
  url: string
  pid: number
  /** memory returns the server's current and peak RSS in bytes (Linux /proc; undefined elsewhere). */
  memory(): Promise<{ rssBytes: number; peakRssBytes: number } | undefined>
  /** close sends SIGTERM and waits for the process to exit. */
  close(): Promise<void>
}

// Generating xl takes seconds on a loaded 2-core machine; give up only well after that.
const START_TIMEOUT_MS = 60_000
const CLI_PATH = fileURLToPath(new URL('./cli.ts', import.meta.url))

/**
 * spawnMockSlurm starts `node --import tsx cli.ts <args>` and resolves once it prints its
 * "listening on" line. `--port 0` is added unless args choose a port.
 */
export async function spawnMockSlurm(args: string[], env: NodeJS.ProcessEnv = {}): Promise<MockSlurmProcess> {
  const fullArgs = args.includes('--port') ? args : [...args, '--port', '0']
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CLI_PATH, ...fullArgs], {
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
      reject(new Error(`mock-slurm did not start within ${START_TIMEOUT_MS} ms: ${stderr}`))
    }, START_TIMEOUT_MS)
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      const m = /^listening on (\S+)/.exec(line)
      if (m !== null) {
        clearTimeout(timer)
        resolve(m[1] as string)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`mock-slurm exited with ${code} before listening: ${stderr}`))
    })
  })
  const pid = child.pid!
  return {
    url,
    pid,
    async memory() {
      try {
        const status = await readFile(`/proc/${pid}/status`, 'utf8')
        const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024
        return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') }
      } catch {
        return undefined
      }
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
