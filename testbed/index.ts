// The testbed's public entry point: what the harness (the load command's embedded targets) may
// use of the mock slurmrestd, the reference exporter and the rig that runs them as processes.
export { DEFAULT_JWT_KEY, mintToken, PRESETS, type PresetName, SUPPORTED_VERSIONS } from './mock-slurm/index.ts'
export { type ChildServer, spawnChildServer } from './rig/child-process.ts'
import type { EmbeddedSlurm } from './exporter/cli.ts'

/** runMockSlurmCli runs `slurmbench mock-slurm`: the mock's command line (mock-slurm/cli.ts), loaded only when called. */
export async function runMockSlurmCli(argv: readonly string[]): Promise<number> {
  return (await import('./mock-slurm/cli.ts')).run(argv)
}

/** runExporterCli runs `slurmbench exporter`: the reference exporter's command line (exporter/cli.ts), loaded only when called. */
export async function runExporterCli(argv: readonly string[]): Promise<number> {
  const { runOrExplain } = await import('./exporter/cli.ts')
  return runOrExplain(argv, startEmbeddedSlurm)
}

// Without --slurm-url the exporter command reads a mock slurmrestd started here; imported only
// then, so a real deployment never loads the mock's generator.
async function startEmbeddedSlurm(preset: string): Promise<EmbeddedSlurm> {
  const { startMockSlurm, PRESETS } = await import('./mock-slurm/index.ts')
  const { CliOptionsError } = await import('./exporter/cli-options.ts')
  if (!Object.hasOwn(PRESETS, preset)) throw new CliOptionsError(`--mock-preset: found ${JSON.stringify(preset)}, expected one of ${Object.keys(PRESETS).join(', ')}`)
  return startMockSlurm({ preset: preset as keyof typeof PRESETS, logLevel: 'error' })
}
