// Testbed servers in their own processes, for measurements that need a separate event loop and a
// separate RSS: the exporter whose memory is measured, the mock slurmrestd that feeds it.

import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ExporterOptions } from '../exporter/index.ts'
import { repoRoot } from './mock-process.ts'
import { readProcessMemorySync, resetPeakRssSync } from '../../common/procfs.ts'
import { type BuildOutput, cachedBuild } from '../../common/build-cache.mjs'

/** ChildSpec says which server a child runs, with JSON-serialisable options. */
export type ChildSpec =
  | { readonly kind: 'exporter'; readonly options: Omit<ExporterOptions, 'dispatcher' | 'onCollectorError' | 'onCollectorRecovered' | 'onWarning' | 'onApiVersion' | 'onModeSwitch'> }
  | { readonly kind: 'mock'; readonly options: Record<string, unknown> }

/** ChildServer is a running server in a child process. */
export interface ChildServer {
  readonly url: string
  readonly pid: number
  /** peakRssBytes is the child's peak resident set (VmHWM), or undefined where /proc is missing. */
  peakRssBytes(): number | undefined
  /** resetPeakRss restarts the peak from the current RSS (Linux clear_refs); false when unsupported. */
  resetPeakRss(): boolean
  /** stderrTail is the last few KB the child wrote to stderr (an exporter logs each failed collector there). */
  stderrTail(): string
  close(): Promise<void>
}

/** CHILD_START_TIMEOUT_MS bounds a child's start (a bundle build or tsx compile plus, for a mock, cluster generation). */
const CHILD_START_TIMEOUT_MS = 120_000

const children = new Set<ChildProcess>()
// A benchmark worker can end without closing what it started; its children must not outlive it.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

/** spawnChildServer starts a server in a child process and resolves once it listens. */
export async function spawnChildServer(spec: ChildSpec): Promise<ChildServer> {
  const child = spawn(process.execPath, [...(await childEntryArgs()), JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'pipe'] })
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
    peakRssBytes: () => readProcessMemorySync(pid)?.peakRssBytes,
    stderrTail: () => stderr,
    resetPeakRss: () => resetPeakRssSync(pid),
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

/**
 * childEntryArgs returns the Node arguments that run child-entry.ts. Through tsx every child
 * compiles the exporter and the mock again: 7.0 s against 3.0 s for a bundle to start and stop a
 * 100-node mock on the loaded 2-core machine, and the benchmarks start dozens of children. So the
 * entry is bundled once with esbuild into node_modules/.cache and reused while none of its inputs
 * changed (common/build-cache.mjs, which bin/slurmbench.js uses for the CLI too); tsx stays the fallback.
 */
export async function childEntryArgs(): Promise<string[]> {
  // A compiled package (dist/, .js) runs its compiled entry: no sources to bundle.
  if (import.meta.url.endsWith('.js')) return [fileURLToPath(new URL('./child-entry.js', import.meta.url))]
  const root = repoRoot()
  const entry = join(root, 'testbed', 'rig', 'child-entry.ts')
  try {
    const cacheDir = join(root, 'node_modules', '.cache', 'slurmbench-exporter')
    return [
      await cachedBuild({
        root,
        cacheDir,
        recordName: 'child-current.json',
        prefix: 'child',
        build: (name) => buildChildBundle(root, entry, join(cacheDir, `${name}.mjs`)),
      }),
    ]
  } catch {
    return ['--import', pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, entry]
  }
}

async function buildChildBundle(root: string, entry: string, file: string): Promise<BuildOutput> {
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: file,
    absWorkingDir: root,
    metafile: true,
    logLevel: 'silent',
  })
  return { path: file, inputs: Object.keys(result.metafile.inputs) }
}
