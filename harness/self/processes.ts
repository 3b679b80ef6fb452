// Starting the processes `self` times: every measurement is a separate process started from
// scratch, because the process is the unit a user gets and the unit of replication (per-run
// error bars hid 4–28% process-to-process variation; docs/measurement.md).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** REPO_ROOT is the repository's root folder, where processes start unless told otherwise. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

// tinybench at its defaults spent 11.8 s on the empty function here; a process still running
// after ten times that is hung, not slow.
const JOB_TIMEOUT_MS = 120_000

/** ProcessOutcome is how a process ended and what it printed. */
export interface ProcessOutcome {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly wallMs: number
  readonly timedOut: boolean
}

/** ProcessOptions say what runProcess starts: node itself in the repo root with this environment unless given. */
export interface ProcessOptions {
  readonly command?: string
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
}

/** runProcess runs a command to its exit, timing it from spawn to exit; it rejects when it cannot start. */
export function runProcess(
  args: readonly string[],
  { command = process.execPath, env = process.env, cwd = REPO_ROOT }: ProcessOptions = {},
): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const startMs = performance.now()
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, JOB_TIMEOUT_MS)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - startMs
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, wallMs, timedOut })
    })
  })
}

/** allOutput is a process's stdout then its stderr, for tools (go) that report errors on either. */
export function allOutput(outcome: ProcessOutcome): string {
  return [outcome.stdout, outcome.stderr]
    .map((text) => text.trimEnd())
    .filter((text) => text !== '')
    .join('\n')
}

/** describeExit says how a process failed, with the last lines of its output. */
export function describeExit(outcome: ProcessOutcome, output: string = outcome.stderr): string {
  if (outcome.timedOut) return `no result after ${JOB_TIMEOUT_MS / 1000} s; killed`
  const lastLines = output.trim().split('\n').slice(-3).join(' | ')
  const how = outcome.signal !== null ? `killed by ${outcome.signal}` : `exit code ${outcome.code}`
  return lastLines === '' ? how : `${how}: ${lastLines}`
}
