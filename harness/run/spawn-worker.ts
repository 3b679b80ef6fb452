// Running one worker process: spawn, watchdog, and telling a report from a timeout, an
// out-of-memory death or a crash. Worker stdout/stderr are captured so the parent's stdout holds
// only Go's format.
import { spawn, type ChildProcess } from 'node:child_process'
import { WORKER_JOB_ENV, type WorkerJob, type WorkerReport } from './worker-protocol.ts'

/** CAPTURE_LIMIT_BYTES bounds how much worker output is kept (the tail is what explains a crash). */
const CAPTURE_LIMIT_BYTES = 64 * 1024

/** WorkerRun is how one worker process ended. */
export type WorkerRun =
  | { readonly kind: 'report'; readonly report: WorkerReport; readonly output: string; readonly wallMs: number }
  | { readonly kind: 'timeout'; readonly output: string; readonly wallMs: number }
  | { readonly kind: 'out-of-memory'; readonly output: string; readonly wallMs: number }
  | { readonly kind: 'crash'; readonly message: string; readonly output: string; readonly wallMs: number }

/** WorkerSpawn says how to start a worker. */
export interface WorkerSpawn {
  readonly bundlePath: string
  readonly execArgv: readonly string[]
  readonly job: WorkerJob
  /** Kill the worker after this many milliseconds (Infinity: never). */
  readonly timeoutMs: number
  /** Extra environment (SLURMBENCH_FULL). */
  readonly env: Readonly<Record<string, string>>
  readonly cwd: string
}

// V8's fatal out-of-memory messages (heap limit, or an allocation that could not be satisfied).
const OOM_PATTERN = /JavaScript heap out of memory|Reached heap limit|Allocation failed|invalid array length|Array buffer allocation failed/

// Workers alive right now; killed if the parent is interrupted, so no hung benchmark outlives it.
const liveWorkers = new Set<ChildProcess>()

function killLiveWorkers(): void {
  for (const child of liveWorkers) child.kill('SIGKILL')
}

function onSignal(signal: NodeJS.Signals): void {
  killLiveWorkers()
  process.kill(process.pid, signal) // the handler was `once`: this ends the parent as the signal would have
}

function track(child: ChildProcess): void {
  if (liveWorkers.size === 0) {
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    process.once('exit', killLiveWorkers)
  }
  liveWorkers.add(child)
}

function untrack(child: ChildProcess): void {
  liveWorkers.delete(child)
  if (liveWorkers.size === 0) {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
    process.removeListener('exit', killLiveWorkers)
  }
}

/** runWorker starts one worker and resolves when it has ended, however it ended. */
export function runWorker(options: WorkerSpawn): Promise<WorkerRun> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...options.execArgv, options.bundlePath], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, [WORKER_JOB_ENV]: JSON.stringify(options.job) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    })
    track(child)
    let output = ''
    const capture = (chunk: Buffer): void => {
      output += chunk.toString('utf8')
      if (output.length > CAPTURE_LIMIT_BYTES) output = output.slice(-CAPTURE_LIMIT_BYTES)
    }
    child.stdout?.on('data', capture)
    child.stderr?.on('data', capture)
    let report: WorkerReport | undefined
    child.on('message', (message) => {
      if ((message as WorkerReport).type === 'slurmbench.report') report = message as WorkerReport
    })
    let timedOut = false
    const watchdog = Number.isFinite(options.timeoutMs)
      ? setTimeout(() => {
          timedOut = true
          child.kill('SIGKILL')
        }, options.timeoutMs)
      : undefined
    let spawnError: Error | undefined
    child.on('error', (err) => {
      spawnError = err
    })
    child.on('close', (code, signal) => {
      untrack(child)
      if (watchdog !== undefined) clearTimeout(watchdog)
      const wallMs = performance.now() - started
      if (report !== undefined) resolve({ kind: 'report', report, output, wallMs })
      else if (timedOut) resolve({ kind: 'timeout', output, wallMs })
      else if (OOM_PATTERN.test(output)) resolve({ kind: 'out-of-memory', output, wallMs })
      else {
        const how = spawnError !== undefined ? spawnError.message : signal !== null ? `killed by ${signal}` : `exit status ${code}`
        resolve({ kind: 'crash', message: `worker ended without a result (${how})`, output, wallMs })
      }
    })
  })
}
