// Baseline files: format, validation with JSON paths, versions, and atomic replacement that
// survives SIGKILL in the middle of the write.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, watch, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { baselineFromResults, migrateBaseline, parseBaseline, sampleSetFromBaseline } from '../../../harness/baseline/baseline-file.ts'
import { fingerprintOf, machineClassOf } from '../../../harness/baseline/fingerprint.ts'
import { InputError } from '../../../common/input-error.ts'
import { sampleSetFromText } from '../../../harness/cli/compare-inputs.ts'
import { ROOT } from '../../support/cli.ts'
import { resultsDoc } from '../../support/results.ts'

const doc = resultsDoc({ BenchmarkA: [100, 101, 102, 103], 'BenchmarkB/n=10': [5, 6, 7, 8] })
const baseline = baselineFromResults(doc, 'default', undefined, new Date('2026-11-27T10:00:00Z'))

describe('baseline documents', () => {
  it('record every sample per metric with fingerprint, commit and date', () => {
    expect(baseline).toMatchObject({ schemaVersion: 1, kind: 'slurmbench.baseline', name: 'default', commit: 'abc123', createdAt: '2026-11-27T10:00:00.000Z' })
    expect(baseline.machineClass).toBe('linux-amd64-test-9000-4c-node20')
    expect(baseline.benchmarks[0]?.metrics['ns/op']).toEqual([100, 101, 102, 103])
    const set = sampleSetFromBaseline(parseBaseline(JSON.stringify(baseline), 'b.json'), 'b.json')
    expect(set.series[0]).toMatchObject({ name: 'BenchmarkA', unit: 'sec/op', values: [100e-9, 101e-9, 102e-9, 103e-9].map((v) => expect.closeTo(v, 20)) })
  })

  it('compare reads a baseline file as it reads a results document', () => {
    const fromBaseline = sampleSetFromText(JSON.stringify(baseline, null, 2), 'b.json', 'old')
    const fromResults = sampleSetFromText(JSON.stringify(doc), 'r.json', 'old')
    expect(fromBaseline.series.map((s) => [s.name, s.unit, s.values])).toEqual(fromResults.series.map((s) => [s.name, s.unit, s.values]))
    expect(() =>
      sampleSetFromText(
        broken((b) => (b.benchmarks = 'none')),
        'b.json',
        'old',
      ),
    ).toThrow(/b\.json: at \/benchmarks/)
  })

  it('machine classes follow the fingerprint fields that move timings', () => {
    const fp = fingerprintOf(doc.environment)
    expect(machineClassOf({ ...fp, cores: 8 })).not.toBe(machineClassOf(fp))
    expect(machineClassOf({ ...fp, nodeMajor: 24 })).toContain('node24')
  })

  const broken = (mutate: (b: Record<string, unknown>) => void): string => {
    const copy = JSON.parse(JSON.stringify(baseline)) as Record<string, unknown>
    mutate(copy)
    return JSON.stringify(copy)
  }
  it.each([
    ['', 'b.json: empty file'],
    [JSON.stringify(baseline).slice(0, 200), 'b.json: not valid JSON'],
    [broken((b) => (b.schemaVersion = 7)), 'b.json: at /schemaVersion: baseline version 7 is newer than this slurmbench reads (1); upgrade slurmbench'],
    [broken((b) => (b.schemaVersion = 0)), 'b.json: at /schemaVersion: expected a positive integer'],
    [
      broken((b) => ((b.benchmarks as Array<Record<string, unknown>>)[1]!.name = 'BenchmarkA')),
      'b.json: at /benchmarks/1/name: duplicate benchmark BenchmarkA',
    ],
    [
      broken((b) => ((b.benchmarks as Array<{ metrics: Record<string, number[]> }>)[0]!.metrics['ns/op'] = [1, -2])),
      'b.json: at /benchmarks/0/metrics/ns/op/1: negative duration -2',
    ],
    [
      broken((b) => ((b.benchmarks as Array<{ metrics: Record<string, unknown> }>)[0]!.metrics['ns/op'] = [1, 'x'])),
      'b.json: at /benchmarks/0/metrics/ns~1op/1',
    ],
    [
      broken((b) => ((b.benchmarks as Array<{ metrics: Record<string, number[]> }>)[0]!.metrics['B/op'] = [1])),
      'b.json: at /benchmarks/0/metrics/B/op: 1 samples, expected 4',
    ],
    [broken((b) => delete b.fingerprint), 'b.json: at /fingerprint'],
  ])('rejects %#', (text, message) => {
    expect(() => parseBaseline(text, 'b.json')).toThrow(InputError)
    expect(() => parseBaseline(text, 'b.json')).toThrow(message)
  })

  it('migrates older versions step by step and refuses unknown ones', () => {
    expect(migrateBaseline({ ...baseline }, 'b.json')).toEqual({ ...baseline })
    expect(() => migrateBaseline({ ...baseline, schemaVersion: 2 }, 'b.json')).toThrow('newer than this slurmbench reads')
  })

  it('parses or fails with a one-line JSON-path error on arbitrary mutations (property)', () => {
    const text = JSON.stringify(baseline)
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(text.length), fc.string({ maxLength: 6 }), (at, cut, insert) => {
        const mutated = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + (cut % 8)))
        try {
          parseBaseline(mutated, 'b.json')
        } catch (err) {
          expect(err).toBeInstanceOf(InputError)
          expect((err as Error).message).toMatch(/^b\.json: /)
          expect((err as Error).message).not.toContain('\n')
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('baseline update is atomic', () => {
  it('SIGKILL in the middle of the write leaves the old baseline intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slurmbench-kill-'))
    const classDir = join(dir, 'test-class')
    mkdirSync(classDir)
    const target = join(classDir, 'default.json')
    const old = `${JSON.stringify(baseline, null, 2)}\n`
    writeFileSync(target, old)
    // A run big enough that writing its baseline takes a while: 120 benchmarks × 1,000 samples.
    const values = Array.from({ length: 1000 }, (_, i) => 1000 + (i % 97) * 1.234567)
    const big = resultsDoc(Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`BenchmarkBig${i}`, values])))
    const bigPath = join(dir, 'big.json')
    writeFileSync(bigPath, JSON.stringify(big))
    let killedMidWrite = false
    for (let attempt = 0; attempt < 3 && !killedMidWrite; attempt++) {
      const child = spawn(
        process.execPath,
        [join(ROOT, 'bin', 'slurmbench.js'), 'baseline', 'update', '-dir', dir, '-machine-class', 'test-class', '-from', bigPath],
        { stdio: 'ignore' },
      )
      const watcher = watch(classDir, (_event, file) => {
        // The temporary file beside the target appears when the write begins.
        if (typeof file === 'string' && file.endsWith('.tmp') && child.exitCode === null && !killedMidWrite) {
          killedMidWrite = child.kill('SIGKILL')
        }
      })
      await new Promise((resolve) => child.on('exit', resolve))
      watcher.close()
    }
    expect(killedMidWrite).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe(old)
    expect(() => parseBaseline(readFileSync(target, 'utf8'), target)).not.toThrow()
  })

  it('a completed update replaces the file with a valid baseline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slurmbench-update-'))
    const from = join(dir, 'r.json')
    writeFileSync(from, JSON.stringify(doc))
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'slurmbench.js'), 'baseline', 'update', '-dir', dir, '-machine-class', 'c1', '-name', 'nightly', '-from', from],
      { stdio: 'ignore' },
    )
    const code = await new Promise((resolve) => child.on('exit', resolve))
    expect(code).toBe(0)
    const written = join(dir, 'c1', 'nightly.json')
    expect(existsSync(written)).toBe(true)
    expect(parseBaseline(readFileSync(written, 'utf8'), written).benchmarks).toHaveLength(2)
  })
})
