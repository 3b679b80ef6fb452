// The Go benchmark format reader: what it accepts, what it rejects (with file:line), and
// property tests that it never fails with anything but a one-line InputError.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseGoBench } from '../../../harness/results/gofmt-read.ts'
import { InputError } from '../../../common/input-error.ts'

describe('parseGoBench', () => {
  it('reads config, result and Unit lines and ignores the rest', () => {
    const text = [
      'goos: linux',
      'pkg: example.com/x',
      'Unit text-bytes assume=exact better=lower',
      '=== RUN nothing',
      'BenchmarkEncode/format=json-48         \t  690848\t      1726 ns/op\t  64.88 MB/s\t 40418 B/op\t       7 allocs/op',
      '--- BENCH: BenchmarkEncode',
      '    log line',
      'BenchmarkVerbose',
      'note: after',
      'BenchmarkEncode/format=json-48 10 1723 ns/op 65 MB/s 40418 B/op 7 allocs/op',
      'PASS',
      'ok  \texample.com/x\t6.837s',
      'Benchmarking is fun',
    ].join('\n')
    const file = parseGoBench(text, 'x.txt')
    expect(file.results).toHaveLength(2)
    expect(file.results[0]).toMatchObject({
      name: 'BenchmarkEncode/format=json-48',
      iterations: 690848,
      line: 5,
      config: { goos: 'linux', pkg: 'example.com/x' },
    })
    expect(file.results[0]?.values.map((v) => v.unit)).toEqual(['ns/op', 'MB/s', 'B/op', 'allocs/op'])
    expect(file.results[1]?.config).toEqual({ goos: 'linux', pkg: 'example.com/x', note: 'after' })
    expect(file.units['text-bytes']).toEqual({ assume: 'exact', better: 'lower' })
  })

  it.each([
    ['BenchmarkX 10 12 ns/op\nBenchmarkX 10 1', 'x.txt:2: malformed result line for BenchmarkX'],
    ['BenchmarkX ten 12 ns/op', 'x.txt:1: expected an iteration count after BenchmarkX, found "ten"'],
    ['BenchmarkX 10 NaN ns/op', 'x.txt:1: value "NaN" for ns/op is not a finite number'],
    ['BenchmarkX 10 abc ns/op', 'x.txt:1: expected a number before unit "ns/op", found "abc"'],
    ['BenchmarkX 10 -5 ns/op', 'x.txt:1: negative duration -5 ns/op'],
    ['BenchmarkX 10 5 ns/op 6 ns/op', 'x.txt:1: unit ns/op appears twice'],
    ['Unit x better=sideways', 'x.txt:1: Unit x: better=sideways; expected better=higher or better=lower'],
    ['Unit x assume=exact\nUnit x assume=nothing', 'x.txt:2: Unit x: assume=nothing conflicts with assume=exact on line 1'],
  ])('rejects %j', (text, message) => {
    expect(() => parseGoBench(text, 'x.txt')).toThrow(InputError)
    expect(() => parseGoBench(text, 'x.txt')).toThrow(message)
  })

  it('round-trips any well-formed result line (property)', () => {
    const name = fc.stringMatching(/^[A-Z][A-Za-z0-9_/=.-]{0,20}$/).map((s) => `Benchmark${s}`)
    const unit = fc.stringMatching(/^[a-z][a-z/-]{0,8}$/)
    const value = fc.double({ min: 0, max: 1e12, noNaN: true })
    fc.assert(
      fc.property(name, fc.nat(1e9), fc.uniqueArray(fc.tuple(unit, value), { minLength: 1, maxLength: 5, selector: ([u]) => u }), (n, iters, pairs) => {
        const line = `${n}\t${iters}\t${pairs.map(([u, v]) => `${v} ${u}`).join('\t')}`
        const file = parseGoBench(`goos: linux\n${line}\n`, 'p.txt')
        expect(file.results).toHaveLength(1)
        expect(file.results[0]?.name).toBe(n)
        expect(file.results[0]?.iterations).toBe(iters)
        expect(file.results[0]?.values).toEqual(pairs.map(([u, v]) => ({ unit: u, value: v })))
      }),
      { numRuns: 200 },
    )
  })

  it('fails only with a one-line InputError naming file:line on arbitrary input (property)', () => {
    const lineArb = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'BenchmarkX 1 2 ns/op',
        'BenchmarkX 1',
        'Unit a b',
        'Unit a better=higher',
        'key: value',
        'BenchmarkY 3 -1 ns/op',
        'BenchmarkZ 1 1e400 ns/op',
      ),
      fc.array(fc.constantFrom('Benchmark', 'X', ' ', '\t', '1', 'ns/op', '-', '.', 'e', '=', 'Unit', ':'), { maxLength: 12 }).map((a) => a.join('')),
    )
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 8 }), (lines) => {
        try {
          parseGoBench(lines.join('\n'), 'g.txt')
        } catch (err) {
          expect(err).toBeInstanceOf(InputError)
          expect((err as Error).message).toMatch(/^g\.txt:\d+: /)
          expect((err as Error).message).not.toContain('\n')
        }
      }),
      { numRuns: 300 },
    )
  })
})
