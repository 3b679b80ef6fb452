import { describe, expect, it } from 'vitest'
import { noVal, parseGpus, primaryState, stateLabel } from '../../../testbed/exporter/slurm-values.ts'

describe('slurm values', () => {
  it('reads number objects: set, unset and infinite', () => {
    expect(noVal({ set: true, infinite: false, number: 42 })).toBe(42)
    expect(noVal({ set: false, infinite: false, number: 0 })).toBeUndefined()
    expect(noVal({ set: false, infinite: true, number: 0 })).toBe(Number.POSITIVE_INFINITY)
    expect(noVal(7)).toBe(7)
    expect(noVal('7')).toBeUndefined()
  })

  it('joins state flags and picks the primary state', () => {
    expect(stateLabel(['IDLE', 'DRAIN'])).toBe('idle+drain')
    expect(stateLabel([])).toBe('unknown')
    expect(primaryState(['PENDING'])).toBe('pending')
  })

  it('reads GPUs from gres strings as slurmrestd sends them', () => {
    expect(parseGpus('gpu:h100:4')).toEqual([{ type: 'h100', count: 4 }])
    expect(parseGpus('gpu:h100:4(IDX:0-3)')).toEqual([{ type: 'h100', count: 4 }])
    expect(parseGpus('gpu:h100:2(IDX:0,2),gpu:a100:1(IDX:1)')).toEqual([
      { type: 'h100', count: 2 },
      { type: 'a100', count: 1 },
    ])
    expect(parseGpus('gpu:0')).toEqual([{ type: '', count: 0 }])
    expect(parseGpus('shard:8,gpu:a100:2(S:0-1)')).toEqual([{ type: 'a100', count: 2 }])
    expect(parseGpus('')).toEqual([])
  })
})
