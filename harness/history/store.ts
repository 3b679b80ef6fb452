// The nightly history: one JSON Lines file per machine class, appended to and never rewritten.
// Each line is one benchmark × unit of one run with every sample, the commit, the time and the
// fingerprint. A line is written with one append, so a crash leaves at most a torn last line,
// which the reader reports and skips: every earlier night survives. Plain text, safe to commit
// (to the repository or a `benchmark-data` branch), and a diff shows exactly what a night added.
import { open, readdir } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { basename, join } from 'node:path'
import { createInterface } from 'node:readline'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { InputError } from '../../common/input-error.ts'
import { fingerprintOf, machineClassOf, MACHINE_CLASS_PATTERN } from '../baseline/fingerprint.ts'
import { Better, DEFAULT_UNITS, type ResultsDocument } from '../results/schema.ts'

/** HISTORY_SCHEMA_VERSION versions one history line. */
export const HISTORY_SCHEMA_VERSION = 1

/** HistoryRecord is one line of a history file: one benchmark × unit of one run. */
export const HistoryRecord = Type.Object({
  v: Type.Literal(HISTORY_SCHEMA_VERSION),
  /** ISO 8601 start of the run the samples come from. */
  time: Type.String(),
  commit: Type.String(),
  machineClass: Type.String(),
  /** Which producer made the run: `bench` or `load` (the load test's scenario is in `suite`). */
  producer: Type.Union([Type.Literal('bench'), Type.Literal('load')]),
  /** The benchmark's package (`pkg:`) or the load scenario. */
  suite: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  better: Better,
  values: Type.Array(Type.Number()),
  cpuModel: Type.String(),
  node: Type.String(),
})
export type HistoryRecord = Static<typeof HistoryRecord>

/** HISTORY_FILE_SUFFIX ends every history file; the rest of the name is the machine class. */
export const HISTORY_FILE_SUFFIX = '.jsonl'

/** historyFile names the file of a machine class inside a history folder. */
export function historyFile(dir: string, machineClass: string): string {
  if (!MACHINE_CLASS_PATTERN.test(machineClass)) throw new InputError(`machine class "${machineClass}": expected lowercase letters, digits, ".", "_" or "-"`)
  return join(dir, `${machineClass}${HISTORY_FILE_SUFFIX}`)
}

/** recordsOfResults turns a results document into history lines: one per benchmark × unit with samples. */
export function recordsOfResults(doc: ResultsDocument, machineClass?: string): HistoryRecord[] {
  const env = doc.environment
  const cls = machineClass ?? machineClassOf(fingerprintOf(env))
  const commit = env.commit === undefined ? 'unknown' : `${env.commit}${env.dirty === true ? '-dirty' : ''}`
  const scenario = doc.config.settings?.scenario
  const records: HistoryRecord[] = []
  for (const bench of doc.benchmarks) {
    if (bench.status !== 'ok' || bench.samples.length === 0) continue
    const units = new Set<string>()
    for (const sample of bench.samples) for (const unit of Object.keys(sample.metrics)) units.add(unit)
    for (const unit of units) {
      const values: number[] = []
      for (const sample of bench.samples) {
        const value = sample.metrics[unit]
        if (value !== undefined && Number.isFinite(value)) values.push(value)
      }
      if (values.length === 0) continue
      records.push({
        v: HISTORY_SCHEMA_VERSION,
        time: doc.startedAt,
        commit,
        machineClass: cls,
        producer: doc.config.producer,
        suite: doc.config.producer === 'load' && typeof scenario === 'string' ? scenario : bench.pkg,
        name: bench.name,
        unit,
        better: bench.units?.[unit]?.better ?? DEFAULT_UNITS[unit]?.better ?? 'lower',
        values,
        cpuModel: env.cpuModel,
        node: env.node,
      })
    }
  }
  return records
}

/** AppendResult says where the lines went. */
export interface AppendResult {
  readonly file: string
  readonly machineClass: string
  readonly records: number
}

/**
 * appendHistory appends a run's lines to its machine class's file in one write (O_APPEND), then
 * syncs it, so a crash can tear only the last line of this run and never an earlier night.
 */
export async function appendHistory(dir: string, records: readonly HistoryRecord[]): Promise<AppendResult> {
  const first = records[0]
  if (first === undefined) throw new InputError('the results hold no successful benchmark with samples: nothing to add to the history')
  for (const r of records) {
    if (r.machineClass !== first.machineClass) throw new InputError(`one run holds two machine classes (${first.machineClass}, ${r.machineClass})`)
  }
  const file = historyFile(dir, first.machineClass)
  let text = ''
  for (const r of records) text += `${JSON.stringify(r)}\n`
  const handle = await open(file, 'a')
  try {
    await handle.write(text)
    await handle.sync()
  } finally {
    await handle.close()
  }
  return { file, machineClass: first.machineClass, records: records.length }
}

/** HistoryRead is a file's records and what could not be read. */
export interface HistoryRead {
  readonly records: HistoryRecord[]
  readonly warnings: string[]
}

/** readHistoryFile streams one history file line by line; a torn or invalid line is a warning, not an error. */
export async function readHistoryFile(file: string): Promise<HistoryRead> {
  const records: HistoryRecord[] = []
  const warnings: string[] = []
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY })
  let lineNo = 0
  try {
    for await (const line of lines) {
      lineNo++
      if (line.trim() === '') continue
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch {
        warnings.push(`${file}:${lineNo}: not a complete JSON line (a write cut short?); skipped`)
        continue
      }
      if (!Value.Check(HistoryRecord, parsed)) {
        const first = Value.Errors(HistoryRecord, parsed).First()
        warnings.push(`${file}:${lineNo}: not a history record (${first === undefined ? 'invalid' : `${first.path || 'line'}: ${first.message}`}); skipped`)
        continue
      }
      records.push(parsed)
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`${file}: no such history file`)
    throw err
  }
  return { records, warnings }
}

/** historyFiles lists the machine classes with a file in `dir`. */
export async function historyFiles(dir: string): Promise<{ machineClass: string; file: string }[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new InputError(`${dir}: no such history folder (record a night first: slurmbench history add RESULTS.json)`)
    throw err
  }
  return names
    .filter((n) => n.endsWith(HISTORY_FILE_SUFFIX))
    .sort()
    .map((n) => ({ machineClass: basename(n, HISTORY_FILE_SUFFIX), file: join(dir, n) }))
}

/** readHistory reads every machine class of a folder, or only `machineClass`'s. */
export async function readHistory(dir: string, machineClass?: string): Promise<HistoryRead> {
  const files = (await historyFiles(dir)).filter((f) => machineClass === undefined || f.machineClass === machineClass)
  if (machineClass !== undefined && files.length === 0) throw new InputError(`${dir}: no history for machine class "${machineClass}"`)
  const records: HistoryRecord[] = []
  const warnings: string[] = []
  for (const f of files) {
    const read = await readHistoryFile(f.file)
    for (const r of read.records) records.push(r)
    for (const w of read.warnings) warnings.push(w)
  }
  return { records, warnings }
}
