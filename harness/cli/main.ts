// The CLI dispatcher: `slurmbench <command> [flags]`. Each command lives in its own file and is
// loaded only when called, so `slurmbench bench` does not pay for the load tester's imports.
import { type Command, EXIT_USAGE } from './command.ts'
import { UsageError } from './flags.ts'
import { InputError } from '../../common/input-error.ts'

const COMMANDS: Readonly<Record<string, () => Promise<{ command: Command }>>> = {
  bench: () => import('./bench.ts'),
  self: () => import('./self.ts'),
  compare: () => import('./compare.ts'),
  baseline: () => import('./baseline.ts'),
  ab: () => import('./ab.ts'),
  doctor: () => import('./doctor.ts'),
  load: () => import('./load.ts'),
  history: () => import('./history.ts'),
  push: () => import('./push.ts'),
  nightly: () => import('./nightly.ts'),
  report: () => import('./report.ts'),
  comment: () => import('./comment.ts'),
  'mock-slurm': () => import('./mock-slurm.ts'),
  exporter: () => import('./exporter.ts'),
  capacity: () => import('./capacity.ts'),
  profile: () => import('./profile.ts'),
}

function listCommands(summaries: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...summaries.map(([name]) => name.length)) + 2
  return summaries.map(([name, summary]) => `  ${name.padEnd(width)}${summary}`).join('\n')
}

/** main runs one command and returns the exit code; user errors never print a stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  // A reader that stops early (`| head`) closes the pipe: end quietly with the shell's SIGPIPE
  // status (128 + 13), as a Go tool or git does, instead of an EPIPE stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err
    process.exit(141)
  })
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const summaries = await Promise.all(Object.entries(COMMANDS).map(async ([cmd, load]) => [cmd, (await load()).command.summary] as const))
    process.stdout.write(
      `usage: slurmbench <command> [flags]\n\nCommands:\n${listCommands(summaries)}\n\nRun 'slurmbench <command> --help' for a command's flags.\n`,
    )
    return name === undefined ? EXIT_USAGE : 0
  }
  const load = COMMANDS[name]
  if (load === undefined) {
    process.stderr.write(`slurmbench: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}\n`)
    return EXIT_USAGE
  }
  const { command } = await load()
  try {
    return await command.run(rest)
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`slurmbench ${name}: ${err.message}\nRun 'slurmbench ${name} --help' for usage.\n`)
      return EXIT_USAGE
    }
    if (err instanceof InputError) {
      process.stderr.write(`slurmbench ${name}: ${err.message}\n`)
      return EXIT_USAGE
    }
    throw err
  }
}
