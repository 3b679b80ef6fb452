// `slurmbench exporter [flags]` (or run directly: `npm run exporter -- …`): the reference Slurm
// exporter as a program. See USAGE.

import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CliOptionsError, parseCliOptions, USAGE } from './cli-options.ts'
import { logCollectorFailure, logCollectorRecovery, logSlurmWarning } from './collector-log.ts'
import { startDebugServer } from './debug-server.ts'
import { startExporter } from './index.ts'
import { AuthSetupError, createCredentials } from './slurm-auth.ts'

/** MOCK_TOKEN_LIFESPAN_S outlives any session with the embedded mock (a real token lasts 1800 s). */
const MOCK_TOKEN_LIFESPAN_S = 30 * 24 * 3600

/** EmbeddedSlurm is a slurmrestd started for the exporter when no --slurm-url is given. */
export interface EmbeddedSlurm {
  readonly url: string
  token(user: string, lifespanSec: number): string
  close(): Promise<void>
}

/**
 * StartEmbeddedSlurm starts one for a preset name, or throws CliOptionsError for an unknown preset.
 * It is passed in by the testbed's entry point: the system under test never imports the mock.
 */
export type StartEmbeddedSlurm = (preset: string) => Promise<EmbeddedSlurm>

/** run serves the exporter as argv says until SIGINT or SIGTERM, then resolves to the exit code (2: bad flags). */
export async function run(argv: readonly string[], embedded?: StartEmbeddedSlurm): Promise<number> {
  let plan: ReturnType<typeof parseCliOptions>
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
  // A token file or key that cannot be read is a setup error: say so before starting anything.
  if (options.auth !== undefined && (options.auth.kind === 'token-file' || options.auth.kind === 'jwt-key')) {
    try {
      await createCredentials(options.auth).headers()
    } catch (error) {
      if (error instanceof AuthSetupError) {
        process.stderr.write(`exporter: ${error.message}\n`)
        return 2
      }
      throw error
    }
  }
  let closeMock: (() => Promise<void>) | undefined
  if (slurmUrl === undefined) {
    if (embedded === undefined) {
      process.stderr.write('exporter: no --slurm-url given (and no embedded mock slurmrestd in this entry point; `slurmbench exporter` has one)\n')
      return 2
    }
    let mock: EmbeddedSlurm
    try {
      mock = await embedded(plan.mockPreset)
    } catch (error) {
      if (error instanceof CliOptionsError) {
        process.stderr.write(`exporter: ${error.message}\n`)
        return 2
      }
      throw error
    }
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
    onCollectorRecovered: logCollectorRecovery,
    onWarning: logSlurmWarning,
    onApiVersion: (version) =>
      process.stderr.write(`exporter: slurmrestd answers data_parser ${version}, the newest it serves of those the exporter reads; reading it\n`),
    onModeSwitch: ({ collectionMs, thresholdMs, refreshIntervalMs }) =>
      process.stderr.write(
        `exporter: a collection took ${shortDuration(collectionMs)}, more than ${shortDuration(thresholdMs)} (half the scrape timeout); ` +
          `collecting in the background from now on, ${shortDuration(refreshIntervalMs)} apart, and answering scrapes from the latest collection ` +
          `(slurm_exporter_collection_age_seconds shows its age; --collection-mode on-demand collects per scrape)\n`,
      ),
  })
  process.stderr.write(
    `exporter: serving ${exporter.url}/metrics, ${exporter.url}/health and ${exporter.url}/ready (slurmrestd ${slurmUrl}, api version ${options.apiVersion}, collection ${options.collectionMode}, cache ${shortDuration(options.cacheTtlMs ?? 0)})\n`,
  )

  const debug = plan.debugListen === undefined ? undefined : await startDebugServer(plan.debugListen.port, plan.debugListen.host)
  if (debug !== undefined) process.stderr.write(`exporter: profiling endpoints at ${debug.url}/debug/pprof/ (go tool pprof ${debug.url}/debug/pprof/heap)\n`)

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await debug?.close()
  await exporter.close()
  await closeMock?.()
  return 0
}

function shortDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`
}

/** runOrExplain is run, with the startup failures a user can cause (port in use, bad mock preset) as one line, not a stack. */
export function runOrExplain(argv: readonly string[], embedded?: StartEmbeddedSlurm): Promise<number> {
  return run(argv, embedded).catch((error: unknown) => {
    const e = error as NodeJS.ErrnoException
    process.stderr.write(`exporter: ${e.code === 'EADDRINUSE' ? `port already in use (${e.message})` : e.message}\n`)
    return e.code === 'EADDRINUSE' ? 2 : 1
  })
}

// Run directly (npm run exporter) rather than imported by the CLI.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void runOrExplain(process.argv.slice(2)).then((code) => process.exit(code))
}
