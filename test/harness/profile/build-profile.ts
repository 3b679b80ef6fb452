// Profiles built from stacks, for tests of what reads profiles.
import type { Profile } from 'pprof-format'
import { cpuProfileToPprof, type V8CpuProfile, type V8CpuProfileNode } from '../../../common/v8-pprof.ts'

/** cpuOf builds a CPU profile from `stack → samples` ("main;parse;scan": root first), 1 ms a sample. */
export function cpuOf(stacks: Record<string, number>): Profile {
  const nodes: V8CpuProfileNode[] = [{ id: 1, callFrame: { functionName: '(root)', scriptId: 0, url: '', lineNumber: -1, columnNumber: -1 }, children: [] }]
  const ids = new Map<string, number>()
  const samples: number[] = []
  for (const [stack, count] of Object.entries(stacks)) {
    let parent = nodes[0] as V8CpuProfileNode
    let path = ''
    for (const name of stack.split(';')) {
      path += `;${name}`
      let id = ids.get(path)
      if (id === undefined) {
        id = nodes.length + 1
        ids.set(path, id)
        nodes.push({ id, callFrame: { functionName: name, scriptId: 1, url: '/src/app.ts', lineNumber: name.length, columnNumber: 0 }, children: [] })
        parent.children?.push(id)
      }
      parent = nodes[id - 1] as V8CpuProfileNode
    }
    for (let i = 0; i < count; i++) samples.push(parent.id)
  }
  const profile: V8CpuProfile = { nodes, startTime: 0, endTime: samples.length * 1000, samples, timeDeltas: samples.map(() => 1000) }
  return cpuProfileToPprof(profile)
}
