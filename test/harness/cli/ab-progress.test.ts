// ab's plain progress line for CI logs: one per completed round, with the time left estimated
// from the mean round so far.
import { describe, expect, it } from 'vitest'
import { formatDuration, roundProgressLine } from '../../../harness/cli/ab.ts'

describe('ab progress line', () => {
  it('estimates the time left from the rounds done', () => {
    expect(roundProgressLine(2, 6, 90_000)).toBe('ab: round 2/6 done, 1 min 30 s elapsed, about 3 min 0 s left')
    expect(roundProgressLine(6, 6, 12_400)).toBe('ab: round 6/6 done, 12 s elapsed, about 0 s left')
  })
  it('prints seconds below a minute and minutes above', () => {
    expect(formatDuration(59_400)).toBe('59 s')
    expect(formatDuration(61_000)).toBe('1 min 1 s')
  })
})
