// Process plumbing for the real Slurm: bounded command runs, bounded waits, and stopping by pid.
// Every wait here has a wall-clock limit, because a daemon that cannot start (no /etc/hosts, a
// bad config) otherwise leaves its clients retrying for many minutes.
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

/** CommandResult is the outcome of a finished command. */
export interface CommandResult {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

/** CommandOptions bound a command run. */
export interface CommandOptions {
  timeoutMs: number
  env?: NodeJS.ProcessEnv
  input?: string
}

/** runCommand runs `file args` to completion, killed with SIGKILL past `timeoutMs`; it never throws for a non-zero exit. */
export function runCommand(file: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      {
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        env: options.env ?? process.env,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const e = error as
          | (NodeJS.ErrnoException & {
              code?: unknown
              signal?: NodeJS.Signals | null
            })
          | null
        if (e !== null && typeof e.code === 'string') {
          resolve({
            code: null,
            signal: null,
            stdout,
            stderr: `${stderr}${e.message}`,
          })
          return
        }
        resolve({
          code: e === null ? 0 : typeof e.code === 'number' ? e.code : null,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        })
      },
    )
    if (options.input !== undefined) child.stdin?.end(options.input)
  })
}

/** CommandFailedError is a command that exited non-zero or was killed at its time limit. */
export class CommandFailedError extends Error {
  readonly code = 'COMMAND_FAILED'
  constructor(
    readonly command: string,
    readonly result: CommandResult,
  ) {
    const how = result.signal !== null ? `was killed (${result.signal}, time limit?)` : `exited with ${result.code}`
    super(`${command} ${how}\n${tail(`${result.stdout}\n${result.stderr}`.trim(), 40)}`)
  }
}

/** mustRun is runCommand that throws CommandFailedError unless the command exits 0. */
export async function mustRun(file: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  const result = await runCommand(file, args, options)
  if (result.code !== 0) throw new CommandFailedError([file, ...args].join(' '), result)
  return result
}

/** tail returns the last `lines` lines of `text`. */
export function tail(text: string, lines: number): string {
  const all = text.split('\n')
  return all.slice(Math.max(0, all.length - lines)).join('\n')
}

/** ProcessState is what /proc says of a pid: running (any live state), zombie, or gone. */
export type ProcessState = 'running' | 'zombie' | 'gone'

/** processState reads /proc/PID/stat; a zombie counts as stopped because `kill -0` succeeds on one until it is reaped. */
export function processState(pid: number): ProcessState {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return 'gone'
  }
  // The command name in parentheses may contain spaces: the state follows the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3)
  return state === 'Z' || state === 'X' ? 'zombie' : 'running'
}

/** isStopped is true for a pid that is gone or a zombie. */
export function isStopped(pid: number): boolean {
  return processState(pid) !== 'running'
}

/** pidsInRoot lists the live processes whose root directory is `root` (everything running in the chroot). */
export function pidsInRoot(root: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readlinkSync(`/proc/${entry}/root`) === root && !isStopped(Number(entry))) found.push(Number(entry))
    } catch {
      // Gone between readdir and readlink.
    }
  }
  return found
}

/** sleep waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** WaitTimeoutError is a condition that did not hold within its wall-clock limit. */
export class WaitTimeoutError extends Error {
  readonly code = 'WAIT_TIMEOUT'
}

/** StopWaiting thrown by a waitUntil check ends the wait at once (the awaited thing cannot happen any more). */
export class StopWaiting extends Error {
  readonly code = 'STOP_WAITING'
}

/**
 * waitUntil polls `check` until it returns a value other than undefined, or throws WaitTimeoutError
 * after `limitMs` naming `what` and the last failure `check` reported.
 */
export async function waitUntil<T>(what: string, limitMs: number, check: () => Promise<T | undefined> | T | undefined, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + limitMs
  let last = ''
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined) return value
    } catch (error) {
      if (error instanceof StopWaiting) throw error
      last = (error as Error).message
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(`${what}: not reached within ${limitMs} ms${last ? ` (last error: ${last})` : ''}`)
    await sleep(intervalMs)
  }
}

/** stopPids sends SIGTERM to every live pid, waits up to `graceMs`, then SIGKILLs the rest and waits for them (bounded). */
export async function stopPids(pids: readonly number[], graceMs = 5_000): Promise<number[]> {
  const live = pids.filter((pid) => !isStopped(pid))
  for (const pid of live) signal(pid, 'SIGTERM')
  const termDeadline = Date.now() + graceMs
  while (Date.now() < termDeadline && live.some((pid) => !isStopped(pid))) await sleep(50)
  const stubborn = live.filter((pid) => !isStopped(pid))
  for (const pid of stubborn) signal(pid, 'SIGKILL')
  const killDeadline = Date.now() + 5_000
  while (Date.now() < killDeadline && stubborn.some((pid) => !isStopped(pid))) await sleep(50)
  return stubborn.filter((pid) => !isStopped(pid))
}

/** killPidsNow SIGKILLs every pid at once, synchronously: for exit handlers, where nothing can be awaited. */
export function killPidsNow(pids: readonly number[]): void {
  for (const pid of pids) if (!isStopped(pid)) signal(pid, 'SIGKILL')
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // Already gone.
  }
}
