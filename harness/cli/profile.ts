// `slurmbench profile diff BASE HEAD`: which functions take a larger share of the time (or of the
// bytes allocated) in head than in base, and a differential flame graph of the two.
import { readFileSync, writeFileSync } from 'node:fs'
import { cannotRead } from '../../common/read-input.ts'
import { diffProfiles, grownFunctions } from '../profile/diff.ts'
import { readPprof } from '../profile/profile-files.ts'
import { renderFlameGraphHtml } from '../report/flame-graph.ts'
import { renderProfileDiffText } from '../report/profile-diff-text.ts'
import { type Command, EXIT_OK, EXIT_USAGE } from './command.ts'
import { type FlagSpecs, printUsage, parseArgs, UsageError } from './flags.ts'

/** DEFAULT_TOP is how many grown functions `profile diff` prints. */
export const DEFAULT_TOP = 10

const FLAGS: FlagSpecs = {
  top: { kind: 'integer', valueName: 'n', help: `print the n functions whose flat share grew the most (default ${DEFAULT_TOP})` },
  html: { kind: 'string', valueName: 'file', help: 'write the differential flame graph as a self-contained HTML page' },
  sample_index: {
    kind: 'string',
    valueName: 'type',
    aliases: ['sample-index'],
    help: "compare this sample type (cpu, samples, alloc_space, alloc_objects…; default the last, as pprof's)",
  },
}

const SYNOPSIS = 'slurmbench profile diff [flags] BASE HEAD'
const DESCRIPTION = `Compares two pprof profiles (gzipped or not) written by bench -cpuprofile/-memprofile,
go tool pprof or the exporter's /debug/pprof endpoints. Values are shares of each side's total,
so sides that ran for different times compare; flat is the function's own share, cum includes
its callees. Functions are ranked by the growth of their flat share.`

function readProfileFile(path: string): ReturnType<typeof readPprof> {
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (err) {
    throw cannotRead(path, err, 'the profile')
  }
  return readPprof(bytes, path)
}

async function runDiff(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, FLAGS)
  if (args.help) return printUsage(SYNOPSIS, DESCRIPTION, FLAGS)
  if (args.positionals.length !== 2) throw new UsageError(`expected two profiles, BASE and HEAD; found ${args.positionals.length} arguments`)
  const [basePath, headPath] = args.positionals as [string, string]
  const top = (args.flags.top as number | undefined) ?? DEFAULT_TOP
  if (top < 1) throw new UsageError(`flag -top: expected a positive count, found ${top}`)
  const diff = diffProfiles(
    readProfileFile(basePath),
    readProfileFile(headPath),
    { base: basePath, head: headPath },
    args.flags.sample_index as string | undefined,
  )
  const grown = grownFunctions(diff, top)
  process.stdout.write(renderProfileDiffText(diff, grown))
  const html = args.flags.html as string | undefined
  if (html !== undefined) {
    writeFileSync(html, renderFlameGraphHtml(diff, grown, { title: `Profile diff: ${diff.sampleType}`, baseName: basePath, headName: headPath }))
    process.stdout.write(`Flame graph: ${html}\n`)
  }
  return EXIT_OK
}

/** command is `slurmbench profile`; its one subcommand is diff. */
export const command: Command = {
  summary: 'compare two pprof profiles: functions that grew, differential flame graph',
  async run(argv) {
    const [sub, ...rest] = argv
    if (sub === 'diff') return runDiff(rest)
    if (sub === undefined || sub === '--help' || sub === '-help' || sub === '-h' || sub === 'help') {
      printUsage(SYNOPSIS, DESCRIPTION, FLAGS)
      return sub === undefined ? EXIT_USAGE : EXIT_OK
    }
    throw new UsageError(`unknown subcommand "${sub}"; expected diff`)
  },
}
