// The testbed's public entry point: what the harness (the load command's embedded targets) may
// use of the mock slurmrestd, the reference exporter and the rig that runs them as processes.
export { DEFAULT_JWT_KEY, mintToken, PRESETS, type PresetName, SUPPORTED_VERSIONS } from './mock-slurm/index.ts'
export { type ChildServer, spawnChildServer } from './rig/child-process.ts'

/** runMockSlurmCli runs `slurmbench mock-slurm`: the mock's command line (mock-slurm/cli.ts), loaded only when called. */
export async function runMockSlurmCli(argv: readonly string[]): Promise<number> {
  return (await import('./mock-slurm/cli.ts')).run(argv)
}

/** runExporterCli runs `slurmbench exporter`: the reference exporter's command line (exporter/cli.ts), loaded only when called. */
export async function runExporterCli(argv: readonly string[]): Promise<number> {
  return (await import('./exporter/cli.ts')).runOrExplain(argv)
}
