// `slurmbench exporter`: the reference Slurm exporter (testbed/exporter/cli.ts) in this process,
// so killing the pid that was started stops the server (and its embedded mock, if any).
import type { Command } from './command.ts'

/** command serves the reference exporter's /metrics until SIGINT or SIGTERM. */
export const command: Command = {
  summary: 'serve the reference Slurm exporter (/metrics), reading slurmrestd or an embedded mock',
  run: async (argv) => (await import('../../testbed/index.ts')).runExporterCli(argv),
}
