// The mock's defaults: what startMockSlurm runs with when a field is left out.
import { describe, expect, it } from 'vitest'
import { PRESETS } from '../../../testbed/mock-slurm/cluster/presets.ts'
import { NO_FAULTS } from '../../../testbed/mock-slurm/faults.ts'
import { resolveOptions } from '../../../testbed/mock-slurm/options.ts'
import { DEFAULT_RELEASE } from '../../../testbed/mock-slurm/records/meta.ts'

const NOW_MS = 1_764_000_000_500

describe('resolveOptions', () => {
  it('sizes the cluster from the small preset, dated now, seed 1', () => {
    const s = resolveOptions({}, NOW_MS)
    expect(s.cluster).toEqual({ ...PRESETS.small, seed: 1, clusterName: 'cluster', epochSec: 1_764_000_000 })
    expect(s).toMatchObject({ changeRatePerSec: 2, frozenClock: false, auth: true, pretty: true, allowFaultHeader: true, logLevel: 'info' })
    expect(s.faults).toEqual(NO_FAULTS)
    expect(s.release).toEqual(DEFAULT_RELEASE)
  })

  it('gives explicit job counts users in the presets proportion, within bounds', () => {
    expect(resolveOptions({ jobs: 3_300 }, NOW_MS).cluster.users).toBe(100)
    expect(resolveOptions({ jobs: 10 }, NOW_MS).cluster.users).toBe(8)
    expect(resolveOptions({ jobs: 10_000_000 }, NOW_MS).cluster.users).toBe(5_000)
    expect(resolveOptions({ jobs: 10, users: 3 }, NOW_MS).cluster.users).toBe(3)
    expect(resolveOptions({ preset: 'tiny' }, NOW_MS).cluster).toMatchObject(PRESETS.tiny)
  })

  it('parses fault text and rejects a negative change rate', () => {
    expect(resolveOptions({ faults: 'error-rate=0.5' }, NOW_MS).faults.errorRate).toBe(0.5)
    expect(() => resolveOptions({ changeRatePerSec: -1 }, NOW_MS)).toThrow(/changeRatePerSec must be ≥ 0, got -1/)
    expect(resolveOptions({ json: 'compact' }, NOW_MS).pretty).toBe(false)
  })
})

describe('resolveOptions: release lines', () => {
  it('a release line sets meta release and served versions; versions and release override it', () => {
    expect(resolveOptions({ slurm: '24.11' }, NOW_MS)).toMatchObject({
      release: { major: '24', minor: '11', micro: '5' },
      versions: ['v0.0.40', 'v0.0.41', 'v0.0.42'],
    })
    expect(resolveOptions({}, NOW_MS).versions).toEqual(['v0.0.40', 'v0.0.41', 'v0.0.42', 'v0.0.43', 'v0.0.44'])
    expect(resolveOptions({ slurm: '24.11', versions: ['v0.0.42', 'v0.0.40'] }, NOW_MS).versions).toEqual(['v0.0.40', 'v0.0.42'])
    expect(() => resolveOptions({ versions: ['v0.0.39' as never] }, NOW_MS)).toThrow(/versions: "v0.0.39" is not one of v0.0.40/)
    expect(() => resolveOptions({ versions: [] }, NOW_MS)).toThrow(/at least one/)
    expect(() => resolveOptions({ slurm: '22.05' as never }, NOW_MS)).toThrow(/slurm: "22.05" is not one of 23.11/)
  })
})
