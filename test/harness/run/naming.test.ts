import { describe, expect, it } from 'vitest'
import { BenchMatcher, splitPattern } from '../../../harness/run/match.ts'
import { isBenchmarkName, NameRegistry, procsName, rewriteName } from '../../../harness/run/names.ts'

describe('benchmark names (Go match.go rules)', () => {
  it('accepts Benchmark followed by nothing or a non-lower-case rune', () => {
    expect(['Benchmark', 'BenchmarkX', 'Benchmark_x', 'BenchmarkÉté'].map(isBenchmarkName)).toEqual([true, true, true, true])
    expect(['Benchmarkx', 'benchmarkX', 'BenchX', 'Benchmarké'].map(isBenchmarkName)).toEqual([false, false, false, false])
  })

  it('rewrites spaces to underscores and escapes non-printable runes', () => {
    expect(rewriteName('with space\tand\u00a0nbsp')).toBe('with_space_and_nbsp')
    expect(rewriteName('nul\u0000bell\u0007del\u007f')).toBe('nul\\x00bell\\adel\\x7f')
    expect(rewriteName('zero\u200bwidth')).toBe('zero\\u200bwidth')
    expect(rewriteName('size=10,µs')).toBe('size=10,µs')
  })

  it('numbers duplicates #01, #02 and an empty name #00', () => {
    const names = new NameRegistry()
    expect(names.unique('BenchmarkX', 'a')).toBe('BenchmarkX/a')
    expect(names.unique('BenchmarkX', 'a')).toBe('BenchmarkX/a#01')
    expect(names.unique('BenchmarkX', 'a')).toBe('BenchmarkX/a#02')
    expect(names.unique('BenchmarkX', '')).toBe('BenchmarkX/#00')
    expect(names.unique('BenchmarkX', '')).toBe('BenchmarkX/#01')
    expect(names.unique('BenchmarkX', 'a#01')).toBe('BenchmarkX/a#01#01')
    expect(names.unique('BenchmarkY', 'a')).toBe('BenchmarkY/a')
  })

  it('adds the -P suffix only when P is not 1', () => {
    expect(procsName('BenchmarkX/a', 1)).toBe('BenchmarkX/a')
    expect(procsName('BenchmarkX/a', 4)).toBe('BenchmarkX/a-4')
  })
})

describe('-bench patterns (Go splitRegexp, unanchored per level)', () => {
  it('splits on unbracketed slashes and top-level bars only', () => {
    expect(splitPattern('A/b')).toEqual([['A', 'b']])
    expect(splitPattern('A[/]b')).toEqual([['A[/]b']])
    expect(splitPattern('(a/b)/c')).toEqual([['(a/b)', 'c']])
    expect(splitPattern('A\\/b/c')).toEqual([['A\\/b', 'c']])
    expect(splitPattern('A/x|B/y')).toEqual([
      ['A', 'x'],
      ['B', 'y'],
    ])
    expect(splitPattern('A/(x|y)')).toEqual([['A', '(x|y)']])
  })

  it('matches each level unanchored and reports partial matches of parents', () => {
    const m = new BenchMatcher('Encode/json')
    expect(m.match('BenchmarkEncode')).toEqual({ ok: true, partial: true })
    expect(m.match('BenchmarkEncode/format=json')).toEqual({ ok: true, partial: false })
    expect(m.match('BenchmarkEncode/format=gob')).toEqual({ ok: false, partial: false })
    expect(m.match('BenchmarkDecode/format=json')).toEqual({ ok: false, partial: false })
    expect(new BenchMatcher('.').match('BenchmarkA/b/c')).toEqual({ ok: true, partial: false })
    expect(new BenchMatcher('^BenchmarkA$').match('BenchmarkAB')).toEqual({ ok: false, partial: false })
  })

  it('tries alternatives in order, as Go', () => {
    const m = new BenchMatcher('X/a|Y')
    expect(m.match('BenchmarkY/anything').ok).toBe(true)
    expect(m.match('BenchmarkX/b').ok).toBe(false)
    expect(m.match('BenchmarkX/a').ok).toBe(true)
  })

  it('rejects an invalid regexp with the offending part named', () => {
    expect(() => new BenchMatcher('A/(b')).toThrow(/invalid regexp "\(b"/)
  })
})
