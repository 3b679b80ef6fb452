import { mkdtemp, readFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseResults, readResults, writeResults } from '../../../harness/results/json.ts'
import { InputError } from '../../../common/input-error.ts'
import type { ResultsDocument } from '../../../harness/results/schema.ts'

function makeDoc(): ResultsDocument {
  return {
    schemaVersion: 1,
    kind: 'slurmbench.results',
    startedAt: '2026-11-27T10:00:00.000Z',
    durationMs: 1234,
    environment: {
      goos: 'linux',
      goarch: 'amd64',
      cpuModel: 'Test CPU',
      cores: 2,
      totalMemoryBytes: 1024,
      osRelease: '6.1',
      node: 'v20.20.2',
      v8: '11.3',
      execArgv: ['--expose-gc'],
      loadAverage: [0.1, 0.2, 0.3],
      hostname: 'h',
    },
    config: { producer: 'bench', count: 1 },
    benchmarks: [
      {
        name: 'BenchmarkX',
        pkg: 'slurmbench/benchmarks/cpu',
        file: 'benchmarks/cpu/x.bench.ts',
        procs: 1,
        status: 'ok',
        samples: [{ round: 0, iterations: 100, metrics: { 'ns/op': 12.5 } }],
      },
    ],
    warnings: [],
  }
}

describe('results JSON', () => {
  it('round-trips through an atomic write and leaves no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slurmbench-json-'))
    const path = join(dir, 'run.json')
    await writeResults(path, makeDoc())
    expect(await readResults(path)).toEqual(makeDoc())
    expect(await readdir(dir)).toEqual(['run.json'])
  })

  it('names the file and what was expected for empty, truncated and invalid documents', async () => {
    expect(() => parseResults('', 'a.json')).toThrow(new InputError('a.json: empty file, expected a slurmbench results JSON document'))
    const text = JSON.stringify(makeDoc())
    expect(() => parseResults(text.slice(0, 40), 'b.json')).toThrow(/^b\.json: not valid JSON .*truncated/)
    const bad = makeDoc() as unknown as { benchmarks: Array<{ samples: Array<{ iterations: unknown }> }> }
    bad.benchmarks[0]!.samples[0]!.iterations = 'many'
    expect(() => parseResults(JSON.stringify(bad), 'c.json')).toThrow(/^c\.json: at \/benchmarks\/0\/samples\/0\/iterations: /)
  })

  it('rejects negative durations and overflowing numbers with their JSON path', () => {
    const doc = makeDoc()
    doc.benchmarks[0]!.samples[0]!.metrics['ns/op'] = -3
    expect(() => parseResults(JSON.stringify(doc), 'd.json')).toThrow('d.json: at /benchmarks/0/samples/0/metrics/ns~1op: negative duration -3, expected ≥ 0')
    const text = JSON.stringify(makeDoc()).replace('12.5', '1e999')
    expect(() => parseResults(text, 'e.json')).toThrow(/at \/benchmarks\/0\/samples\/0\/metrics\/ns~1op: Expected number \(found Infinity\)/)
  })

  it('refuses documents from a newer schema with advice', () => {
    const doc = { ...makeDoc(), schemaVersion: 9 }
    expect(() => parseResults(JSON.stringify(doc), 'f.json')).toThrow(/schemaVersion 9 is newer .* upgrade slurmbench/)
  })

  it('reports an unreadable path', async () => {
    await expect(readResults('/nonexistent/x.json')).rejects.toThrow('/nonexistent/x.json: cannot read (ENOENT)')
    expect((await readFile(new URL(import.meta.url))).length).toBeGreaterThan(0)
  })
})
