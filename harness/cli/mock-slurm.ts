// `slurmbench mock-slurm`: the mock slurmrestd (testbed/mock-slurm/cli.ts) in this process, so
// killing the pid that was started stops the server.
import type { Command } from './command.ts'

/** command serves the mock slurmrestd until SIGINT or SIGTERM. */
export const command: Command = {
  summary: 'serve the mock slurmrestd (data parsers v0.0.41–v0.0.44) with a generated cluster, on 127.0.0.1 by default',
  run: async (argv) => (await import('../../testbed/index.ts')).runMockSlurmCli(argv),
}
