// `slurmbench compare OLD NEW [MORE…]`: benchstat's tables for Go benchmark output or results
// JSON, and with -verdicts the policy's verdicts and a gate exit code.
import { existsSync } from 'node:fs'
import { buildTables } from '../compare/benchstat-table.ts'
import { checkInputs, loadSampleSet, parseInputSpec } from './compare-inputs.ts'
import { builtinPolicy, type Policy, readPolicy } from '../compare/policy.ts'
import { type FailOn, gateExitCode, judge, type VerdictReport } from '../compare/verdict.ts'
import { renderBenchstatCsv } from '../report/benchstat-csv.ts'
import { renderBenchstatMarkdown } from '../report/benchstat-markdown.ts'
import { renderBenchstatText } from '../report/benchstat-text.ts'
import { renderComparisonJson } from '../report/comparison-json.ts'
import { renderVerdictCsv } from '../report/verdict-csv.ts'
import { renderVerdictMarkdown } from '../report/verdict-markdown.ts'
import { renderVerdictText } from '../report/verdict-text.ts'
import { DEFAULT_ALPHA, DEFAULT_CONFIDENCE } from '../stats/summary.ts'
import { type Command, EXIT_OK } from './command.ts'
import { type FlagSpecs, printUsage, parseArgs, UsageError } from './flags.ts'

/** DEFAULT_POLICY_PATH is the committed tolerance policy, relative to the repository root. */
export const DEFAULT_POLICY_PATH = 'baselines/policy.json'
/** DEFAULT_IGNORE keeps per-commit config lines from splitting base and head into separate tables. */
export const DEFAULT_IGNORE = ['commit', 'dirty']

/** OutputFormat is what -format accepts. */
export type OutputFormat = 'text' | 'csv' | 'markdown' | 'json'

const FORMATS: readonly OutputFormat[] = ['text', 'csv', 'markdown', 'json']

const FLAGS: FlagSpecs = {
  format: { kind: 'string', valueName: 'text|csv|markdown|json', help: "output format (default text, benchstat's table)" },
  alpha: { kind: 'number', valueName: 'α', help: "significance level (default 0.05; with -verdicts the policy's)" },
  confidence: { kind: 'number', valueName: 'level', help: 'confidence level of intervals (default 0.95)' },
  col: {
    kind: 'string',
    valueName: 'key',
    help: 'what makes a column: .file (default: one per input), a config key such as note, or /key: a name part key=value (/gomaxprocs: the -P suffix)',
  },
  ignore: { kind: 'list', valueName: 'keys', help: `config keys that must not split tables (default ${DEFAULT_IGNORE.join(',')})` },
  verdicts: { kind: 'boolean', help: 'judge each later input against the first with the tolerance policy; exit 1 on a regression' },
  policy: { kind: 'string', valueName: 'file', help: `tolerance policy (default ${DEFAULT_POLICY_PATH}, built-in defaults if absent)` },
  'fail-on': { kind: 'string', valueName: 'regressed|inconclusive', help: 'with -verdicts: also fail (exit 1) on inconclusive verdicts' },
  tolerance: { kind: 'number', valueName: 'pct', help: 'with -verdicts: use this tolerance (percent) for every metric' },
  beyond: { kind: 'string', valueName: 'estimate|bound', help: 'with -verdicts: judge "worse beyond tolerance" by the point estimate or the interval bound' },
}

const DESCRIPTION = `Compares benchmark results like benchstat: one table per unit, median ± CI half-width, the
change vs the first input with (p=… n=…) from a Mann–Whitney U test, or ~ when not significant,
and a geomean row. Inputs are Go benchmark output (ours or go test -bench), slurmbench results
JSON or a baseline file (baselines/<class>/<name>.json), detected by content; write label=path
to name a column.`

/** parseFormat validates -format. */
export function parseFormat(value: unknown): OutputFormat {
  const format = (value ?? 'text') as string
  if (!FORMATS.includes(format as OutputFormat)) throw new UsageError(`flag -format: expected one of ${FORMATS.join(', ')}, found "${format}"`)
  return format as OutputFormat
}

/** parseFailOn validates --fail-on. */
export function parseFailOn(value: unknown): FailOn {
  const v = (value ?? 'regressed') as string
  if (v !== 'regressed' && v !== 'inconclusive') throw new UsageError(`flag -fail-on: expected regressed or inconclusive, found "${v}"`)
  return v
}

/** loadPolicy reads -policy, or the default file when it exists, else the built-in defaults. */
export async function loadPolicy(path: unknown): Promise<Policy> {
  if (typeof path === 'string') return readPolicy(path)
  return existsSync(DEFAULT_POLICY_PATH) ? readPolicy(DEFAULT_POLICY_PATH) : builtinPolicy()
}

function checkLevel(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  const n = value as number
  if (!(n > 0 && n < 1)) throw new UsageError(`flag -${flag}: expected a number between 0 and 1, found ${n}`)
  return n
}

/** renderVerdicts renders verdict reports in a format. */
export function renderVerdicts(reports: readonly VerdictReport[], format: OutputFormat): string {
  if (format === 'markdown') return reports.map(renderVerdictMarkdown).join('\n')
  if (format === 'csv') return reports.map(renderVerdictCsv).join('\n')
  return reports.map(renderVerdictText).join('\n')
}

export const command: Command = {
  summary: 'compare results like benchstat (tables, verdicts with -verdicts)',
  async run(argv) {
    const args = parseArgs(argv, FLAGS)
    if (args.help) return printUsage('slurmbench compare [flags] OLD NEW [MORE…]', DESCRIPTION, FLAGS)
    if (args.positionals.length === 0) throw new UsageError('no inputs; expected OLD NEW [MORE…] (files or label=file)')
    const format = parseFormat(args.flags.format)
    const failOn = parseFailOn(args.flags['fail-on'])
    const beyond = args.flags.beyond as string | undefined
    if (beyond !== undefined && beyond !== 'estimate' && beyond !== 'bound') throw new UsageError(`flag -beyond: expected estimate or bound, found "${beyond}"`)
    const tolerance = args.flags.tolerance as number | undefined
    if (tolerance !== undefined && !(tolerance >= 0)) throw new UsageError(`flag -tolerance: expected a percentage ≥ 0, found ${tolerance}`)
    const alpha = checkLevel('alpha', args.flags.alpha)
    const confidence = checkLevel('confidence', args.flags.confidence)
    const withVerdicts = args.flags.verdicts === true
    if (withVerdicts && args.positionals.length < 2) throw new UsageError('-verdicts needs at least two inputs (base first)')
    // Cheap checks first: labels, readable files and the policy, before any input is parsed.
    const specs = args.positionals.map(parseInputSpec)
    await checkInputs(specs)
    const loaded = withVerdicts ? await loadPolicy(args.flags.policy) : undefined
    const sets = await Promise.all(specs.map((spec) => loadSampleSet(spec)))
    const tables = buildTables(sets, {
      alpha: alpha ?? DEFAULT_ALPHA,
      confidence: confidence ?? DEFAULT_CONFIDENCE,
      col: (args.flags.col as string | undefined) ?? '.file',
      ignore: (args.flags.ignore as string[] | undefined) ?? DEFAULT_IGNORE,
    })
    let reports: VerdictReport[] = []
    if (withVerdicts) {
      const policy = { ...(loaded as Policy), ...(alpha !== undefined ? { alpha } : {}), ...(confidence !== undefined ? { confidence } : {}) }
      const base = sets[0] as (typeof sets)[number]
      reports = sets.slice(1).map((head) =>
        judge(base, head, policy, {
          ...(beyond !== undefined ? { beyond: beyond as 'estimate' | 'bound' } : {}),
          ...(tolerance !== undefined ? { tolerancePct: tolerance } : {}),
        }),
      )
    }
    for (const s of sets) for (const w of s.warnings) process.stderr.write(`slurmbench compare: ${s.label}: ${w}\n`)
    switch (format) {
      case 'text':
        process.stdout.write(renderBenchstatText(tables))
        if (withVerdicts) process.stdout.write(`\n${renderVerdicts(reports, 'text')}`)
        break
      case 'csv': {
        const out = renderBenchstatCsv(tables)
        process.stdout.write(out.csv)
        for (const w of out.warnings) process.stderr.write(`${w}\n`)
        if (withVerdicts) process.stdout.write(`\n${renderVerdicts(reports, 'csv')}`)
        break
      }
      case 'markdown':
        process.stdout.write(renderBenchstatMarkdown(tables))
        if (withVerdicts) process.stdout.write(`\n${renderVerdicts(reports, 'markdown')}`)
        break
      case 'json':
        process.stdout.write(renderComparisonJson(tables, reports))
        break
    }
    return reports.reduce((code, r) => Math.max(code, gateExitCode(r, failOn)), EXIT_OK)
  },
}
