// Entry of a testbed server in its own process (see child-process.ts): argv[2] is a JSON
// ChildSpec. Prints one JSON line {"url"} when listening; exits when stdin closes (the parent
// died or closed it) or on SIGTERM.

import { logCollectorFailure, logCollectorRecovery, logSlurmWarning } from '../exporter/collector-log.ts'
import { startExporter } from '../exporter/index.ts'
import type { ChildSpec } from './child-process.ts'

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as ChildSpec
  let server: { url: string; close(): Promise<void> }
  if (spec.kind === 'exporter') {
    // A benchmark that sees a collector fail can then say why (ChildServer.stderrTail).
    server = await startExporter({ ...spec.options, onCollectorError: logCollectorFailure, onCollectorRecovered: logCollectorRecovery, onWarning: logSlurmWarning })
  } else {
    const { startMockSlurm } = await import('../mock-slurm/index.ts')
    server = await startMockSlurm(spec.options as Parameters<typeof startMockSlurm>[0])
  }
  process.stdout.write(JSON.stringify({ url: server.url }) + '\n')
  const stop = (): void => {
    server.close().finally(() => process.exit(0))
  }
  process.stdin.on('end', stop).on('close', stop).resume()
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`child server: ${(error as Error).stack ?? String(error)}\n`)
  process.exit(1)
})
