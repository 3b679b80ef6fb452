// Testbed servers in their own processes, for measurements that need a separate event loop and a
// separate RSS: the exporter whose memory is measured, the mock slurmrestd that feeds it.

import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import type { ExporterOptions } from './index.ts'
import { repoRoot } from '../mock-slurm/child-process.ts'

/** ChildSpec says which server a child runs, with JSON-serialisable options. */
export type ChildSpec =
  | { readonly kind: 'exporter'; readonly options: Omit<ExporterOptions, 'dispatcher' | 'onCollectorError'> }
  | { readonly kind: 'mock'; readonly options: Record<string, unknown> }

/** ChildServer is a running server in a child process. */
export interface ChildServer {
  readonly url: string
  readonly pid: number
  /** peakRssBytes is the child's peak resident set (VmHWM), or undefined where /proc is missing. */
  peakRssBytes(): number | undefined
  /** resetPeakRss restarts the peak from the current RSS (Linux clear_refs); false when unsupported. */
  resetPeakRss(): boolean
  close(): Promise<void>
}

/** CHILD_START_TIMEOUT_MS bounds a child's start (tsx compile plus, for a mock, cluster generation). */
const CHILD_START_TIMEOUT_MS = 120_000

const children = new Set<ChildProcess>()
// A benchmark worker can end without closing what it started; its children must not outlive it.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

/** spawnChildServer starts a server in a child process and resolves once it listens. */
export async function spawnChildServer(spec: ChildSpec): Promise<ChildServer> {
  const root = repoRoot()
  const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
  const entry = join(root, 'testbed', 'exporter', 'child-entry.ts')
  const child = spawn(process.execPath, ['--import', tsx, entry, JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'pipe'] })
  children.add(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000)
  })
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${spec.kind} child did not start within ${CHILD_START_TIMEOUT_MS} ms`)), CHILD_START_TIMEOUT_MS)
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (line) => {
      clearTimeout(timer)
      try {
        resolve((JSON.parse(line) as { url: string }).url)
      } catch {
        reject(new Error(`${spec.kind} child printed ${JSON.stringify(line)} instead of its URL`))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${spec.kind} child exited with code ${code}: ${stderr.trim()}`))
    })
  })
  const pid = child.pid as number
  return {
    url,
    pid,
    peakRssBytes: () => procStatusBytes(pid, 'VmHWM'),
    resetPeakRss: () => {
      try {
        // "5" resets the peak RSS (proc(5), /proc/pid/clear_refs, Linux ≥ 4.0).
        writeFileSync(`/proc/${pid}/clear_refs`, '5')
        return true
      } catch {
        return false
      }
    },
    close: async () => {
      if (child.exitCode !== null) return
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.stdin?.end()
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
      children.delete(child)
    },
  }
}

function procStatusBytes(pid: number, field: string): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

