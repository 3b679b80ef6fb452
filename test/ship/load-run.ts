// What a load test run from the shipped package or image must show, whatever this machine's speed.
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'

/**
 * expectCleanLoadRun checks a `slurmbench load` run: exit 0 or 1 (thresholds judge the machine's
 * speed) with its verdict line, and in the results file at `resultsPath` a first sample of at least
 * one iteration with every request answered.
 */
export function expectCleanLoadRun(load: { status: number | null; stdout: string; stderr: string }, resultsPath: string): void {
  expect([0, 1], load.stderr).toContain(load.status)
  expect(load.stdout).toMatch(/LOAD TEST (PASSED|FAILED)/)
  const document = JSON.parse(readFileSync(resultsPath, 'utf8')) as {
    benchmarks: Array<{ samples: Array<{ iterations: number; metrics: Record<string, number> }> }>
  }
  const sample = document.benchmarks[0]?.samples[0]
  expect(sample?.iterations).toBeGreaterThan(0)
  expect(sample?.metrics['error-ratio']).toBe(0)
}
