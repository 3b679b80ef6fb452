// The canary: a benchmark whose code never changes. The nightly history runs it every night, so
// when its level shifts the machine moved (new runner hardware, a kernel, weeks of a noisy
// neighbour), and a shift of another benchmark on the same night is labelled a machine change
// rather than a regression (`slurmbench history trend`). Do not edit: a change here would read as
// the machine's. It mixes the two kinds of work this tree's benchmarks do: integer arithmetic and
// touching memory beyond the L1 cache.
import { type B, sink } from 'slurmbench'

// 64 KiB of 32-bit words: past L1, inside L2 on every x86 and ARM server core in use.
const WORDS = 16 * 1024
const table = new Int32Array(WORDS)
for (let i = 0; i < WORDS; i++) table[i] = Math.imul(i + 1, 0x9e3779b1)

/** BenchmarkCanary walks the table in a fixed pseudo-random order, mixing each word it reads. */
export function BenchmarkCanary(b: B) {
  for (let n = 0; n < b.N; n++) {
    let h = n | 0
    let at = 0
    for (let step = 0; step < 4096; step++) {
      h = Math.imul(h ^ (table[at] as number), 0x85ebca6b)
      at = (at + 4099) & (WORDS - 1)
    }
    sink(h)
  }
}
