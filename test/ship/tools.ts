// The external tools the ship tests need (kubectl, podman, debootstrap, promtool). Without them a
// test skips with a message naming what is missing, except under SLURMBENCH_STRICT=1 (CI), where
// it fails instead.
import { spawnSync } from 'node:child_process'

/** STRICT is set in CI: a missing tool is a failure, not a skip. */
export const STRICT = process.env.SLURMBENCH_STRICT === '1'

/** missingTools returns the tools of `tools` that are not on PATH (or, for an absolute path, not executable). */
export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((tool) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status !== 0)
}

/**
 * toolGate says whether a suite runs: it skips (with a warning) when tools are missing and not in
 * strict mode; in strict mode it runs and `assertTools` fails it.
 */
export function toolGate(tools: readonly string[], what: string): { readonly skip: boolean; readonly assertTools: () => void } {
  const missing = missingTools(tools)
  const message = `${what} needs ${missing.join(', ')} (not found on PATH); install it (apt-get install ${missing.join(' ')})`
  if (missing.length > 0 && !STRICT) process.stderr.write(`skipping: ${message}\n`)
  return {
    skip: missing.length > 0 && !STRICT,
    assertTools: () => {
      if (missing.length > 0) throw new Error(`${message}; SLURMBENCH_STRICT=1 makes this a failure`)
    },
  }
}
