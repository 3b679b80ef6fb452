// Helpers of the integration tests that drive real tools and servers: is a tool installed (and
// must it be, under SLURMBENCH_STRICT=1), a free loopback port, a bounded wait.
import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** STRICT is set by .ci/run: a missing tool fails the test instead of skipping it. */
export const STRICT = process.env.SLURMBENCH_STRICT === '1'

/** which says whether `tool` is on PATH. */
export async function which(tool: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${tool}`])
    return true
  } catch {
    return false
  }
}

/**
 * requireTools resolves to true when every tool is on PATH; otherwise false (the caller skips),
 * or, under SLURMBENCH_STRICT=1, it throws naming the missing tools and the Debian packages.
 */
export async function requireTools(tools: readonly string[], install: string): Promise<boolean> {
  const missing: string[] = []
  for (const tool of tools) if (!(await which(tool))) missing.push(tool)
  if (missing.length === 0) return true
  if (STRICT) throw new Error(`${missing.join(', ')} required (${install})`)
  return false
}

/** freePort returns a port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** waitFor polls `probe` every `everyMs` until it returns a value, or throws "`what` within N ms". */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch {
      // not there yet
    }
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
