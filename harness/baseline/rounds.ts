// Interleaved rounds: every arm (base, head, an injected slowdown…) runs once per round, in an
// order that rotates from round to round, so that drift of the machine (thermal, other
// tenants) spreads over all arms instead of landing on one (benchstat's doc; Google
// Benchmark's random interleaving halves run-to-run variance).
import type { ResultsDocument } from '../results/schema.ts'

/** Arm is one side of a comparison. */
export interface Arm {
  readonly label: string
  /** Runs one round (one sample of each selected benchmark) and returns its results. */
  readonly runOnce: () => Promise<ResultsDocument>
}

/** armOrder returns the order of arms in round r: rotated by r, so A B, B A, A B… for two arms. */
export function armOrder(armCount: number, round: number): number[] {
  return Array.from({ length: armCount }, (_, i) => (i + round) % armCount)
}

/** ArmResults holds one results document per completed round of an arm. */
export type ArmResults = ResultsDocument[]

/** runRounds runs rounds [from, to) of every arm, appending to `results` (one list per arm). */
export async function runRounds(arms: readonly Arm[], from: number, to: number, results: ArmResults[], progress?: (text: string) => void): Promise<void> {
  for (let round = from; round < to; round++) {
    for (const index of armOrder(arms.length, round)) {
      const arm = arms[index] as Arm
      progress?.(`round ${round + 1}/${to}: ${arm.label}`)
      ;(results[index] ??= []).push(await arm.runOnce())
    }
  }
}

/**
 * mergeRounds joins single-round documents into one, each benchmark's samples in round order
 * (renumbered), taking the environment of the first; benchmarks that failed in any round stay
 * failed with that round's failure.
 */
export function mergeRounds(docs: readonly ResultsDocument[]): ResultsDocument {
  const first = docs[0]
  if (first === undefined) throw new Error('mergeRounds: no rounds')
  const byName = new Map<string, ResultsDocument['benchmarks'][number]>()
  const warnings: string[] = []
  for (const [round, doc] of docs.entries()) {
    for (const bench of doc.benchmarks) {
      const key = `${bench.pkg}\u0000${bench.name}`
      const prior = byName.get(key)
      const samples = bench.samples.map((s) => ({ ...s, round }))
      if (prior === undefined) byName.set(key, { ...bench, samples })
      else byName.set(key, { ...prior, samples: [...prior.samples, ...samples], ...(bench.status !== 'ok' && prior.status === 'ok' ? { status: bench.status, ...(bench.failure ? { failure: bench.failure } : {}) } : {}) })
    }
    for (const w of doc.warnings) if (!warnings.includes(w)) warnings.push(w)
  }
  return {
    ...first,
    durationMs: docs.reduce((sum, d) => sum + d.durationMs, 0),
    config: { ...first.config, count: docs.length },
    benchmarks: [...byName.values()],
    warnings,
  }
}
