import { describe, expect, it } from 'vitest'
import { type FlagSpecs, UsageError, formatUsage, parseArgs } from '../../../harness/cli/flags.ts'

const SPECS: FlagSpecs = {
  bench: { kind: 'string', help: 'run benchmarks matching regexp', valueName: 'regexp' },
  count: { kind: 'integer', help: 'samples per benchmark', valueName: 'n' },
  benchmem: { kind: 'boolean', help: 'print memory figures' },
  cpu: { kind: 'list', help: 'parallelism list', valueName: 'list' },
  alpha: { kind: 'number', help: 'significance level' },
  output: { kind: 'string', help: 'write to file', aliases: ['o'] },
  filter: { kind: 'string', help: 'filters', repeatable: true },
}

describe('parseArgs', () => {
  it('accepts Go single-dash and double-dash spellings alike', () => {
    const go = parseArgs(['-bench=Parse', '-count', '10', '-benchmem', '-cpu=1,4'], SPECS)
    const gnu = parseArgs(['--bench', 'Parse', '--count=10', '--benchmem', '--cpu', '1,4'], SPECS)
    expect(go.flags).toEqual({ bench: 'Parse', count: 10, benchmem: true, cpu: ['1', '4'] })
    expect(gnu.flags).toEqual(go.flags)
  })

  it('keeps positionals, honours -- and aliases', () => {
    const parsed = parseArgs(['old.txt', '-o', 'out.txt', 'new.txt', '--', '-notaflag'], SPECS)
    expect(parsed.positionals).toEqual(['old.txt', 'new.txt', '-notaflag'])
    expect(parsed.flags.output).toBe('out.txt')
  })

  it('reads explicit boolean values and help', () => {
    expect(parseArgs(['-benchmem=false'], SPECS).flags.benchmem).toBe(false)
    expect(parseArgs(['--help'], SPECS).help).toBe(true)
    expect(parseArgs(['-h'], SPECS).help).toBe(true)
  })

  it('collects repeatable flags', () => {
    expect(parseArgs(['-filter', 'a', '--filter=b'], SPECS).flags.filter).toEqual(['a', 'b'])
  })

  it('names the flag in every usage error', () => {
    expect(() => parseArgs(['-bogus=1'], SPECS)).toThrow(new UsageError('unknown flag -bogus'))
    expect(() => parseArgs(['-count=ten'], SPECS)).toThrow(/flag -count: expected a whole number, found "ten"/)
    expect(() => parseArgs(['-alpha=x'], SPECS)).toThrow(/flag -alpha: expected a number/)
    expect(() => parseArgs(['-count'], SPECS)).toThrow(/flag -count needs a value/)
    expect(() => parseArgs(['-benchmem=maybe'], SPECS)).toThrow(/flag -benchmem: expected true or false/)
  })
})

describe('formatUsage', () => {
  it('lists every flag with its value name and help', () => {
    const text = formatUsage('slurmbench bench [flags]', 'Runs benchmarks.', SPECS)
    expect(text).toMatch(/^usage: slurmbench bench \[flags\]/)
    expect(text).toMatch(/-count n\s+samples per benchmark/)
    expect(text).toMatch(/-output, -o string\s+write to file/)
    expect(text).toMatch(/-h, --help\s+show this help/)
  })
})
