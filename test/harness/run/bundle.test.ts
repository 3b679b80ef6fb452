// The bundle cache: an unchanged benchmark reuses its bundle; editing any file it imports rebuilds it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleBenchmarkFile, BundleError } from '../../../harness/run/bundle.ts'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slurmbench-bundle-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('bundleBenchmarkFile', () => {
  it('lists exports in source order and rebuilds only when an imported file changes', async () => {
    const file = join(dir, 'cache.bench.ts')
    await writeFile(join(dir, 'helper.ts'), 'export const size = 10\n')
    await writeFile(
      file,
      [
        "import { type B, sink } from 'slurmbench'",
        "import { size } from './helper.ts'",
        'export function BenchmarkZeta(b: B) { for (let i = 0; i < b.N; i++) sink(size) }',
        'export const BenchmarkAlpha = (b: B) => { for (let i = 0; i < b.N; i++) sink(i) }',
        'export const notABenchmark = 1',
      ].join('\n'),
    )
    const first = await bundleBenchmarkFile(file)
    expect(first.exports).toEqual(['BenchmarkZeta', 'BenchmarkAlpha', 'notABenchmark'])
    const again = await bundleBenchmarkFile(file)
    expect(again.bundlePath).toBe(first.bundlePath)
    await new Promise((resolve) => setTimeout(resolve, 5)) // a newer mtime than the first build's start
    await writeFile(join(dir, 'helper.ts'), 'export const size = 20\n')
    const edited = await bundleBenchmarkFile(file)
    expect(edited.bundlePath).not.toBe(first.bundlePath)
  })

  it('reports a file that does not compile with file, line and column', async () => {
    const file = join(dir, 'broken.bench.ts')
    await writeFile(file, 'export function BenchmarkX(b) { for (;; {} }\n')
    await expect(bundleBenchmarkFile(file)).rejects.toThrow(BundleError)
    await expect(bundleBenchmarkFile(file)).rejects.toThrow(/broken\.bench\.ts:1:\d+: /)
  })
})
