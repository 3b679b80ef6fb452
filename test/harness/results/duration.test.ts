import { describe, expect, it } from 'vitest'
import { formatDurationNs, parseDurationNs } from '../../../harness/results/duration.ts'

describe('parseDurationNs', () => {
  it.each([
    ['1s', 1e9],
    ['100ms', 1e8],
    ['1.5s', 1.5e9],
    ['2h45m', 2 * 3600e9 + 45 * 60e9],
    ['300us', 3e5],
    ['300µs', 3e5],
    ['10ns', 10],
    ['0', 0],
    ['-1.5m', -90e9],
    ['.5s', 5e8],
  ])('parses %s', (text, ns) => {
    expect(parseDurationNs(text)).toBe(ns)
  })

  it.each(['', 'abc', '1', '10x', '1s2', 's', '1.2.3s'])('rejects %j', (text) => {
    expect(parseDurationNs(text)).toBeUndefined()
  })
})

describe('formatDurationNs', () => {
  it.each([
    [0, '0s'],
    [500, '500ns'],
    [1500, '1.5µs'],
    [2.5e6, '2.5ms'],
    [1e9, '1s'],
    [90e9, '1m30s'],
    [3723e9, '1h2m3s'],
  ])('formats %d', (ns, text) => {
    expect(formatDurationNs(ns)).toBe(text)
  })
})
