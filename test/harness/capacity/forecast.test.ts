import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_CONFIG, parseCapacityConfig } from '../../../harness/capacity/config.ts'
import { forecastHistory } from '../../../harness/capacity/forecast.ts'
import { parseHistoryCsv } from '../../../harness/capacity/history-csv.ts'
import { scenarioSteps } from '../../../harness/capacity/simulate.ts'
import { estimateLeftMs, parseSizes } from '../../../harness/capacity/sweep.ts'

const DAY_S = 86_400

function csv(days: number, perDay: number): string {
  const lines = ['timestamp,cpu,memory,series,requests,nodes']
  for (let i = 0; i < days * perDay; i++) {
    const d = i / perDay
    lines.push(`${1_700_000_000 + d * DAY_S},${0.02 + 0.001 * d},${2e8 + 1e6 * d},${10_000 + 10 * d},0.0333,${1_000 + 5 * d}`)
  }
  return lines.join('\n')
}

describe('forecastHistory from a CSV', () => {
  it('projects exact linear trends and flags the resources whose growth passes the threshold', () => {
    const report = forecastHistory(parseHistoryCsv(csv(90, 4), 'h.csv'), DEFAULT_CONFIG, 'linear')
    const cpu = report.resources.find((r) => r.resource === 'cpu')
    const lastDay = 90 - 0.25
    expect(cpu?.projected.value).toBeCloseTo(0.02 + 0.001 * (lastDay + 30), 9)
    expect(cpu?.flagged).toBe(true) // 0.14/0.11 − 1 = 27% > 15%
    expect(report.resources.find((r) => r.resource === 'memory')?.flagged).toBe(false) // 12%
    expect(report.resources.find((r) => r.resource === 'requests')?.flagged).toBe(false)
    expect(report.cluster.filter((c) => c.resource === 'nodes').map((c) => c.horizonDays)).toEqual([30, 45, 60, 90])
  })
  it('refuses an empty history and a too-short one with the source named', () => {
    expect(() => parseHistoryCsv('', 'h.csv')).toThrow(/h.csv: empty/)
    expect(() => forecastHistory(parseHistoryCsv('timestamp,cpu\n', 'h.csv'), DEFAULT_CONFIG, 'linear', ['cpu'])).toThrow(/h.csv column cpu: no data for cpu/)
    expect(() => forecastHistory(parseHistoryCsv(csv(1, 4), 'h.csv'), DEFAULT_CONFIG, 'linear', ['cpu'])).toThrow(/history too short \(4 points/)
  })
  it('names the line of a bad cell', () => {
    expect(() => parseHistoryCsv('timestamp,cpu\n1,x\n', 'h.csv')).toThrow(/h.csv:2: column cpu: "x" is not a number/)
    expect(() => parseHistoryCsv('timestamp,gpu\n', 'h.csv')).toThrow(/h.csv:1: unknown column "gpu"/)
  })
})

describe('config', () => {
  it("benchmarks/capacity/capacity.json holds the seed's defaults", async () => {
    const text = await readFile(join(import.meta.dirname, '..', '..', '..', 'benchmarks', 'capacity', 'capacity.json'), 'utf8')
    expect(parseCapacityConfig(text, 'capacity.json')).toEqual(DEFAULT_CONFIG)
    expect(DEFAULT_CONFIG.resources).toEqual({
      cpu: { horizonDays: 30, growthThreshold: 0.15 },
      memory: { horizonDays: 30, growthThreshold: 0.2 },
      series: { horizonDays: 60, growthThreshold: 0.25 },
      requests: { horizonDays: 45, growthThreshold: 0.3 },
      storage: { horizonDays: 90, growthThreshold: 0.1 },
    })
  })
  it('reports every bad field at once', () => {
    expect(() => parseCapacityConfig('{"headroom":"x","resources":{"gpu":{}}}', 'c.json')).toThrow(
      /c.json: \/headroom: found "x".*\n.*c.json: \/resources\/gpu: unknown field/s,
    )
  })
})

describe('sweep and scenario sizes', () => {
  it('needs three distinct sizes', () => {
    expect(parseSizes('100,1k,10k')).toEqual([100, 1_000, 10_000])
    expect(() => parseSizes('100')).toThrow(/found 1 distinct size .*at least 3/)
    expect(() => parseSizes('100,abc,3')).toThrow(/"abc" is not a node count/)
  })
  it('estimates time left from the nodes done', () => {
    expect(estimateLeftMs([], 0, [100])).toBeUndefined()
    expect(estimateLeftMs([100, 300], 4_000, [1_000])).toBe(10_000)
  })
  it('grows the cluster per scenario, compounded monthly, to each horizon', () => {
    const steps = scenarioSteps(DEFAULT_CONFIG, 'aggressive', 1_000)
    expect(steps).toEqual([
      { horizonDays: 30, nodes: 1_150 },
      { horizonDays: 45, nodes: Math.round(1_000 * 1.15 ** 1.5) },
      { horizonDays: 60, nodes: Math.round(1_000 * 1.15 ** 2) },
      { horizonDays: 90, nodes: Math.round(1_000 * 1.15 ** 3) },
    ])
  })
})
