// Two pprof profiles compared by share: which functions take a larger part of the time (or of the
// bytes allocated) in head than in base. Shares, not absolute values, because the two sides
// rarely ran for the same time or the same b.N; pprof's -diff_base compares absolute values.
import type { Profile } from 'pprof-format'
import { InputError } from '../../common/input-error.ts'

/** FunctionShare is one function's flat (self) and cumulative shares of a profile's total on both sides (0..1). */
export interface FunctionShare {
  name: string
  file: string
  /** line is the function's first line. */
  line: number
  baseFlat: number
  headFlat: number
  baseCum: number
  headCum: number
}

/** DiffNode is one frame of the merged call tree, root first, with its shares on both sides (0..1). */
export interface DiffNode {
  name: string
  file: string
  line: number
  baseCum: number
  headCum: number
  baseSelf: number
  headSelf: number
  children: DiffNode[]
}

/** ProfileDiff is the comparison of two profiles by one sample type. */
export interface ProfileDiff {
  /** sampleType and unit name the compared values (cpu/nanoseconds, alloc_space/bytes). */
  sampleType: string
  unit: string
  baseTotal: number
  headTotal: number
  /** functions, the largest flat growth first (ties: cumulative growth). */
  functions: FunctionShare[]
  /** root is an unnamed node whose children are the stacks' outermost frames. */
  root: DiffNode
}

interface Frame {
  key: string
  name: string
  file: string
  line: number
}

interface Stacks {
  total: number
  /** stacks root first, with the value each stands for. */
  stacks: Array<{ frames: Frame[]; value: number }>
}

function sampleIndexOf(profile: Profile, type: string | undefined, name: string): { index: number; type: string; unit: string } {
  const text = profile.stringTable.strings
  const types = profile.sampleType.map((t) => ({ type: text[Number(t.type)] ?? '', unit: text[Number(t.unit)] ?? '' }))
  if (types.length === 0) throw new InputError(`${name}: the profile has no sample types`)
  // pprof's default: the last sample type (cpu, alloc_space, inuse_space).
  const index = type === undefined ? types.length - 1 : types.findIndex((t) => t.type === type)
  if (index === -1) throw new InputError(`${name}: no sample type "${type}"; found ${types.map((t) => t.type).join(', ')}`)
  return { index, ...(types[index] as { type: string; unit: string }) }
}

function stacksOf(profile: Profile, index: number): Stacks {
  const text = profile.stringTable.strings
  const functions = new Map(profile.function.map((f) => [Number(f.id), f]))
  const framesOfLocation = new Map<number, Frame[]>()
  for (const location of profile.location) {
    // A location's lines run from the innermost (inlined) function out.
    const frames = location.line.map((line) => {
      const fn = functions.get(Number(line.functionId))
      const name = text[Number(fn?.name ?? 0)] || '(unknown)'
      const file = text[Number(fn?.filename ?? 0)] ?? ''
      const start = Number(fn?.startLine ?? 0)
      return { key: `${name}\u0000${file}\u0000${start}`, name, file, line: start }
    })
    framesOfLocation.set(Number(location.id), frames)
  }
  let total = 0
  const stacks: Stacks['stacks'] = []
  for (const sample of profile.sample) {
    const value = Number(sample.value[index] ?? 0)
    if (value === 0) continue
    total += value
    const frames: Frame[] = []
    for (let i = sample.locationId.length - 1; i >= 0; i--) {
      const locationFrames = framesOfLocation.get(Number(sample.locationId[i])) ?? []
      for (let j = locationFrames.length - 1; j >= 0; j--) frames.push(locationFrames[j] as Frame)
    }
    stacks.push({ frames, value })
  }
  return { total, stacks }
}

function emptyNode(frame: Frame): DiffNode {
  return { name: frame.name, file: frame.file, line: frame.line, baseCum: 0, headCum: 0, baseSelf: 0, headSelf: 0, children: [] }
}

/**
 * diffProfiles compares `head` with `base` by the sample type `sampleType` (default: the last
 * one, as pprof does). Both must have it; the names in errors are the files'.
 */
export function diffProfiles(base: Profile, head: Profile, names: { base: string; head: string }, sampleType?: string): ProfileDiff {
  const baseType = sampleIndexOf(base, sampleType, names.base)
  const headType = sampleIndexOf(head, sampleType ?? baseType.type, names.head)
  if (baseType.type !== headType.type || baseType.unit !== headType.unit) {
    throw new InputError(`${names.head}: sample type ${headType.type}/${headType.unit} does not match ${names.base}'s ${baseType.type}/${baseType.unit}`)
  }
  const sides = { base: stacksOf(base, baseType.index), head: stacksOf(head, headType.index) }
  const functions = new Map<string, FunctionShare>()
  const root = emptyNode({ key: '', name: '', file: '', line: 0 })
  const childIndex = new Map<DiffNode, Map<string, DiffNode>>()
  for (const side of ['base', 'head'] as const) {
    const { total, stacks } = sides[side]
    if (total === 0) continue
    const cumKey = side === 'base' ? 'baseCum' : 'headCum'
    const selfKey = side === 'base' ? 'baseSelf' : 'headSelf'
    const flatKey = side === 'base' ? 'baseFlat' : 'headFlat'
    for (const { frames, value } of stacks) {
      const share = value / total
      root[cumKey] += share
      let node = root
      const seen = new Set<string>()
      for (const frame of frames) {
        let index = childIndex.get(node)
        if (index === undefined) {
          index = new Map()
          childIndex.set(node, index)
        }
        let child = index.get(frame.key)
        if (child === undefined) {
          child = emptyNode(frame)
          index.set(frame.key, child)
          node.children.push(child)
        }
        child[cumKey] += share
        node = child
        let fn = functions.get(frame.key)
        if (fn === undefined) {
          fn = { name: frame.name, file: frame.file, line: frame.line, baseFlat: 0, headFlat: 0, baseCum: 0, headCum: 0 }
          functions.set(frame.key, fn)
        }
        // A recursive function counts once per stack in its cumulative share.
        if (!seen.has(frame.key)) fn[cumKey] += share
        seen.add(frame.key)
      }
      node[selfKey] += share
      const leaf = frames[frames.length - 1]
      if (leaf !== undefined) (functions.get(leaf.key) as FunctionShare)[flatKey] += share
    }
  }
  const ranked = [...functions.values()].sort(
    (a, b) => b.headFlat - b.baseFlat - (a.headFlat - a.baseFlat) || b.headCum - b.baseCum - (a.headCum - a.baseCum) || a.name.localeCompare(b.name),
  )
  return { sampleType: baseType.type, unit: baseType.unit, baseTotal: sides.base.total, headTotal: sides.head.total, functions: ranked, root }
}

/** grownFunctions returns up to `count` functions whose flat share grew, the largest growth first. */
export function grownFunctions(diff: ProfileDiff, count: number): FunctionShare[] {
  return diff.functions.filter((f) => f.headFlat > f.baseFlat).slice(0, count)
}
