/**
 * WindowMeter counts something over the timed windows of a benchmark run (between StartTimer
 * and StopTimer), as Go samples runtime.MemStats at exactly those points.
 */
export interface WindowMeter {
  /** begin opens a window; B calls it before reading the clock in startTimer. */
  begin(): void
  /** end closes the window; B calls it after reading the clock in stopTimer. */
  end(): void
  /** reset discards everything counted so far (resetTimer). */
  reset(): void
  /** settle, when present, runs after runN's GC and before the benchmark function is called. */
  settle?(): void
}

/** WINDOW_CALIBRATION_ROUNDS is how many empty windows measure a meter's own cost. */
export const WINDOW_CALIBRATION_ROUNDS = 16

// A module-level slot keeps the calibration's clock reads from being optimised away.
// biome-ignore lint/correctness/noUnusedVariables: written, never read, on purpose: the store keeps the clock reads
let lastDurationNs = 0

/**
 * windowCost returns what an empty window counts by itself (the meter's own objects and the
 * clock's BigInts), the median over empty windows that read the clock exactly as B's
 * startTimer/stopTimer do; meters subtract it from every window.
 */
export function windowCost(meter: WindowMeter, read: () => number): number {
  const values: number[] = []
  for (let i = 0; i <= WINDOW_CALIBRATION_ROUNDS; i++) {
    meter.reset()
    meter.begin()
    const startNs = process.hrtime.bigint()
    lastDurationNs += Number(process.hrtime.bigint() - startNs)
    meter.end()
    if (i > 0) values.push(read()) // the first window warms up
  }
  values.sort((a, b) => a - b)
  return values[Math.floor(values.length / 2)] as number
}
