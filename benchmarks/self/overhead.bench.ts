// The harness measuring itself: what an empty b.N loop costs, and the same through loop().
// `npm run bench -- -bench=Overhead benchmarks/self` (see README, Performance).
import type { B } from 'slurmbench'

/** BenchmarkOverheadEmptyLoop is an empty `b.N` loop: the floor every other figure stands on. */
export function BenchmarkOverheadEmptyLoop(b: B) {
  for (let i = 0; i < b.N; i++) {
    // empty on purpose
  }
}

/** BenchmarkOverheadEmptyLoopHoisted reads b.N once, as a careful author would. */
export function BenchmarkOverheadEmptyLoopHoisted(b: B) {
  const n = b.N
  for (let i = 0; i < n; i++) {
    // empty on purpose
  }
}

/** BenchmarkOverheadLoop is an empty Go 1.24-style `while (b.loop())` body. */
export function BenchmarkOverheadLoop(b: B) {
  while (b.loop()) {
    // empty on purpose
  }
}
