import { Profile } from 'pprof-format'
import { describe, expect, it } from 'vitest'
import {
  cpuProfileInWindows,
  cpuProfileToPprof,
  heapProfileToPprof,
  mergeHeapProfiles,
  type V8CallFrame,
  type V8CpuProfile,
  type V8SamplingHeapProfile,
} from '../../common/v8-pprof.ts'

function frame(functionName: string, lineNumber = 0): V8CallFrame {
  return { functionName, scriptId: '1', url: functionName.startsWith('(') ? '' : 'file:///src/app.js', lineNumber, columnNumber: 0 }
}

// root → main → hot (leaf, ticks on lines 7 and 8), main → cold (leaf)
const CPU: V8CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5] },
    { id: 2, callFrame: frame('main', 0), children: [3, 4] },
    {
      id: 3,
      callFrame: frame('hot', 5),
      positionTicks: [
        { line: 7, ticks: 3 },
        { line: 8, ticks: 1 },
      ],
    },
    { id: 4, callFrame: frame('cold', 20) },
    { id: 5, callFrame: frame('(idle)') },
  ],
  startTime: 0,
  endTime: 600,
  samples: [3, 3, 3, 4, 3, 2],
  timeDeltas: [0, 100, 100, 100, 100, 100],
}

/** stacksOf decodes a profile into `leaf;…;root value…` lines with names and lines, sorted. */
function stacksOf(profile: Profile): string[] {
  const back = Profile.decode(profile.encode())
  const text = back.stringTable.strings
  const fn = new Map(back.function.map((f) => [Number(f.id), f]))
  const loc = new Map(back.location.map((l) => [Number(l.id), l]))
  return back.sample
    .map((s) => {
      const names = s.locationId.map((id) => {
        const line = loc.get(Number(id))?.line[0]
        const f = fn.get(Number(line?.functionId))
        return `${text[Number(f?.name)]}:${Number(line?.line)}`
      })
      return `${names.join(';')} ${s.value.map(Number).join(' ')}`
    })
    .sort()
}

describe('cpuProfileToPprof', () => {
  it('writes Go CPU sample types and one stack per hit node, root dropped', () => {
    const profile = cpuProfileToPprof(CPU)
    const text = profile.stringTable.strings
    expect(profile.sampleType.map((t) => `${text[Number(t.type)]}/${text[Number(t.unit)]}`)).toEqual(['samples/count', 'cpu/nanoseconds'])
    expect(Number(profile.period)).toBe(100_000)
    expect(Number(profile.durationNanos)).toBe(600_000)
    expect(stacksOf(profile)).toEqual(['cold:21;main:1 1 100000', 'hot:7;main:1 3 300000', 'hot:8;main:1 1 100000', 'main:1 1 100000'])
  })

  it('drops the idle thread, as Go counts CPU time only', () => {
    const idle = cpuProfileToPprof({ ...CPU, samples: [5, 5, 4], timeDeltas: [0, 100, 100] })
    expect(stacksOf(idle)).toEqual(['cold:21;main:1 1 200000'])
  })

  it('conserves the sample count and time whatever the tick split', () => {
    const profile = cpuProfileToPprof(CPU)
    const counts = profile.sample.reduce((sum, s) => sum + Number(s.value[0]), 0)
    const ns = profile.sample.reduce((sum, s) => sum + Number(s.value[1]), 0)
    expect(counts).toBe(6)
    expect(ns).toBe(600_000)
  })

  it("charges ticks above their function's first line to the inlined callee that starts nearest above", () => {
    const inlined: V8CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3] },
        { id: 2, callFrame: frame('caller', 19), positionTicks: [{ line: 7, ticks: 2 }] },
        { id: 3, callFrame: frame('callee', 4) },
      ],
      startTime: 0,
      endTime: 300,
      samples: [2, 2, 3],
      timeDeltas: [0, 100, 100],
    }
    expect(stacksOf(cpuProfileToPprof(inlined))).toEqual(['callee:5 1 100000', 'callee:7;caller:20 2 200000'])
  })

  it('uses the mapper for every position', () => {
    const profile = cpuProfileToPprof(CPU, { mapFrame: (f, line0) => ({ functionName: `m_${f.functionName}`, file: 'src.ts', line: line0 + 100 }) })
    expect(stacksOf(profile)[1]).toBe('m_hot:106;m_main:100 3 300000')
  })
})

describe('heapProfileToPprof', () => {
  const HEAP: V8SamplingHeapProfile = {
    head: {
      callFrame: frame('(root)'),
      selfSize: 0,
      id: 1,
      children: [{ callFrame: frame('main'), selfSize: 100, id: 2, children: [{ callFrame: frame('alloc', 9), selfSize: 8000, id: 3, children: [] }] }],
    },
    samples: [
      { size: 50, nodeId: 2, ordinal: 1 },
      { size: 2000, nodeId: 3, ordinal: 2 },
      { size: 2000, nodeId: 3, ordinal: 3 },
    ],
  }

  it('writes alloc sample types with scaled objects and V8 bytes', () => {
    const profile = heapProfileToPprof(HEAP, { kind: 'alloc', samplingIntervalBytes: 4096 })
    const text = profile.stringTable.strings
    expect(profile.sampleType.map((t) => text[Number(t.type)])).toEqual(['alloc_objects', 'alloc_space'])
    expect(Number(profile.period)).toBe(4096)
    // alloc: 2 sampled objects stand for 8000 of the 4000 sampled bytes, so 4 objects
    expect(stacksOf(profile)).toEqual(['alloc:10;main:1 4 8000', 'main:1 2 100'])
  })

  it('names in-use profiles as Go does', () => {
    const profile = heapProfileToPprof(HEAP, { kind: 'inuse' })
    expect(profile.sampleType.map((t) => profile.stringTable.strings[Number(t.type)])).toEqual(['inuse_objects', 'inuse_space'])
  })
})

describe('cpuProfileInWindows', () => {
  // sample timestamps: 0, 100, 200, 300, 400, 500 µs
  it('keeps the samples inside the windows, each with its own interval', () => {
    const kept = cpuProfileInWindows(CPU, [
      { startUs: 50, endUs: 250 },
      { startUs: 450, endUs: 520 },
    ])
    expect(kept.samples).toEqual([3, 3, 2])
    expect(kept.timeDeltas).toEqual([100, 100, 100])
    expect(kept.endTime - kept.startTime).toBe(270)
    expect(kept.nodes.find((n) => n.id === 3)?.hitCount).toBe(2)
    expect(kept.nodes.find((n) => n.id === 4)?.hitCount).toBe(0)
    const profile = cpuProfileToPprof(kept)
    expect(profile.sample.reduce((sum, s) => sum + Number(s.value[0]), 0)).toBe(3)
  })

  it('keeps nothing without windows', () => {
    expect(cpuProfileInWindows(CPU, []).samples).toEqual([])
  })
})

describe('mergeHeapProfiles', () => {
  const root = frame('(root)')
  const one = (size: number, name: string): V8SamplingHeapProfile => ({
    head: { callFrame: root, selfSize: 0, id: 1, children: [{ callFrame: frame(name), selfSize: size, id: 2, children: [] }] },
    samples: [{ size, nodeId: 2, ordinal: 1 }],
  })

  it('merges trees by call path, sums sizes and renumbers samples', () => {
    let merged = mergeHeapProfiles(undefined, one(100, 'a'))
    merged = mergeHeapProfiles(merged, one(50, 'a'))
    merged = mergeHeapProfiles(merged, one(30, 'b'))
    expect(merged.head.children.map((c) => [c.callFrame.functionName, c.selfSize])).toEqual([
      ['a', 150],
      ['b', 30],
    ])
    const b = merged.head.children[1]
    expect(merged.samples?.map((s) => s.nodeId)).toEqual([2, 2, b?.id])
    expect(b?.id).not.toBe(2)
  })
})
