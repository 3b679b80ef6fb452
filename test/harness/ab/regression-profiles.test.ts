// What ab --profile profiles: which regressions ask for which profile, the -bench pattern that
// selects one benchmark alone, the file names, and the arguments of the extra bench per side.
import { describe, expect, it } from 'vitest'
import {
  allocSampleType,
  anchoredBenchPattern,
  nameWithoutProcs,
  profileBenchArgs,
  profileBenchTime,
  profileFileNames,
  profileKindOf,
  profileStem,
  profileTargets,
} from '../../../harness/ab/regression-profiles.ts'
import type { MetricVerdict, VerdictKind } from '../../../harness/compare/verdict.ts'
import { BenchMatcher } from '../../../harness/run/match.ts'
import { resultsDoc } from '../../support/results.ts'

function verdict(name: string, unit: string, kind: VerdictKind, pkg = 'slurmbench/benchmarks/test'): MetricVerdict {
  return { name, pkg, unit, rawUnit: unit, verdict: kind, better: 'lower', exact: false, tolerancePct: 5, origin: 'default', warnings: [] }
}

describe('profileKindOf', () => {
  it('asks for a CPU profile for time metrics and an allocation profile for -benchmem metrics', () => {
    expect(['sec/op', 'sec/scrape', 'p95-ms', 'gc-pause-ms/op'].map(profileKindOf)).toEqual(['cpu', 'cpu', 'cpu', 'cpu'])
    expect(['B/op', 'allocs/op'].map(profileKindOf)).toEqual(['alloc', 'alloc'])
    expect(['B/s', 'metrics/s', 'ext-B/op', 'series'].map(profileKindOf)).toEqual([undefined, undefined, undefined, undefined])
  })

  it('compares allocation profiles by bytes unless only the object count regressed', () => {
    expect(allocSampleType(['B/op'])).toBe('alloc_space')
    expect(allocSampleType(['allocs/op', 'B/op'])).toBe('alloc_space')
    expect(allocSampleType(['allocs/op'])).toBe('alloc_objects')
  })
})

describe('anchoredBenchPattern', () => {
  // Leaves, as results name them (a benchmark with sub-benchmarks is never a leaf itself).
  const names = [
    'BenchmarkParse',
    'BenchmarkParseJSON',
    'BenchmarkScan/size=10',
    'BenchmarkScan/size=100',
    'BenchmarkX/a.b|c(d)[e]*+?^$\\{f}',
    'BenchmarkX/a.b|c(d)[e]*+?^$\\{f}x',
    'BenchmarkX/aXb|c(d)[e]*+?^$\\{f}',
  ]
  for (const name of names) {
    it(`selects ${name} and no other`, () => {
      const matcher = new BenchMatcher(anchoredBenchPattern(name))
      expect(names.filter((n) => matcher.match(n).ok)).toEqual([name])
    })
  }

  it('drops the -P suffix bench adds above -cpu 1', () => {
    expect(nameWithoutProcs('BenchmarkScrape/jobs=10-4', 4)).toBe('BenchmarkScrape/jobs=10')
    expect(nameWithoutProcs('BenchmarkScrape/jobs=10-4', 1)).toBe('BenchmarkScrape/jobs=10-4')
  })
})

describe('file names', () => {
  it('follow bench -cpuprofile names, unique within a run', () => {
    const used = new Set<string>()
    expect(profileStem('BenchmarkParse/size=10 rows', used)).toBe('BenchmarkParse_size=10_rows')
    expect(profileStem('BenchmarkParse/size=10:rows', used)).toBe('BenchmarkParse_size=10_rows_2')
    expect(profileStem('Benchmark'.padEnd(400, 'x'), used).length).toBe(160)
    expect(profileFileNames('BenchmarkA', 'cpu')).toEqual({ base: 'BenchmarkA.base.pb.gz', head: 'BenchmarkA.head.pb.gz', diff: 'BenchmarkA.diff.html' })
    expect(profileFileNames('BenchmarkA', 'alloc')).toEqual({
      base: 'BenchmarkA.base.alloc.pb.gz',
      head: 'BenchmarkA.head.alloc.pb.gz',
      diff: 'BenchmarkA.alloc.diff.html',
    })
  })
})

describe('profileTargets', () => {
  const head = resultsDoc({ BenchmarkA: [1], 'BenchmarkB/n=2-4': [1], BenchmarkC: [1] })
  const b = head.benchmarks[1] as { procs: number }
  b.procs = 4

  it('takes each benchmark with a regressed time or allocation metric once, with its kinds of profile', () => {
    const { targets, warnings } = profileTargets(
      [
        verdict('BenchmarkA', 'sec/op', 'regressed'),
        verdict('BenchmarkA', 'B/op', 'regressed'),
        verdict('BenchmarkA', 'allocs/op', 'regressed'),
        verdict('BenchmarkB/n=2-4', 'sec/op', 'regressed'),
        verdict('BenchmarkB/n=2-4', 'B/op', 'improved'),
        verdict('BenchmarkC', 'sec/op', 'inconclusive'),
        verdict('BenchmarkC', 'metrics/s', 'regressed'),
      ],
      head,
    )
    expect(warnings).toEqual([])
    expect(targets).toEqual([
      {
        name: 'BenchmarkA',
        pkg: 'slurmbench/benchmarks/test',
        file: 'benchmarks/test/x.bench.ts',
        procs: 1,
        pattern: '^BenchmarkA$',
        stem: 'BenchmarkA',
        units: { cpu: ['sec/op'], alloc: ['B/op', 'allocs/op'] },
      },
      {
        name: 'BenchmarkB/n=2-4',
        pkg: 'slurmbench/benchmarks/test',
        file: 'benchmarks/test/x.bench.ts',
        procs: 4,
        pattern: '^BenchmarkB$/^n=2$',
        stem: 'BenchmarkB_n=2-4',
        units: { cpu: ['sec/op'] },
      },
    ])
  })

  it('warns about a regression it cannot find in the head results, and finds nothing to profile without regressions', () => {
    expect(profileTargets([verdict('BenchmarkA', 'sec/op', 'regressed', 'other/pkg')], head)).toEqual({
      targets: [],
      warnings: ["BenchmarkA: not profiled: its source file is not in the head's results"],
    })
    expect(profileTargets([verdict('BenchmarkA', 'sec/op', 'unchanged')], head)).toEqual({ targets: [], warnings: [] })
  })

  it('runs one sample of the benchmark alone, at least one second long, with the profile flags', () => {
    const [target] = profileTargets([verdict('BenchmarkB/n=2-4', 'sec/op', 'regressed')], head).targets
    if (target === undefined) throw new Error('no target')
    expect(profileBenchArgs(target, { benchtime: '100ms', timeout: '30m', full: true }, { cpu: '/tmp/p/cpu.pb.gz', mem: '/tmp/p/mem.pb.gz' })).toEqual([
      '-count=1',
      '-bench=^BenchmarkB$/^n=2$',
      '-benchtime=1s',
      '-timeout=30m',
      '-full',
      '-cpu=4',
      '-cpuprofile=/tmp/p/cpu.pb.gz',
      '-memprofile=/tmp/p/mem.pb.gz',
      'benchmarks/test/x.bench.ts',
    ])
    expect(['100ms', '1s', '2.5s', '20x', undefined].map(profileBenchTime)).toEqual(['1s', '1s', '2.5s', '20x', '1s'])
  })
})
