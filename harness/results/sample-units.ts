// Which units every sample of a benchmark must carry. A sample prints `ext-B/op` only when it
// measured off-heap bytes, so one benchmark's samples can differ by that unit alone (a stray
// backing store in one of twelve rounds: an `ab` run of the default set, 2026-12-07). A sample
// without it measured none: readers take it as 0, which keeps every unit's values aligned by
// sample (`ab` pairs round k of the base with round k of the head).

/** ZERO_WHEN_ABSENT lists the units a sample may leave out, meaning 0. */
export const ZERO_WHEN_ABSENT: ReadonlySet<string> = new Set(['ext-B/op'])

/** requiredUnits is the space-separated list, in the given order, of the units all samples must share. */
export function requiredUnits(units: readonly string[]): string {
  return units.filter((u) => !ZERO_WHEN_ABSENT.has(u)).join(' ')
}

/**
 * addSampleValues appends one sample's values to `valuesByUnit`, the earlier `samplesBefore`
 * samples' values per unit: a unit of ZERO_WHEN_ABSENT seen first now gets a 0 for each earlier
 * sample, and one seen before but absent now gets a 0.
 */
export function addSampleValues(valuesByUnit: Map<string, number[]>, metrics: Readonly<Record<string, number>>, samplesBefore: number): void {
  for (const unit in metrics) {
    let list = valuesByUnit.get(unit)
    if (list === undefined) {
      list = ZERO_WHEN_ABSENT.has(unit) ? new Array<number>(samplesBefore).fill(0) : []
      valuesByUnit.set(unit, list)
    }
    list.push(metrics[unit] as number)
  }
  for (const unit of ZERO_WHEN_ABSENT) {
    if (!(unit in metrics)) valuesByUnit.get(unit)?.push(0)
  }
}
