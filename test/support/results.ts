// Results documents for tests: a valid document with chosen samples, on a known test machine.
import type { Environment, ResultsDocument } from '../../harness/results/schema.ts'

/** TEST_ENVIRONMENT is a valid environment: a 4-core linux/amd64 machine running Node 20. */
export const TEST_ENVIRONMENT: Environment = {
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
}

/** ResultsDocOptions changes what resultsDoc writes besides the samples and the environment. */
export interface ResultsDocOptions {
  readonly startedAt?: string
  /** pkg of every benchmark (default slurmbench/benchmarks/test). */
  readonly pkg?: string
}

/** resultsDoc builds a valid results document with ns/op samples per benchmark, on TEST_ENVIRONMENT changed by `env`. */
export function resultsDoc(benchmarks: Record<string, readonly number[]>, env: Partial<Environment> = {}, options: ResultsDocOptions = {}): ResultsDocument {
  return {
    schemaVersion: 1,
    kind: 'slurmbench.results',
    startedAt: options.startedAt ?? '2026-11-27T10:00:00.000Z',
    durationMs: 1000,
    environment: { ...TEST_ENVIRONMENT, ...env },
    config: { producer: 'bench', count: 1 },
    benchmarks: Object.entries(benchmarks).map(([name, values]) => ({
      name,
      pkg: options.pkg ?? 'slurmbench/benchmarks/test',
      file: 'benchmarks/test/x.bench.ts',
      procs: 1,
      status: 'ok' as const,
      samples: values.map((v, round) => ({ round, iterations: 1000, metrics: { 'ns/op': v } })),
    })),
    warnings: [],
  }
}
