// Golden tests: Go's own printed examples (golang/perf testdata and golang/go issues, cited per case) must come out byte for byte.
import { describe, expect, it } from 'vitest'
import {
  formatFailBlock,
  formatFixed,
  formatPackageSummary,
  formatResultLine,
  formatSkipBlock,
  formatUnitLine,
  NameWidth,
  prettyPrint,
  printedMetrics,
  printedValue,
} from '../../../harness/results/gofmt-write.ts'

describe('Go result lines', () => {
  it('example A: sub-benchmarks with -48 (golang/perf cmd/benchstat/testdata/old.txt)', () => {
    const width = new NameWidth(['BenchmarkEncode'], 48)
    width.observeProbe('BenchmarkEncode/format=json')
    expect(formatResultLine('BenchmarkEncode/format=json-48', width.width, 690848, { 'ns/op': 1726 })).toBe(
      'BenchmarkEncode/format=json-48         \t  690848\t      1726 ns/op',
    )
    width.observeProbe('BenchmarkEncode/format=gob')
    expect(formatResultLine('BenchmarkEncode/format=gob-48', width.width, 372699, { 'ns/op': 3069 })).toBe(
      'BenchmarkEncode/format=gob-48          \t  372699\t      3069 ns/op',
    )
  })

  it('example B: -benchmem columns (golang/go#21341)', () => {
    const width = new NameWidth(['BenchmarkSiteBuilding'], 4)
    width.observeProbe('BenchmarkSiteBuilding/TOML,num_root_sections=5,num_pages=1000,tags_per_page=1')
    expect(
      formatResultLine('BenchmarkSiteBuilding/TOML,num_root_sections=5,num_pages=1000,tags_per_page=1-4', width.width, 10, {
        'ns/op': 107999797,
        'B/op': 68518904,
        'allocs/op': 599247,
      }),
    ).toBe(
      'BenchmarkSiteBuilding/TOML,num_root_sections=5,num_pages=1000,tags_per_page=1-4         \t      10\t 107999797 ns/op\t68518904 B/op\t  599247 allocs/op',
    )
  })

  it('example C: MB/s before B/op, lines without -benchmem stop after MB/s (design 14313)', () => {
    const width = new NameWidth(['BenchmarkDecodeDigitsSpeed1e4', 'BenchmarkDecodeDigitsSpeed1e5', 'BenchmarkEncodeDigitsSpeed1e4'], 8).width
    expect(formatResultLine('BenchmarkDecodeDigitsSpeed1e4-8', width, 100, { 'ns/op': 154125, 'MB/s': 64.88, 'B/op': 40418, 'allocs/op': 7 })).toBe(
      'BenchmarkDecodeDigitsSpeed1e4-8   \t     100\t    154125 ns/op\t  64.88 MB/s\t   40418 B/op\t       7 allocs/op',
    )
    expect(formatResultLine('BenchmarkDecodeDigitsSpeed1e5-8', width, 10, { 'ns/op': 1367632, 'MB/s': 73.12, 'B/op': 41356, 'allocs/op': 14 })).toBe(
      'BenchmarkDecodeDigitsSpeed1e5-8   \t      10\t   1367632 ns/op\t  73.12 MB/s\t   41356 B/op\t      14 allocs/op',
    )
    expect(formatResultLine('BenchmarkEncodeDigitsSpeed1e4-8', width, 30, { 'ns/op': 482808, 'MB/s': 20.71 })).toBe(
      'BenchmarkEncodeDigitsSpeed1e4-8   \t      30\t    482808 ns/op\t  20.71 MB/s',
    )
  })

  it('orders custom metrics by unit after MB/s and before B/op; ns/op 0 is suppressed', () => {
    const line = formatResultLine('BenchmarkX', 11, 5, { 'B/op': 56.4, zeta: 2, 'ns/op': 0, alpha: 1234.5, 'MB/s': 1.5, 'allocs/op': 1 })
    expect(line).toBe('BenchmarkX \t       5\t   1.50 MB/s\t      1234 alpha\t         2.000 zeta\t      56 B/op\t       1 allocs/op')
  })

  it('widens the name column by 8 bytes of slack when a longer sub-benchmark is probed, as Go', () => {
    const width = new NameWidth(['BenchmarkA', 'BenchmarkLonger'], 1)
    expect(width.width).toBe('BenchmarkLonger'.length + 1)
    width.observeProbe('BenchmarkA/x')
    expect(width.width).toBe(16)
    width.observeProbe('BenchmarkA/a-long-sub-name')
    expect(width.width).toBe('BenchmarkA/a-long-sub-name'.length + 1 + 8)
  })
})

describe('prettyPrint (Go) column formats', () => {
  it.each([
    [0, '         0 ns/op'],
    [123456.7, '    123457 ns/op'],
    [999.95, '      1000 ns/op'],
    [999.94, '       999.9 ns/op'],
    [12.345, '        12.35 ns/op'],
    [1.5, '         1.500 ns/op'],
    [0.3954, '         0.3954 ns/op'],
    [0.012345, '         0.01235 ns/op'],
    [0.0012345, '         0.001234 ns/op'],
    [0.00012345, '         0.0001234 ns/op'],
  ])('%d', (value, expected) => {
    expect(prettyPrint(value, 'ns/op')).toBe(expected)
  })

  it('rounds exact halves to even as Go’s %f, not upwards as toFixed', () => {
    expect([formatFixed(2.5, 0), formatFixed(3.5, 0), formatFixed(1726.5, 0), formatFixed(0.125, 2), formatFixed(-2.5, 0)]).toEqual([
      '2',
      '4',
      '1726',
      '0.12',
      '-2',
    ])
    expect(formatFixed(1.005, 2)).toBe('1.00') // 1.005 is 1.00499… in binary
  })
})

describe('Go blocks and trailer lines', () => {
  it('prints FAIL with the message and stack frames indented, SKIP with the reason', () => {
    const stack = 'Error: boom\n    at BenchmarkThrows (/repo/x.bench.ts:9:21)\n    at BenchB.runN (/repo/harness/run/b.ts:1:1)'
    expect(formatFailBlock('BenchmarkThrows', 'Error: boom', stack)).toBe(
      '--- FAIL: BenchmarkThrows\n    Error: boom\n        at BenchmarkThrows (/repo/x.bench.ts:9:21)\n        at BenchB.runN (/repo/harness/run/b.ts:1:1)\n',
    )
    expect(formatSkipBlock('BenchmarkS', 'needs a cluster')).toBe('--- SKIP: BenchmarkS\n    needs a cluster\n')
  })

  it('prints ok and FAIL lines as go test', () => {
    expect(formatPackageSummary('slurmbench/benchmarks/cpu', true, 6.8372)).toBe('ok  \tslurmbench/benchmarks/cpu\t6.837s\n')
    expect(formatPackageSummary('slurmbench/benchmarks/cpu', false, 1)).toBe('FAIL\tslurmbench/benchmarks/cpu\t1.000s\n')
  })

  it('writes Unit lines only where benchstat would assume the wrong direction', () => {
    expect(formatUnitLine('metrics/s')).toBe('Unit metrics/s better=higher\n')
    expect(formatUnitLine('MB/s')).toBe('')
    expect(formatUnitLine('ns/op')).toBe('')
    expect(formatUnitLine('gcs/op')).toBe('')
  })
})

describe('printedValue: the JSON holds what the line prints', () => {
  it('rounds B/op and allocs/op to whole numbers, MB/s to two decimals, the rest as prettyPrint', () => {
    expect(printedValue('allocs/op', 0.004)).toBe(0)
    expect(printedValue('allocs/op', 1.03)).toBe(1)
    expect(printedValue('B/op', 56.4)).toBe(56)
    expect(printedValue('MB/s', 123.456)).toBe(123.46)
    expect(printedValue('ns/op', 1234.567)).toBe(1235)
    expect(printedValue('ns/op', 12.34567)).toBe(12.35)
    expect(printedValue('gcs/op', 0.000123456)).toBe(0.0001235)
    expect(printedValue('ns/op', 0)).toBe(0)
  })

  it('leaves every result line as it was, and is idempotent', () => {
    const raw = { 'ns/op': 1726.4, 'MB/s': 57.916, 'gcs/op': 0.00012345, 'ext-B/op': 8000.3, 'B/op': 56.03, 'allocs/op': 0.0042 }
    const printed = printedMetrics(raw)
    expect(formatResultLine('BenchmarkX', 12, 690848, printed)).toBe(formatResultLine('BenchmarkX', 12, 690848, raw))
    expect(printedMetrics(printed)).toEqual(printed)
    for (const value of [999.96, 99.996, 9.99951, 0.99995, 2.5, 0.5])
      expect(printedValue('x/op', printedValue('x/op', value))).toBe(printedValue('x/op', value))
  })
})
