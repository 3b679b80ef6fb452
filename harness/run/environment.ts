// The environment fingerprint recorded with every run: enough to tell whether two results came
// from comparable machines and runtimes.
import { execFile } from 'node:child_process'
import { arch, cpus, hostname, loadavg, platform, release, totalmem, availableParallelism } from 'node:os'
import { promisify } from 'node:util'
import type { Environment } from '../results/schema.ts'

const run = promisify(execFile)

// Node's process.arch names → Go's GOARCH names (Node's ppc64 is little-endian on Linux).
const GOARCH: Readonly<Record<string, string>> = {
  x64: 'amd64',
  ia32: '386',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
}
const GOOS: Readonly<Record<string, string>> = { win32: 'windows', sunos: 'solaris' }

/** goarch returns Go's name for a Node architecture. */
export function goarch(nodeArch: string = arch()): string {
  return GOARCH[nodeArch] ?? nodeArch
}

/** goos returns Go's name for a Node platform. */
export function goos(nodePlatform: string = platform()): string {
  return GOOS[nodePlatform] ?? nodePlatform
}

/** GitState is the commit of the checkout and whether tracked files have uncommitted changes. */
export interface GitState {
  readonly commit: string
  readonly dirty: boolean
}

/** gitState returns the checkout's commit, or undefined outside a git checkout (or without git). */
export async function gitState(cwd: string): Promise<GitState | undefined> {
  try {
    const [{ stdout: head }, { stdout: status }] = await Promise.all([
      run('git', ['rev-parse', 'HEAD'], { cwd }),
      run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd }),
    ])
    return { commit: head.trim(), dirty: status.trim() !== '' }
  } catch {
    return undefined
  }
}

/** collectEnvironment fingerprints this machine and the workers' runtime flags. */
export async function collectEnvironment(workerExecArgv: readonly string[], cwd: string): Promise<Environment> {
  const git = await gitState(cwd)
  const [one, five, fifteen] = loadavg()
  return {
    goos: goos(),
    goarch: goarch(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    cores: Math.max(1, availableParallelism()),
    totalMemoryBytes: totalmem(),
    osRelease: release(),
    node: process.versions.node,
    v8: process.versions.v8,
    execArgv: [...workerExecArgv],
    loadAverage: [one ?? 0, five ?? 0, fifteen ?? 0],
    hostname: hostname(),
    ...(git === undefined ? {} : { commit: git.commit, dirty: git.dirty }),
  }
}
