// Finding benchmark files and the benchmark functions they export, as `go test -bench` finds
// Benchmark* functions in _test.go files. Sub-benchmarks are found later, by running parents
// with N=1 in a worker (schedule.ts), as Go does.
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { InputError } from '../../common/input-error.ts'
import { isBenchmarkName } from './names.ts'

/** BENCH_FILE_SUFFIX marks benchmark files. */
export const BENCH_FILE_SUFFIX = '.bench.ts'

/** BENCH_FILE_SUFFIXES are every suffix that marks one: a project without TypeScript writes `.bench.js`. */
export const BENCH_FILE_SUFFIXES = [BENCH_FILE_SUFFIX, '.bench.mts', '.bench.js', '.bench.mjs']

/** DEFAULT_BENCH_DIR is searched when no files or folders are given. */
export const DEFAULT_BENCH_DIR = 'benchmarks'

/**
 * findBenchmarkFiles returns the absolute paths of the benchmark files under `paths` (files or
 * folders, searched recursively; default `benchmarks/`), sorted, without duplicates.
 */
export async function findBenchmarkFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const roots = paths.length === 0 ? [DEFAULT_BENCH_DIR] : paths
  const found = new Set<string>()
  for (const path of roots) {
    const absolute = resolve(cwd, path)
    let info: Awaited<ReturnType<typeof stat>>
    try {
      info = await stat(absolute)
    } catch {
      throw new InputError(`${path}: no such file or folder; expected *${BENCH_FILE_SUFFIX} (or *.bench.js) files or a folder holding them`)
    }
    if (info.isFile()) {
      if (!/\.[mc]?[tj]s$/.test(absolute))
        throw new InputError(`${path}: not a TypeScript or JavaScript file; benchmark files are named *${BENCH_FILE_SUFFIX} or *.bench.js`)
      found.add(absolute)
      continue
    }
    const entries = await readdir(absolute, { recursive: true, withFileTypes: true })
    for (const entry of entries) {
      if (!entry.isFile() || !BENCH_FILE_SUFFIXES.some((suffix) => entry.name.endsWith(suffix))) continue
      const dir = (entry as { parentPath?: string; path?: string }).parentPath ?? (entry as { path: string }).path
      if (dir.split(/[\\/]/).includes('node_modules')) continue
      found.add(join(dir, entry.name))
    }
  }
  return [...found].sort()
}

/** benchmarkExports keeps the exports that are benchmark functions by name (`Benchmark`, `BenchmarkX`). */
export function benchmarkExports(exports: readonly string[]): string[] {
  return exports.filter(isBenchmarkName)
}
