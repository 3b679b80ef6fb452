// Running the real CLI from tests: `node bin/slurmbench.js …args`, what it printed and returned.
import { execFile, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** ROOT is the repository root. */
export const ROOT = join(import.meta.dirname, '..', '..')

/** CliResult is what a CLI run printed and returned. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** runCli runs `node bin/slurmbench.js …args` in `cwd`, killing it after `timeoutMs`. */
export function runCli(args: readonly string[], cwd = ROOT, timeoutMs = 60_000): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'slurmbench.js'), ...args], { cwd, encoding: 'utf8', timeout: timeoutMs })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** runCliAsync is runCli without blocking the test's event loop, so servers the test runs keep answering. */
export async function runCliAsync(args: readonly string[], cwd = ROOT): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin', 'slurmbench.js'), ...args], { cwd, maxBuffer: 1 << 24 })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number | null; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}
