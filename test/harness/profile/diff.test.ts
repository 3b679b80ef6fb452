import { describe, expect, it } from 'vitest'
import { heapProfileToPprof } from '../../../common/v8-pprof.ts'
import { InputError } from '../../../common/input-error.ts'
import { diffProfiles, grownFunctions } from '../../../harness/profile/diff.ts'
import { cpuOf } from './build-profile.ts'

const NAMES = { base: 'base.pb.gz', head: 'head.pb.gz' }

describe('diffProfiles', () => {
  // scan takes 30% more time in head; everything else as in base
  const base = cpuOf({ 'main;parse;scan': 50, 'main;parse': 10, 'main;render': 40 })
  const head = cpuOf({ 'main;parse;scan': 65, 'main;parse': 10, 'main;render': 40 })

  it('ranks the function whose flat share grew first, with shares of each total', () => {
    const diff = diffProfiles(base, head, NAMES)
    expect(diff.sampleType).toBe('cpu')
    expect(diff.baseTotal).toBe(100_000_000)
    expect(diff.headTotal).toBe(115_000_000)
    const [first] = grownFunctions(diff, 3)
    expect(first).toMatchObject({ name: 'scan', file: '/src/app.ts', line: 5 })
    expect(first?.baseFlat).toBeCloseTo(0.5)
    expect(first?.headFlat).toBeCloseTo(65 / 115)
    expect(first?.headCum).toBeCloseTo(65 / 115)
    expect(grownFunctions(diff, 3).map((f) => f.name)).toEqual(['scan'])
    expect(diff.functions.find((f) => f.name === 'main')?.headCum).toBeCloseTo(1)
  })

  it('merges both sides into one tree whose shares sum to one per side', () => {
    const { root } = diffProfiles(base, head, NAMES)
    expect(root.baseCum).toBeCloseTo(1)
    expect(root.headCum).toBeCloseTo(1)
    const main = root.children[0]
    expect(main?.children.map((c) => c.name).sort()).toEqual(['parse', 'render'])
    const parse = main?.children.find((c) => c.name === 'parse')
    expect(parse?.baseSelf).toBeCloseTo(0.1)
    expect(parse?.children[0]?.headSelf).toBeCloseTo(65 / 115)
  })

  it('counts a recursive function once per stack in its cumulative share', () => {
    const diff = diffProfiles(cpuOf({ 'walk;walk;walk': 4 }), cpuOf({ 'walk;walk': 4 }), NAMES)
    expect(diff.functions.find((f) => f.name === 'walk')?.baseCum).toBeCloseTo(1)
  })

  it('compares the sample type asked for and refuses mismatched types', () => {
    expect(diffProfiles(base, head, NAMES, 'samples').sampleType).toBe('samples')
    expect(() => diffProfiles(base, head, NAMES, 'alloc_space')).toThrow(/base\.pb\.gz: no sample type "alloc_space"; found samples, cpu/)
    const heap = heapProfileToPprof(
      { head: { callFrame: { functionName: '(root)', scriptId: 0, url: '', lineNumber: 0, columnNumber: 0 }, selfSize: 0, id: 1, children: [] } },
      { kind: 'alloc' },
    )
    expect(() => diffProfiles(base, heap, NAMES)).toThrow(InputError)
  })
})
