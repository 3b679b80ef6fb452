// `slurmbench history add|show|export|trend|weekly`: the nightly store and its two cross-time
// views. The verdict that alerts is the paired nightly run (`slurmbench nightly`); these are trends.
import { mkdir } from 'node:fs/promises'
import { InputError } from '../../common/input-error.ts'
import { seriesOf } from '../history/series.ts'
import { appendHistory, readHistory, recordsOfResults } from '../history/store.ts'
import { findShifts } from '../history/trend.ts'
import { DEFAULT_WEEKLY_THRESHOLD, weeklyCheck } from '../history/weekly.ts'
import { renderHistoryCsv, renderSeriesList, renderShifts, renderWeekly } from '../report/history-text.ts'
import { writeFileAtomic } from '../results/atomic-file.ts'
import { readResults } from '../results/json.ts'
import { isPartial, partialNote } from '../results/partial.ts'
import { type Command, EXIT_FAILED, EXIT_OK } from './command.ts'
import { type FlagSpecs, printUsage, parseArgs, UsageError } from './flags.ts'

/** DEFAULT_HISTORY_DIR is where the nightly history is kept, one file per machine class. */
export const DEFAULT_HISTORY_DIR = 'reports/history'

const FLAGS: FlagSpecs = {
  dir: { kind: 'string', valueName: 'dir', help: `history folder (default ${DEFAULT_HISTORY_DIR})` },
  history: { kind: 'string', valueName: 'dir', help: 'the same as -dir, as nightly and report html spell it' },
  'machine-class': {
    kind: 'string',
    valueName: 'class',
    help: 'add: file the run under this class (default: from its fingerprint); other subcommands: only this class',
  },
  o: { kind: 'string', valueName: 'file', help: 'export: write the CSV here (default: stdout)' },
  threshold: { kind: 'number', valueName: 'percent', help: `weekly: flag series worse by more than this (default ${DEFAULT_WEEKLY_THRESHOLD * 100})` },
  now: { kind: 'string', valueName: 'time', help: 'weekly: the end of "this week", ISO 8601 (default: the newest night)' },
  canary: { kind: 'string', valueName: 'regexp', help: 'trend, weekly: the canary benchmark (default ^BenchmarkCanary)' },
  seed: { kind: 'integer', valueName: 'n', help: 'trend: seed of the permutation tests (default 1)' },
}

const SYNOPSIS = 'slurmbench history add RESULTS.json... | show | export | trend | weekly [flags]'
const DESCRIPTION = `The nightly history: every sample of every run, one append-only JSON Lines file per machine
class under the history folder, safe to commit. Runs of different machine classes never share a series.

  history add R.json   append a results file (benchmarks or a load test) with its commit, time and fingerprint
  history show         list the series: nights, first and last night, latest value
  history export       every night of every series as CSV
  history trend        level shifts per series (E-divisive means, p < 0.05, at least 3 nights a side);
                       a shift the canary shares is labelled "machine change"
  history weekly       this week against last week per series; exit 1 when one is worse by more than
                       the threshold and the canary did not move too

These compare absolute figures across nights, so they are trends; the verdict that alerts is the
paired nightly run (slurmbench nightly).`

function parseRegexp(flag: string, text: string | undefined): RegExp | undefined {
  if (text === undefined) return undefined
  try {
    return new RegExp(text)
  } catch (err) {
    throw new UsageError(`flag -${flag}: "${text}" is not a regular expression (${(err as Error).message})`)
  }
}

export const command: Command = {
  summary: 'the nightly history: add results, list series, export CSV, level shifts, the weekly check',
  async run(argv) {
    const args = parseArgs(argv, FLAGS)
    const [sub, ...files] = args.positionals
    if (args.help) return printUsage(SYNOPSIS, DESCRIPTION, FLAGS)
    if (sub === undefined) {
      printUsage(SYNOPSIS, DESCRIPTION, FLAGS)
      throw new UsageError('missing subcommand: add, show, export, trend or weekly')
    }
    const dirFlag = args.flags.dir as string | undefined
    const historyFlag = args.flags.history as string | undefined
    if (dirFlag !== undefined && historyFlag !== undefined && dirFlag !== historyFlag) {
      throw new UsageError(`-dir ${dirFlag} and -history ${historyFlag} name two folders; give one`)
    }
    const dir = dirFlag ?? historyFlag ?? DEFAULT_HISTORY_DIR
    const machineClass = args.flags['machine-class'] as string | undefined
    if (sub === 'add') {
      if (files.length === 0) throw new UsageError('history add: name at least one results file')
      // Read and convert every file before writing anything: a bad second file adds nothing.
      const batches = []
      for (const file of files) {
        const doc = await readResults(file)
        if (isPartial(doc)) throw new InputError(`${file}: a partial run (${partialNote(doc)}); history keeps only finished runs`)
        batches.push({ file, records: recordsOfResults(doc, machineClass) })
      }
      for (const { file, records } of batches) {
        if (records.length === 0) throw new InputError(`${file}: no successful benchmark with samples; nothing to add`)
      }
      await mkdir(dir, { recursive: true })
      for (const { file, records } of batches) {
        const added = await appendHistory(dir, records)
        process.stdout.write(`history: ${file}: ${added.records} series points added to ${added.file} (machine class ${added.machineClass})\n`)
      }
      return EXIT_OK
    }
    if (files.length > 0) throw new UsageError(`history ${sub} takes no file arguments (found ${files[0]})`)
    if (!['show', 'export', 'trend', 'weekly'].includes(sub)) throw new UsageError(`unknown subcommand "${sub}"; expected add, show, export, trend or weekly`)
    const read = await readHistory(dir, machineClass)
    for (const w of read.warnings) process.stderr.write(`history: warning: ${w}\n`)
    const all = seriesOf(read.records)
    const canary = parseRegexp('canary', args.flags.canary as string | undefined)
    switch (sub) {
      case 'show':
        process.stdout.write(renderSeriesList(all))
        return EXIT_OK
      case 'export': {
        const csv = renderHistoryCsv(all)
        const out = args.flags.o as string | undefined
        if (out === undefined) process.stdout.write(csv)
        else await writeFileAtomic(out, csv)
        return EXIT_OK
      }
      case 'trend': {
        const shifts = findShifts(all, { ...(canary === undefined ? {} : { canary }), seed: (args.flags.seed as number | undefined) ?? 1 })
        process.stdout.write(renderShifts(shifts, all.length))
        return EXIT_OK
      }
      default: {
        const thresholdPct = (args.flags.threshold as number | undefined) ?? DEFAULT_WEEKLY_THRESHOLD * 100
        if (!(thresholdPct > 0)) throw new UsageError(`flag -threshold: expected a percentage above 0, found ${thresholdPct}`)
        const nowText = args.flags.now as string | undefined
        const now = nowText === undefined ? undefined : Date.parse(nowText)
        if (now !== undefined && Number.isNaN(now)) throw new UsageError(`flag -now: expected an ISO 8601 time, found "${nowText}"`)
        const rows = weeklyCheck(all, { threshold: thresholdPct / 100, ...(now === undefined ? {} : { now }), ...(canary === undefined ? {} : { canary }) })
        process.stdout.write(renderWeekly(rows, thresholdPct / 100))
        return rows.some((r) => r.exceeded && !r.machineChange) ? EXIT_FAILED : EXIT_OK
      }
    }
  },
}
