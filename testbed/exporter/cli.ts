// `slurmbench exporter [flags]` (or run directly: `npm run exporter -- …`): the reference Slurm
// exporter as a program. See USAGE.

import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CliOptionsError, parseCliOptions, USAGE } from './cli-options.ts'
import { logCollectorFailure } from './collector-log.ts'
import { startExporter } from './index.ts'

/** MOCK_TOKEN_LIFESPAN_S outlives any session with the embedded mock (a real token lasts 1800 s). */
const MOCK_TOKEN_LIFESPAN_S = 30 * 24 * 3600

/** run serves the exporter as argv says until SIGINT or SIGTERM, then resolves to the exit code (2: bad flags). */
export async function run(argv: readonly string[]): Promise<number> {
  let plan
  try {
    plan = parseCliOptions(argv, process.env)
  } catch (error) {
    if (error instanceof CliOptionsError) {
      process.stderr.write(`exporter: ${error.message}\n`)
      return 2
    }
    throw error
  }
  if (plan.kind === 'help') {
    process.stdout.write(USAGE)
    return 0
  }

  let options = plan.options
  let slurmUrl = plan.slurmUrl
  let closeMock: (() => Promise<void>) | undefined
  if (slurmUrl === undefined) {
    // Imported only when needed: a real deployment never loads the mock's generator.
    const { startMockSlurm, PRESETS } = await import('../mock-slurm/index.ts')
    if (!Object.hasOwn(PRESETS, plan.mockPreset)) {
      process.stderr.write(`exporter: --mock-preset: found ${JSON.stringify(plan.mockPreset)}, expected one of ${Object.keys(PRESETS).join(', ')}\n`)
      return 2
    }
    const mock = await startMockSlurm({ preset: plan.mockPreset as keyof typeof PRESETS, logLevel: 'error' })
    slurmUrl = mock.url
    closeMock = () => mock.close()
    // The embedded mock checks JWTs like slurmrestd; sign in as root unless the flags gave a token.
    if (options.auth?.kind === 'none') options = { ...options, auth: { kind: 'user-token', user: 'root', token: mock.token('root', MOCK_TOKEN_LIFESPAN_S) } }
    process.stderr.write(`exporter: no --slurm-url; started an embedded mock slurmrestd (preset ${plan.mockPreset}) at ${mock.url}\n`)
  }

  const exporter = await startExporter({
    ...options,
    slurmUrl,
    onCollectorError: logCollectorFailure,
    onModeSwitch: ({ collectionMs, thresholdMs, refreshIntervalMs }) =>
      process.stderr.write(
        `exporter: a collection took ${shortDuration(collectionMs)}, more than ${shortDuration(thresholdMs)} (half the scrape timeout); ` +
          `collecting in the background from now on, ${shortDuration(refreshIntervalMs)} apart, and answering scrapes from the latest collection ` +
          `(slurm_exporter_collection_age_seconds shows its age; --collection-mode on-demand collects per scrape)\n`,
      ),
  })
  process.stderr.write(
    `exporter: serving ${exporter.url}/metrics and ${exporter.url}/health (slurmrestd ${slurmUrl}, ${options.apiVersion}, collection ${options.collectionMode})\n`,
  )

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await exporter.close()
  await closeMock?.()
  return 0
}

function shortDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`
}

/** runOrExplain is run, with the startup failures a user can cause (port in use, bad mock preset) as one line, not a stack. */
export function runOrExplain(argv: readonly string[]): Promise<number> {
  return run(argv).catch((error: unknown) => {
    const e = error as NodeJS.ErrnoException
    process.stderr.write(`exporter: ${e.code === 'EADDRINUSE' ? `port already in use (${e.message})` : e.message}\n`)
    return e.code === 'EADDRINUSE' ? 2 : 1
  })
}

// Run directly (npm run exporter) rather than imported by the CLI.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void runOrExplain(process.argv.slice(2)).then((code) => process.exit(code))
}
