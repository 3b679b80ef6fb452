// Interleaved rounds: every side (base, head, an injected slowdown…) runs once per round, in an
// order that changes from round to round, so that drift of the machine (thermal, other
// tenants) spreads over all sides instead of landing on one (benchstat's doc; Google
// Benchmark's random interleaving halves run-to-run variance). The orders form a Williams
// design: over a cycle each side runs in each position equally often AND directly after each
// other side equally often. A plain rotation (A B C D, B C D A, …) would always run B right
// after A; on a loaded 2-core machine that carry-over made A/A sides differ systematically.
import type { ResultsDocument } from '../results/schema.ts'

/** Side is one side of a comparison: what runs, and its label. */
export interface Side {
  readonly label: string
  /** Runs one round (one sample of each selected benchmark) and returns its results. */
  readonly runOnce: () => Promise<ResultsDocument>
}

/**
 * sideOrder returns the order of sides in round r from a Williams design (a balanced Latin square:
 * base row 0, 1, n−1, 2, n−2, … shifted by r; for odd n the mirrored rows follow, so a cycle is n
 * rounds for even n and 2n for odd n). Two sides alternate A B, B A.
 */
export function sideOrder(armCount: number, round: number): number[] {
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

/** SideResults holds one results document per completed round of a side. */
export type SideResults = ResultsDocument[]

/**
 * runRounds runs rounds [from, to) of every side, appending to `results` (one list per side);
 * `progress` hears which side starts (a terminal's status line), `onRound` each completed round.
 */
export async function runRounds(
  sides: readonly Side[],
  from: number,
  to: number,
  results: SideResults[],
  progress?: (text: string) => void,
  onRound?: (completedRounds: number) => void,
): Promise<void> {
  for (let round = from; round < to; round++) {
    for (const index of sideOrder(sides.length, round)) {
      const side = sides[index] as Side
      progress?.(`round ${round + 1}/${to}: ${side.label}`)
      ;(results[index] ??= []).push(await side.runOnce())
    }
    onRound?.(round + 1)
  }
}

/**
 * wantsPlainProgress says whether long commands print a plain line per round: in CI (CI set
 * and not "false") or when stderr is not a terminal, where a `\r` status line shows nothing.
 */
export function wantsPlainProgress(env: Readonly<Record<string, string | undefined>>, stderrIsTTY: boolean): boolean {
  const ci = env.CI
  return (ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0') || !stderrIsTTY
}

/** formatMinutes prints a duration for people: `100ms`, `45s`, `3m20s`, `1h05m`. */
export function formatMinutes(ms: number): string {
  if (!Number.isFinite(ms)) return '∞'
  if (ms > 0 && ms < 1000) return `${Math.round(ms)}ms`
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`
}

/** RunEstimate is an a-priori duration from the benchmark set and the settings. */
export interface RunEstimate {
  readonly ms: number
  /** True when sub-benchmarks are not counted (known only once a run lists them): the run takes at least this long. */
  readonly lowerBound: boolean
  /** How the figure was made, for the user. */
  readonly how: string
}

/**
 * SAMPLE_STARTUP_MS is a sample's cost besides -benchtime: a fresh Node worker, the benchmark's
 * set-up and the calibration runs. 1 s is low for the suite's server benchmarks (≈ 10 s a leaf
 * at -benchtime=1x on a loaded 2-core VM), so estimates made with it are lower bounds.
 */
export const SAMPLE_STARTUP_MS = 1000

/** estimateRunMs estimates `benchmarks × samplesEach × sides` samples at `benchTimeMs` each. */
export function estimateRunMs(options: {
  readonly benchmarks: number
  readonly samplesEach: number
  readonly benchTimeMs: number
  readonly sides?: number
  readonly lowerBound: boolean
}): RunEstimate {
  const sides = options.sides ?? 1
  const samples = options.benchmarks * options.samplesEach * sides
  const ms = samples * (options.benchTimeMs + SAMPLE_STARTUP_MS)
  const what = `${options.benchmarks}${options.lowerBound ? '+' : ''} benchmarks × ${options.samplesEach} samples${sides > 1 ? ` × ${sides} sides` : ''} × (${formatMinutes(options.benchTimeMs)} + ~${formatMinutes(SAMPLE_STARTUP_MS)} start-up)`
  return { ms, lowerBound: options.lowerBound, how: what }
}

/** formatEstimate prints an estimate: `≥ 4m10s (25+ benchmarks × 10 samples × (1s + ~1s start-up))`. */
export function formatEstimate(e: RunEstimate): string {
  return `${e.lowerBound ? '≥ ' : '~'}${formatMinutes(e.ms)} (${e.how})`
}

/**
 * RoundProgress prints one plain line per completed round, with the time spent and the time left
 * at the average round so far: `baseline: round 3/10 done · 2m05s elapsed · ~4m52s left`.
 * ab, doctor and baseline update share it (CI logs otherwise show nothing for minutes).
 */
export class RoundProgress {
  private readonly startedMs: number
  private readonly now: () => number

  constructor(
    private readonly options: {
      /** Command name that starts each line. */
      readonly prefix: string
      /** Rounds planned in all (ab may raise it as it adds rounds). */
      totalRounds: number
      readonly write: (line: string) => void
      /** Clock in ms (tests pass a fake). */
      readonly now?: () => number
    },
  ) {
    this.now = options.now ?? (() => performance.now())
    this.startedMs = this.now()
  }

  /** elapsedMs is the time since the progress started. */
  elapsedMs(): number {
    return this.now() - this.startedMs
  }

  /** leftMs estimates the time left after `completed` rounds, from the average round so far. */
  leftMs(completed: number): number | undefined {
    if (completed <= 0) return undefined
    return (this.elapsedMs() / completed) * Math.max(0, this.options.totalRounds - completed)
  }

  /** setTotal changes the planned rounds (ab adding rounds while verdicts are inconclusive). */
  setTotal(totalRounds: number): void {
    this.options.totalRounds = totalRounds
  }

  /** roundDone prints the line for `completed` rounds. */
  roundDone(completed: number): void {
    const left = this.leftMs(completed)
    this.options.write(
      `${this.options.prefix}: round ${completed}/${this.options.totalRounds} done · ${formatMinutes(this.elapsedMs())} elapsed${left === undefined ? '' : ` · ~${formatMinutes(left)} left`}\n`,
    )
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
