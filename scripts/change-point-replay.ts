// How well does `history trend` find level shifts in histories with this machine's noise?
// Replays synthetic nightly histories whose nights are the median of 5 samples drawn as this
// host behaves (docs/measurement.md#noise): most samples within ±2% of the level, and in about
// 30% of them a contended process 1.3–1.6× slower. Each history has 40 nights; half carry one
// shift of the given size at a random night in [10, 30), half none.
//
//   npx tsx scripts/change-point-replay.ts [histories=200] [shift=0.10] [alpha=0.05]
//
// Prints the share of shifts found (within ±2 nights), the false shifts per history, and the
// mean distance between a found shift and the true night.
import { mulberry32, type Random } from '../common/prng.ts'
import { median } from '../common/median.ts'
import { changePoints } from '../harness/stats/change-points.ts'

const NIGHTS = 40
const SAMPLES_PER_NIGHT = 5
const CONTENDED_SHARE = 0.3
const TOLERANCE_NIGHTS = 2

function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

function sample(random: Random, level: number): number {
  const quiet = level * (1 + 0.02 * gaussian(random))
  return random() < CONTENDED_SHARE ? quiet * (1.3 + 0.3 * random()) : quiet
}

function history(random: Random, shiftAt: number | undefined, shift: number): number[] {
  const out: number[] = []
  for (let n = 0; n < NIGHTS; n++) {
    const level = shiftAt !== undefined && n >= shiftAt ? 1000 * (1 + shift) : 1000
    const xs: number[] = []
    for (let s = 0; s < SAMPLES_PER_NIGHT; s++) xs.push(sample(random, level))
    out.push(median(xs))
  }
  return out
}

const histories = Number(process.argv[2] ?? 200)
const shift = Number(process.argv[3] ?? 0.1)
const alpha = Number(process.argv[4] ?? 0.05)
const random = mulberry32(20261207)
let found = 0
let falseWithShift = 0
let falseWithout = 0
let distance = 0
const started = performance.now()
for (let h = 0; h < histories; h++) {
  const at = 10 + Math.floor(random() * 20)
  const withShift = changePoints(history(random, at, shift), { random: mulberry32(h), alpha })
  const hit = withShift.find((c) => Math.abs(c.index - at) <= TOLERANCE_NIGHTS)
  if (hit !== undefined) {
    found++
    distance += Math.abs(hit.index - at)
  }
  falseWithShift += withShift.filter((c) => c !== hit).length
  falseWithout += changePoints(history(random, undefined, shift), { random: mulberry32(h + 1e6), alpha }).length
}
const seconds = (performance.now() - started) / 1000
console.log(
  `change-point replay: ${histories} histories of ${NIGHTS} nights with a +${(shift * 100).toFixed(0)}% shift, ${histories} without, alpha ${alpha}; ${seconds.toFixed(1)} s`,
)
console.log(
  `  shifts found within ±${TOLERANCE_NIGHTS} nights: ${found} of ${histories} (${((100 * found) / histories).toFixed(1)}%), mean distance ${(found === 0 ? 0 : distance / found).toFixed(2)} nights`,
)
console.log(
  `  false shifts: ${falseWithout} in ${histories} histories without a shift (${(falseWithout / histories).toFixed(3)} per history), ${falseWithShift} beside a true shift`,
)
