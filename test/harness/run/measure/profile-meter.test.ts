import { describe, expect, it } from 'vitest'
import { ProfileMeter } from '../../../../harness/run/measure/profile-meter.ts'

// Two busy functions: one inside the timed windows, one outside (setup, stopped timer).
function timedWork(ms: number): number {
  let acc = 0
  for (const end = Date.now() + ms; Date.now() < end; ) acc += Math.sqrt(acc + 1)
  return acc
}
function untimedSetup(ms: number): number {
  let acc = 0
  for (const end = Date.now() + ms; Date.now() < end; ) acc += Math.cbrt(acc + 1)
  return acc
}
const keep: unknown[] = []
function timedAlloc(n: number): void {
  for (let i = 0; i < n; i++) keep.push({ timed: i })
}
function untimedAlloc(n: number): void {
  for (let i = 0; i < n; i++) keep.push([i, i])
}

function hitsOf(names: string[], meter: ProfileMeter): { cpu: Map<string, number>; heap: Map<string, number> } {
  const captured = meter.finish(1)
  const cpu = new Map<string, number>()
  const byId = new Map(captured.cpu?.nodes.map((n) => [n.id, n.callFrame.functionName]))
  for (const id of captured.cpu?.samples ?? []) {
    const name = byId.get(id) ?? ''
    if (names.includes(name)) cpu.set(name, (cpu.get(name) ?? 0) + 1)
  }
  const heap = new Map<string, number>()
  const pending = captured.heap === undefined ? [] : [captured.heap.head]
  while (pending.length > 0) {
    const node = pending.pop()
    if (node === undefined) break
    if (names.includes(node.callFrame.functionName)) heap.set(node.callFrame.functionName, (heap.get(node.callFrame.functionName) ?? 0) + node.selfSize)
    for (const child of node.children) pending.push(child)
  }
  return { cpu, heap }
}

describe('ProfileMeter', () => {
  it('keeps what ran inside the timed windows and drops setup and stopped-timer work', () => {
    const meter = new ProfileMeter({ cpu: true, heap: true, cpuIntervalUs: 200, heapIntervalBytes: 1024 })
    // setup before resetTimer: counted, then discarded
    meter.begin()
    untimedSetup(60)
    untimedAlloc(20_000)
    meter.end()
    meter.reset()
    meter.begin()
    timedWork(60)
    timedAlloc(20_000)
    meter.end()
    untimedSetup(60) // StopTimer … StartTimer
    untimedAlloc(20_000)
    meter.begin()
    timedWork(60)
    meter.end()
    const { cpu, heap } = hitsOf(['timedWork', 'untimedSetup', 'timedAlloc', 'untimedAlloc'], meter)
    expect(cpu.get('timedWork') ?? 0).toBeGreaterThan(100)
    // a sample or two may straddle a window's edge
    expect(cpu.get('untimedSetup') ?? 0).toBeLessThan(5)
    expect(heap.get('timedAlloc') ?? 0).toBeGreaterThan(100_000)
    expect(heap.get('untimedAlloc') ?? 0).toBe(0)
    keep.length = 0
  })
})
