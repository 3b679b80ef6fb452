// V8's profiles (node:inspector's Profiler and HeapProfiler, or `node --cpu-prof`) as pprof
// profiles, the protobuf format `go tool pprof`, speedscope and Grafana read. Pure: callers
// capture the profile, choose where each frame points (source maps) and gzip the bytes. It lives
// in common/ because both the harness (bench -cpuprofile) and the exporter (/debug/pprof/*) use it.
import { Function as PprofFunction, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format'

/** V8CallFrame is one frame of a V8 profile node (0-based line and column of the function's start). */
export interface V8CallFrame {
  functionName: string
  scriptId: string | number
  url: string
  lineNumber: number
  columnNumber: number
}

/** V8CpuProfileNode is one node of V8's CPU profile call tree. */
export interface V8CpuProfileNode {
  id: number
  callFrame: V8CallFrame
  hitCount?: number
  children?: number[]
  /** positionTicks counts samples per 1-based line of the generated script inside the function. */
  positionTicks?: Array<{ line: number; ticks: number }>
}

/** V8CpuProfile is the Profiler.stop result and the content of a `.cpuprofile` file (times in µs). */
export interface V8CpuProfile {
  nodes: V8CpuProfileNode[]
  startTime: number
  endTime: number
  samples?: number[]
  timeDeltas?: number[]
}

/** V8HeapProfileNode is one node of V8's sampling heap profile tree (selfSize in bytes). */
export interface V8HeapProfileNode {
  callFrame: V8CallFrame
  selfSize: number
  id: number
  children: V8HeapProfileNode[]
}

/** V8SamplingHeapProfile is the HeapProfiler.getSamplingProfile result. */
export interface V8SamplingHeapProfile {
  head: V8HeapProfileNode
  samples?: Array<{ size: number; nodeId: number; ordinal: number }>
}

/** SourcePosition is where a frame points once mapped: a function name, a file and a 1-based line. */
export interface SourcePosition {
  functionName: string
  file: string
  line: number
}

/**
 * FrameMapper maps a V8 frame to the source position a reader should see. `line0` is 0-based;
 * `column0` is undefined when only the line is known (a position tick).
 */
export type FrameMapper = (frame: V8CallFrame, line0: number, column0: number | undefined) => SourcePosition

/** identityFrame is the FrameMapper that keeps V8's positions (file URLs become paths by the caller). */
export const identityFrame: FrameMapper = (frame, line0) => ({
  functionName: frame.functionName,
  file: frame.url,
  line: line0 + 1,
})

// V8's pseudo-frames that are not code: the root is dropped from every stack, and samples of
// the idle thread from CPU profiles (Go's CPU profiles count CPU time only).
const ROOT_NAME = '(root)'
const IDLE_NAME = '(idle)'

function displayName(name: string): string {
  return name === '' ? '(anonymous)' : name
}

/** PprofBuilder interns functions and locations by source position, as pprof wants them unique. */
class PprofBuilder {
  readonly strings = new StringTable()
  readonly functions: PprofFunction[] = []
  readonly locations: Location[] = []
  readonly samples: Sample[] = []
  private readonly functionIds = new Map<string, number>()
  private readonly locationIds = new Map<string, number>()

  string(text: string): number {
    return this.strings.dedup(text) as number
  }

  /** locationOf returns the id of the location for `position` inside a function that starts at `functionStart`. */
  locationOf(position: SourcePosition, functionStart: SourcePosition): number {
    const name = displayName(position.functionName)
    const functionKey = `${name}\u0000${functionStart.file}\u0000${functionStart.line}`
    let functionId = this.functionIds.get(functionKey)
    if (functionId === undefined) {
      functionId = this.functions.length + 1
      this.functions.push(
        new PprofFunction({
          id: functionId,
          name: this.string(name),
          systemName: this.string(name),
          filename: this.string(functionStart.file),
          startLine: functionStart.line,
        }),
      )
      this.functionIds.set(functionKey, functionId)
    }
    const locationKey = `${functionId}\u0000${position.line}`
    let locationId = this.locationIds.get(locationKey)
    if (locationId === undefined) {
      locationId = this.locations.length + 1
      this.locations.push(new Location({ id: locationId, line: [new Line({ functionId, line: position.line })] }))
      this.locationIds.set(locationKey, locationId)
    }
    return locationId
  }

  valueType(type: string, unit: string): ValueType {
    return new ValueType({ type: this.string(type), unit: this.string(unit) })
  }
}

/** CpuPprofOptions tunes cpuProfileToPprof. */
export interface CpuPprofOptions {
  mapFrame?: FrameMapper
  /**
   * functionsIn lists the named functions a source file declares (name and first line), for
   * ticks of inlined callees that never ran uninlined while profiled.
   */
  functionsIn?: (file: string) => readonly SourcePosition[]
  /** timeNanos is the wall-clock start of the profile (ns since the epoch); 0 when unknown. */
  timeNanos?: number
}

/**
 * cpuProfileToPprof converts V8's CPU profile into a pprof profile with the sample types Go's
 * CPU profiles have (samples/count, cpu/nanoseconds). A leaf frame points at the line its ticks
 * fell on (V8's positionTicks); callers point at their function's first line, the only position
 * V8 records for them.
 */
export function cpuProfileToPprof(profile: V8CpuProfile, options: CpuPprofOptions = {}): Profile {
  const mapFrame = options.mapFrame ?? identityFrame
  const builder = new PprofBuilder()
  const byId = new Map<number, V8CpuProfileNode>()
  const parentOf = new Map<number, number>()
  for (const node of profile.nodes) {
    byId.set(node.id, node)
    for (const child of node.children ?? []) parentOf.set(child, node.id)
  }
  const samples = profile.samples ?? []
  const deltasUs = profile.timeDeltas ?? []
  const durationUs = Math.max(0, profile.endTime - profile.startTime)
  const periodNs = samples.length > 0 ? Math.round((durationUs * 1000) / samples.length) : 0
  // Each sample lasts until the next one; the last lasts one mean period.
  const hitNs = new Map<number, number>()
  const hits = new Map<number, number>()
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number
    const next = deltasUs[i + 1]
    const ns = next === undefined ? periodNs : Math.max(0, next * 1000)
    hitNs.set(id, (hitNs.get(id) ?? 0) + ns)
    hits.set(id, (hits.get(id) ?? 0) + 1)
  }
  // Profiles without samples (older formats) carry hitCount only.
  if (samples.length === 0) {
    for (const node of profile.nodes) {
      if ((node.hitCount ?? 0) > 0) hits.set(node.id, node.hitCount as number)
    }
  }

  const startOf = new Map<number, SourcePosition>()
  const functionStart = (node: V8CpuProfileNode): SourcePosition => {
    let start = startOf.get(node.id)
    if (start === undefined) {
      start = mapFrame(node.callFrame, node.callFrame.lineNumber, node.callFrame.columnNumber)
      startOf.set(node.id, start)
    }
    return start
  }
  // V8 charges an inlined callee's ticks to the caller's node, at the callee's lines. A tick above
  // its function's first line cannot be that function's own code: it is charged to the function
  // of the profile, in the same file, that starts nearest above the tick (known when the callee
  // also ran uninlined). An inlined callee defined below its caller stays charged to the caller.
  let starts: SourcePosition[] | undefined
  const inlinedFunctionAt = (at: SourcePosition): SourcePosition | undefined => {
    if (starts === undefined) {
      starts = []
      for (const node of profile.nodes) if (node.callFrame.url !== '' && node.callFrame.functionName !== '') starts.push(functionStart(node))
    }
    const declared = options.functionsIn?.(at.file) ?? []
    let best: SourcePosition | undefined
    for (const candidate of [...starts, ...declared]) {
      if (candidate.file === at.file && candidate.line <= at.line && (best === undefined || candidate.line > best.line)) best = candidate
    }
    return best
  }
  // The caller stack of a node, leaf first, without the root; memoised per node.
  const stackOf = new Map<number, number[]>()
  const callerStack = (id: number): number[] => {
    const cached = stackOf.get(id)
    if (cached !== undefined) return cached
    const chain: V8CpuProfileNode[] = []
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const node = byId.get(at)
      if (node === undefined || node.callFrame.functionName === ROOT_NAME) break
      chain.push(node)
    }
    const stack = chain.map((node) => builder.locationOf(functionStart(node), functionStart(node)))
    stackOf.set(id, stack)
    return stack
  }

  for (const [id, count] of hits) {
    const node = byId.get(id)
    if (node === undefined || node.callFrame.functionName === ROOT_NAME || node.callFrame.functionName === IDLE_NAME) continue
    const totalNs = hitNs.get(id) ?? count * periodNs
    const callers = parentOf.has(id) ? callerStack(parentOf.get(id) as number) : []
    const start = functionStart(node)
    const ticks = (node.positionTicks ?? []).filter((tick) => tick.ticks > 0)
    const tickTotal = ticks.reduce((sum, tick) => sum + tick.ticks, 0)
    if (tickTotal === 0) {
      builder.samples.push(new Sample({ locationId: [builder.locationOf(start, start), ...callers], value: [count, totalNs] }))
      continue
    }
    // Spread the node's samples over its lines in proportion to their ticks.
    let countLeft = count
    let nsLeft = totalNs
    ticks.forEach((tick, index) => {
      const last = index === ticks.length - 1
      const share = tick.ticks / tickTotal
      const lineCount = last ? countLeft : Math.round(count * share)
      const lineNs = last ? nsLeft : Math.round(totalNs * share)
      countLeft -= lineCount
      nsLeft -= lineNs
      if (lineCount === 0 && lineNs === 0) return
      const at = mapFrame(node.callFrame, tick.line - 1, undefined)
      const inlined = at.line < start.line ? inlinedFunctionAt(at) : undefined
      if (inlined !== undefined && inlined.line !== start.line) {
        const leaf = builder.locationOf({ functionName: inlined.functionName, file: inlined.file, line: at.line }, inlined)
        builder.samples.push(new Sample({ locationId: [leaf, builder.locationOf(start, start), ...callers], value: [lineCount, lineNs] }))
        return
      }
      const leaf = builder.locationOf({ functionName: start.functionName, file: start.file, line: at.line }, start)
      builder.samples.push(new Sample({ locationId: [leaf, ...callers], value: [lineCount, lineNs] }))
    })
  }

  return new Profile({
    sampleType: [builder.valueType('samples', 'count'), builder.valueType('cpu', 'nanoseconds')],
    sample: builder.samples,
    location: builder.locations,
    function: builder.functions,
    stringTable: builder.strings,
    timeNanos: options.timeNanos ?? 0,
    durationNanos: Math.round(durationUs * 1000),
    periodType: builder.valueType('cpu', 'nanoseconds'),
    period: periodNs,
    defaultSampleType: 0,
  })
}

/** HeapPprofOptions tunes heapProfileToPprof. */
export interface HeapPprofOptions {
  mapFrame?: FrameMapper
  /**
   * kind says what the samples stand for: 'alloc' when the profile kept objects the GC collected
   * (every allocation of a span), 'inuse' when it holds only objects still live.
   */
  kind: 'alloc' | 'inuse'
  /** samplingIntervalBytes is the mean bytes between samples (pprof's period). */
  samplingIntervalBytes?: number
  timeNanos?: number
}

/**
 * heapProfileToPprof converts V8's sampling heap profile into a pprof profile with Go's heap
 * sample types for `kind` (alloc_objects/alloc_space or inuse_objects/inuse_space). Bytes are
 * V8's own estimate (selfSize, already scaled for sampling); object counts scale each sampled
 * object by the same factor, so they are estimates too.
 */
export function heapProfileToPprof(profile: V8SamplingHeapProfile, options: HeapPprofOptions): Profile {
  const mapFrame = options.mapFrame ?? identityFrame
  const builder = new PprofBuilder()
  const sampledBytes = new Map<number, number>()
  const sampledObjects = new Map<number, number>()
  for (const sample of profile.samples ?? []) {
    sampledBytes.set(sample.nodeId, (sampledBytes.get(sample.nodeId) ?? 0) + sample.size)
    sampledObjects.set(sample.nodeId, (sampledObjects.get(sample.nodeId) ?? 0) + 1)
  }
  // Depth-first over the tree with an explicit stack: allocation trees can be deep.
  const pending: Array<{ node: V8HeapProfileNode; callers: number[] }> = [{ node: profile.head, callers: [] }]
  while (pending.length > 0) {
    const { node, callers } = pending.pop() as { node: V8HeapProfileNode; callers: number[] }
    let stack = callers
    if (node !== profile.head) {
      const start = mapFrame(node.callFrame, node.callFrame.lineNumber, node.callFrame.columnNumber)
      stack = [builder.locationOf(start, start), ...callers]
      if (node.selfSize > 0) {
        const bytes = sampledBytes.get(node.id) ?? 0
        const objects = sampledObjects.get(node.id) ?? 0
        const estimate = bytes > 0 ? Math.max(1, Math.round((objects * node.selfSize) / bytes)) : 1
        builder.samples.push(new Sample({ locationId: stack, value: [estimate, Math.round(node.selfSize)] }))
      }
    }
    for (const child of node.children) pending.push({ node: child, callers: stack })
  }
  const prefix = options.kind === 'alloc' ? 'alloc' : 'inuse'
  return new Profile({
    sampleType: [builder.valueType(`${prefix}_objects`, 'count'), builder.valueType(`${prefix}_space`, 'bytes')],
    sample: builder.samples,
    location: builder.locations,
    function: builder.functions,
    stringTable: builder.strings,
    timeNanos: options.timeNanos ?? 0,
    periodType: builder.valueType('space', 'bytes'),
    period: options.samplingIntervalBytes ?? 0,
    defaultSampleType: 0,
  })
}

/** TimeWindow is a span of the monotonic clock in µs (process.hrtime and V8's profile timestamps share it). */
export interface TimeWindow {
  startUs: number
  endUs: number
}

/**
 * cpuProfileInWindows keeps the samples of `profile` that fell inside `windows` (the benchmark's
 * timer was on) and drops the rest: setup before resetTimer, work between StopTimer and
 * StartTimer. A kept sample keeps its own delta, so the time each stands for stays one sampling
 * interval; the profile's span becomes the windows' total.
 */
export function cpuProfileInWindows(profile: V8CpuProfile, windows: readonly TimeWindow[]): V8CpuProfile {
  const samples: number[] = []
  const timeDeltas: number[] = []
  const sorted = [...windows].sort((a, b) => a.startUs - b.startUs)
  let at = profile.startTime
  let w = 0
  const allSamples = profile.samples ?? []
  const allDeltas = profile.timeDeltas ?? []
  for (let i = 0; i < allSamples.length; i++) {
    const delta = allDeltas[i] ?? 0
    at += delta
    while (w < sorted.length && (sorted[w] as TimeWindow).endUs < at) w++
    const window = sorted[w]
    if (window !== undefined && window.startUs <= at) {
      samples.push(allSamples[i] as number)
      timeDeltas.push(delta)
    }
  }
  let spanUs = 0
  for (const window of sorted) spanUs += Math.max(0, window.endUs - window.startUs)
  // hitCount must agree with the kept samples for readers that use it (DevTools).
  const hits = new Map<number, number>()
  for (const id of samples) hits.set(id, (hits.get(id) ?? 0) + 1)
  const nodes = profile.nodes.map((node) => {
    const { positionTicks: _ticks, ...rest } = node
    // positionTicks cannot be filtered by time: they are scaled to the kept hits below.
    const kept = hits.get(node.id) ?? 0
    const total = node.hitCount ?? 0
    const scaled = total > 0 && _ticks !== undefined ? scaleTicks(_ticks, kept / total) : undefined
    return scaled === undefined ? { ...rest, hitCount: kept } : { ...rest, hitCount: kept, positionTicks: scaled }
  })
  return { nodes, startTime: profile.startTime, endTime: profile.startTime + spanUs, samples, timeDeltas }
}

function scaleTicks(ticks: ReadonlyArray<{ line: number; ticks: number }>, ratio: number): Array<{ line: number; ticks: number }> | undefined {
  const scaled = ticks.map((tick) => ({ line: tick.line, ticks: Math.round(tick.ticks * ratio) })).filter((tick) => tick.ticks > 0)
  return scaled.length === 0 ? undefined : scaled
}

function frameKey(frame: V8CallFrame): string {
  return `${frame.functionName}\u0000${frame.url}\u0000${frame.lineNumber}\u0000${frame.columnNumber}`
}

/**
 * mergeHeapProfiles adds `from` into `into` (mutated and returned): trees merged by call path,
 * sizes summed, samples kept with their node ids renumbered. A benchmark whose timer stops and
 * starts gives one sampling profile per timed window; this makes them one.
 */
export function mergeHeapProfiles(into: V8SamplingHeapProfile | undefined, from: V8SamplingHeapProfile): V8SamplingHeapProfile {
  if (into === undefined) return { head: structuredClone(from.head), samples: [...(from.samples ?? [])] }
  let nextId = 1
  const walkIds: V8HeapProfileNode[] = [into.head]
  while (walkIds.length > 0) {
    const node = walkIds.pop() as V8HeapProfileNode
    nextId = Math.max(nextId, node.id + 1)
    for (const child of node.children) walkIds.push(child)
  }
  const idMap = new Map<number, number>()
  const pending: Array<{ target: V8HeapProfileNode; source: V8HeapProfileNode }> = [{ target: into.head, source: from.head }]
  while (pending.length > 0) {
    const { target, source } = pending.pop() as { target: V8HeapProfileNode; source: V8HeapProfileNode }
    idMap.set(source.id, target.id)
    target.selfSize += source.selfSize
    for (const child of source.children) {
      const key = frameKey(child.callFrame)
      let match = target.children.find((c) => frameKey(c.callFrame) === key)
      if (match === undefined) {
        match = { callFrame: child.callFrame, selfSize: 0, id: nextId++, children: [] }
        target.children.push(match)
      }
      pending.push({ target: match, source: child })
    }
  }
  const samples = into.samples ?? []
  for (const sample of from.samples ?? []) samples.push({ ...sample, nodeId: idMap.get(sample.nodeId) ?? sample.nodeId })
  into.samples = samples
  return into
}
