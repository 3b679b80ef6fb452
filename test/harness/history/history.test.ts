import { appendFile, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mulberry32 } from '../../../common/prng.ts'
import { seriesOf } from '../../../harness/history/series.ts'
import { appendHistory, type HistoryRecord, readHistory, recordsOfResults } from '../../../harness/history/store.ts'
import { findShifts } from '../../../harness/history/trend.ts'
import { weeklyCheck } from '../../../harness/history/weekly.ts'
import { renderHistoryCsv, renderShifts, renderWeekly } from '../../../harness/report/history-text.ts'
import type { ResultsDocument } from '../../../harness/results/schema.ts'
import { resultsDoc } from '../../support/results.ts'

const DAY_MS = 24 * 3600 * 1000
const START = Date.parse('2026-09-01T01:00:00Z')

function doc(night: number, values: Record<string, number[]>, cpuModel = 'AMD EPYC 7B13'): ResultsDocument {
  const startedAt = new Date(START + night * DAY_MS).toISOString()
  return resultsDoc(values, { cpuModel, cores: 2, commit: `c${night}` }, { startedAt, pkg: 'slurmbench/benchmarks/cpu' })
}

// The history records of nights of a benchmark around `level` (2% noise), and a canary at 100.
function nightsOf(random: () => number, nights: number, levelOf: (night: number) => number, canaryOf: (night: number) => number = () => 100): HistoryRecord[] {
  const noisy = (level: number): number[] => [0, 1, 2, 3, 4].map(() => level * (1 + 0.04 * (random() - 0.5)))
  const out: HistoryRecord[] = []
  for (let n = 0; n < nights; n++) {
    for (const record of recordsOfResults(doc(n, { BenchmarkParse: noisy(levelOf(n)), BenchmarkCanary: noisy(canaryOf(n)) }))) out.push(record)
  }
  return out
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slurmbench-history-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('history store', () => {
  it('appends one line per benchmark × unit and reads them back, per machine class', async () => {
    await appendHistory(dir, recordsOfResults(doc(0, { BenchmarkA: [1, 2, 3] })))
    await appendHistory(dir, recordsOfResults(doc(1, { BenchmarkA: [4, 5, 6] })))
    await appendHistory(dir, recordsOfResults(doc(1, { BenchmarkA: [9, 9, 9] }, 'Intel Xeon Gold 6338')))
    const all = await readHistory(dir)
    expect(all.records).toHaveLength(3)
    const series = seriesOf(all.records)
    expect(series.map((s) => [s.machineClass, s.points.map((p) => p.centre)])).toEqual([
      ['linux-amd64-amd-epyc-7b13-2c-node20', [2, 5]],
      ['linux-amd64-intel-xeon-gold-6338-2c-node20', [9]],
    ])
  })

  it('skips a torn last line with a warning and keeps every earlier night', async () => {
    const { file } = await appendHistory(dir, recordsOfResults(doc(0, { BenchmarkA: [1, 2, 3] })))
    await appendFile(file, '{"v":1,"time":"2026-09-02T0')
    const read = await readHistory(dir)
    expect(read.records).toHaveLength(1)
    expect(read.warnings).toEqual([expect.stringMatching(/:2: not a complete JSON line/)])
  })

  it('records a failed or sample-less benchmark as nothing, and refuses an empty run', async () => {
    const d = doc(0, { BenchmarkA: [] })
    expect(recordsOfResults(d)).toEqual([])
    await expect(appendHistory(dir, [])).rejects.toThrow(/nothing to add/)
  })
})

describe('trend and weekly', () => {
  it('finds the night a benchmark got 10% slower, and labels a shift the canary shares as a machine change', () => {
    const records = nightsOf(mulberry32(1), 30, (n) => (n < 20 ? 1000 : 1100))
    const shifts = findShifts(seriesOf(records))
    expect(shifts.map((s) => [s.series.name, s.kind, s.commit])).toEqual([['BenchmarkParse', 'regression', 'c20']])
    expect(renderShifts(shifts, 2)).toMatch(/Parse .* \+10\.\d% .* regression c19\.\.c20/)

    const machine = nightsOf(
      mulberry32(2),
      30,
      (n) => (n < 15 ? 1000 : 1300),
      (n) => (n < 15 ? 100 : 130),
    )
    expect(findShifts(seriesOf(machine)).map((s) => [s.series.name, s.kind])).toEqual([
      ['BenchmarkCanary', 'machine change'],
      ['BenchmarkParse', 'machine change'],
    ])
  })

  it('flags a series 25% worse week over week, not one 10% worse, and not one the canary shares', () => {
    const records = nightsOf(mulberry32(3), 14, (n) => (n < 7 ? 1000 : 1250))
    const rows = weeklyCheck(seriesOf(records), { threshold: 0.2 })
    expect(rows.map((r) => [r.series.name, r.exceeded, r.machineChange])).toEqual([
      ['BenchmarkCanary', false, false],
      ['BenchmarkParse', true, false],
    ])
    expect(renderWeekly(rows, 0.2)).toMatch(/weekly: 1 of 2 series worse by more than 20%/)
    const small = nightsOf(mulberry32(4), 14, (n) => (n < 7 ? 1000 : 1100))
    expect(weeklyCheck(seriesOf(small)).some((r) => r.exceeded)).toBe(false)
    const shared = nightsOf(
      mulberry32(5),
      14,
      (n) => (n < 7 ? 1000 : 1300),
      (n) => (n < 7 ? 100 : 130),
    )
    expect(weeklyCheck(seriesOf(shared)).every((r) => !r.exceeded || r.machineChange)).toBe(true)
  })

  it('exports every night as CSV', () => {
    const csv = renderHistoryCsv(seriesOf(recordsOfResults(doc(0, { 'BenchmarkA/x="1,2"': [1, 2, 3] }))))
    expect(csv.split('\n')[1]).toBe(
      'linux-amd64-amd-epyc-7b13-2c-node20,slurmbench/benchmarks/cpu,"BenchmarkA/x=""1,2""",ns/op,lower,2026-09-01T01:00:00.000Z,c0,3,2,,',
    )
  })
})
