// Finding the knee of a capacity ramp.
import { describe, expect, it } from 'vitest'
import { findKnee, type StageLevel } from '../../../harness/load/knee.ts'

function level(index: number, load: number, throughputPerSecond: number, p95Ms = 10, errorRatio = 0, steady = true): StageLevel {
  return { index, load, steady, throughputPerSecond, p95Ms, errorRatio }
}

describe('findKnee', () => {
  const limits = { p95Ms: 2000, errorRatio: 0.01 }
  it('finds where throughput stops growing with the load', () => {
    const levels = [level(1, 50, 48), level(3, 100, 95), level(5, 150, 140), level(7, 200, 150), level(9, 250, 151)]
    const knee = findKnee(levels, limits)
    expect(knee?.lastGood?.load).toBe(150)
    expect(knee?.firstBad.load).toBe(200)
    expect(knee?.reason).toMatch(/throughput rose only 21% as fast as the load \(140.0 → 150.0 req\/s\)/)
  })
  it('ignores a dip that higher levels make up for', () => {
    const noisy = [level(1, 50, 48), level(3, 100, 60), level(5, 150, 140), level(7, 200, 190)]
    expect(findKnee(noisy, limits)).toBeUndefined()
  })
  it('stops at the first level that breaks a limit', () => {
    const levels = [level(1, 50, 48), level(3, 100, 95, 2500)]
    expect(findKnee(levels, limits)).toMatchObject({ lastGood: { load: 50 }, firstBad: { load: 100 }, reason: 'p95 2500.0 ms reached the 2000 ms limit' })
    const erroring = [level(1, 50, 48, 10, 0.05), level(3, 100, 95)]
    expect(findKnee(erroring, limits)).toMatchObject({ lastGood: undefined, firstBad: { load: 50 } })
  })
  it('uses the steady stages when a ramp has them, and needs two levels', () => {
    const ramps = [level(0, 25, 10, 10, 0, false), level(1, 50, 48), level(2, 75, 12, 10, 0, false), level(3, 100, 96)]
    expect(findKnee(ramps, limits)).toBeUndefined()
    expect(findKnee([level(1, 50, 48)], limits)).toBeUndefined()
  })
})
