// Running `slurmbench bench` as a child process and reading its JSON results. A child (not an
// in-process call) lets the base side of an A/B run use the base commit's own harness, and lets
// an experiment set environment variables for one side only. spawnPairedBench runs bench's pair
// mode: both sides in the same workers, with this checkout's harness.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { InputError } from '../../common/input-error.ts'
import { readResults } from '../results/json.ts'
import type { ResultsDocument } from '../results/schema.ts'

/** SpawnBenchOptions say where and how to run the CLI. */
export interface SpawnBenchOptions {
  /** Repository root whose bin/slurmbench.js runs (this one, or a base worktree). */
  readonly cwd: string
  /** Arguments after `bench` (selection, benchtime, count). */
  readonly args: readonly string[]
  /** Extra environment for the child (the experiment's SLURMBENCH_SLOWDOWN). */
  readonly env?: Readonly<Record<string, string>>
  /** Where the child's Go-format stdout goes: discarded, or copied to our stderr. */
  readonly echo?: boolean
  /** Lets Ctrl-C stop the child at once. */
  readonly signal?: AbortSignal
  /** Called with each package's last line (`ok  \tpkg\t1.234s`, `FAIL\t…`) as the child prints it. */
  readonly onPackage?: (line: string) => void
}

/** PACKAGE_LINE matches Go's last line for a package in bench's stdout. */
const PACKAGE_LINE = /^(?:ok {2}|FAIL)\t\S+\t\S+$/

/** STDERR_TAIL_CHARS bounds how much of a failed child's stderr is quoted in the error. */
const STDERR_TAIL_CHARS = 2000

/**
 * cliOf returns the CLI a checkout runs: in a project that installed slurmbench (an exporter's
 * repository), node_modules/slurmbench's; in a slurmbench checkout, its own bin/slurmbench.js.
 */
export function cliOf(root: string): string {
  const installed = join(root, 'node_modules', 'slurmbench', 'bin', 'slurmbench.js')
  return existsSync(installed) ? installed : join(root, 'bin', 'slurmbench.js')
}

/** spawnBench runs `node bin/slurmbench.js bench … -json <tmp>` and returns the results document. */
export async function spawnBench(options: SpawnBenchOptions): Promise<ResultsDocument> {
  return (await runBenchChild(options, []))[0] as ResultsDocument
}

/** PairedBenchOptions add pair mode's base side to SpawnBenchOptions (whose cwd is the head). */
export interface PairedBenchOptions extends SpawnBenchOptions {
  /** Root of the installed base checkout. */
  readonly baseRoot: string
  /** Environment set only while the base side runs (`env` applies to both sides). */
  readonly baseEnv?: Readonly<Record<string, string>>
  /** The head takes the first turn (alternate it from round to round). */
  readonly headFirst: boolean
}

/** PairedResults are both sides of one pair-mode run; sample k of each came from the same worker. */
export interface PairedResults {
  readonly base: ResultsDocument
  readonly head: ResultsDocument
}

/** spawnPairedBench runs `bench -pair <baseRoot>` in the head checkout and returns both sides. */
export async function spawnPairedBench(options: PairedBenchOptions): Promise<PairedResults> {
  const env = Object.entries(options.baseEnv ?? {}).map(([k, v]) => `${k}=${v}`)
  const extra = ['-pair', options.baseRoot, ...(env.length > 0 ? ['-pair-env', env.join(',')] : []), ...(options.headFirst ? ['-pair-head-first'] : [])]
  const [head, base] = await runBenchChild(options, extra, true)
  return { base: base as ResultsDocument, head: head as ResultsDocument }
}

// runBenchChild runs the CLI and reads its -json document (and -pair-json's when `paired`).
async function runBenchChild(options: SpawnBenchOptions, extraArgs: readonly string[], paired = false): Promise<ResultsDocument[]> {
  const dir = await mkdtemp(join(tmpdir(), 'slurmbench-run-'))
  const jsonPath = join(dir, 'results.json')
  const pairJsonPath = join(dir, 'base.json')
  try {
    const args = [cliOf(options.cwd), 'bench', ...options.args, ...extraArgs, `-json=${jsonPath}`, ...(paired ? [`-pair-json=${pairJsonPath}`] : [])]
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    })
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.echo === true) process.stderr.write(chunk)
    })
    const onPackage = options.onPackage
    if (onPackage !== undefined) {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (PACKAGE_LINE.test(line)) onPackage(line)
      })
    }
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS)
    })
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (c) => resolve(c))
    })
    if (code !== 0) {
      const tail = stderr.trim().split('\n').slice(-3).join(' | ')
      throw new InputError(`bench in ${options.cwd} exited with ${code}${tail ? `: ${tail}` : ''}`)
    }
    return paired ? [await readResults(jsonPath), await readResults(pairJsonPath)] : [await readResults(jsonPath)]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
