// The `bench` flags that baseline, ab and doctor pass through to the runner they spawn, so a
// user selects benchmarks the same way everywhere.
import type { FlagSpecs, ParsedArgs } from './flags.ts'

/** BENCH_PASSTHROUGH_FLAGS are accepted by baseline/ab/doctor and handed to `slurmbench bench`. */
export const BENCH_PASSTHROUGH_FLAGS: FlagSpecs = {
  bench: { kind: 'string', valueName: 'regexp', help: 'benchmarks to run, as bench -bench (default all)' },
  benchtime: { kind: 'string', valueName: 'd', help: 'time per sample, as bench -benchtime (default 1s)' },
  benchmem: { kind: 'boolean', help: 'also measure memory, as bench -benchmem' },
  cpu: { kind: 'string', valueName: 'list', help: 'runParallel concurrency values, as bench -cpu' },
  timeout: { kind: 'string', valueName: 'd', help: 'per-run timeout, as bench -timeout' },
  full: { kind: 'boolean', help: 'include the largest sizes, as bench -full' },
}

/** benchArgsFrom rebuilds the pass-through flags and the file/folder arguments for a spawned bench. */
export function benchArgsFrom(args: ParsedArgs): string[] {
  const out: string[] = []
  for (const name of ['bench', 'benchtime', 'cpu', 'timeout'] as const) {
    const value = args.flags[name]
    if (typeof value === 'string') out.push(`-${name}=${value}`)
  }
  for (const name of ['benchmem', 'full'] as const) if (args.flags[name] === true) out.push(`-${name}`)
  return [...out, ...args.positionals]
}
