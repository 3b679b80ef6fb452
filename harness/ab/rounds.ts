// Interleaved rounds: every arm (base, head, an injected slowdown…) runs once per round, in an
// order that changes from round to round, so that drift of the machine (thermal, other
// tenants) spreads over all arms instead of landing on one (benchstat's doc; Google
// Benchmark's random interleaving halves run-to-run variance). The orders form a Williams
// design: over a cycle each arm runs in each position equally often AND directly after each
// other arm equally often. A plain rotation (A B C D, B C D A, …) would always run B right
// after A; on a loaded 2-core machine that carry-over made A/A arms differ systematically.
import type { ResultsDocument } from '../results/schema.ts'

/** Arm is one side of a comparison. */
export interface Arm {
  readonly label: string
  /** Runs one round (one sample of each selected benchmark) and returns its results. */
  readonly runOnce: () => Promise<ResultsDocument>
}

/**
 * armOrder returns the order of arms in round r from a Williams design (a balanced Latin square:
 * base row 0, 1, n−1, 2, n−2, … shifted by r; for odd n the mirrored rows follow, so a cycle is n
 * rounds for even n and 2n for odd n). Two arms alternate A B, B A.
 */
export function armOrder(armCount: number, round: number): number[] {
  const row = Array.from({ length: armCount }, (_, j) => (j === 0 ? 0 : j % 2 === 1 ? (j + 1) / 2 : armCount - j / 2))
  const cycle = armCount % 2 === 0 ? armCount : 2 * armCount
  const r = round % cycle
  const shifted = row.map((a) => (a + r) % armCount)
  return r < armCount ? shifted : shifted.reverse()
}

/**
 * nextRoundTarget is ab's sequential rule: after `rounds` rounds a side, with `inconclusive`
 * verdicts left, the round count to run up to next (`step` more, at most `maxCount`), or
 * undefined to stop (nothing inconclusive, or the cap reached). The doctor judges with it too.
 */
export function nextRoundTarget(rounds: number, inconclusive: number, maxCount: number, step: number): number | undefined {
  if (inconclusive === 0 || rounds >= maxCount) return undefined
  return Math.min(maxCount, rounds + step)
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
      else
        byName.set(key, {
          ...prior,
          samples: [...prior.samples, ...samples],
          ...(bench.status !== 'ok' && prior.status === 'ok' ? { status: bench.status, ...(bench.failure ? { failure: bench.failure } : {}) } : {}),
        })
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
