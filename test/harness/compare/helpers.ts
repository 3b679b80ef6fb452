// Shared test helpers: results documents and running the real CLI.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { ResultsDocument } from '../../../harness/results/schema.ts'

/** ROOT is the repository root. */
export const ROOT = join(import.meta.dirname, '..', '..', '..')

/** resultsDoc builds a valid results document with ns/op samples per benchmark. */
export function resultsDoc(benchmarks: Record<string, readonly number[]>, env: Partial<ResultsDocument['environment']> = {}): ResultsDocument {
  return {
    schemaVersion: 1,
    kind: 'slurmbench.results',
    startedAt: '2026-11-27T10:00:00.000Z',
    durationMs: 1000,
    environment: {
      goos: 'linux',
      goarch: 'amd64',
      cpuModel: 'Test CPU 9000',
      cores: 4,
      totalMemoryBytes: 8e9,
      osRelease: '6.1',
      node: 'v20.20.2',
      v8: '11.3',
      execArgv: [],
      loadAverage: [0.1, 0.1, 0.1],
      hostname: 'test',
      commit: 'abc123',
      ...env,
    },
    config: { producer: 'bench', count: 1 },
    benchmarks: Object.entries(benchmarks).map(([name, values]) => ({
      name,
      pkg: 'slurmbench/benchmarks/test',
      file: 'benchmarks/test/x.bench.ts',
      procs: 1,
      status: 'ok' as const,
      samples: values.map((v, round) => ({ round, iterations: 1000, metrics: { 'ns/op': v } })),
    })),
    warnings: [],
  }
}

/** CliResult is what a CLI run printed and returned. */
export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** runCli runs `node bin/slurmbench.js …args` in `cwd`. */
export function runCli(args: readonly string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'slurmbench.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
