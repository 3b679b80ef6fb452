// The files a profile is written as: gzipped pprof protobuf (what `go tool pprof` reads, as Go's
// -cpuprofile writes it) and Chrome DevTools' .cpuprofile JSON, both with source-mapped frames.
import { isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gunzipSync, gzipSync } from 'node:zlib'
import { Profile } from 'pprof-format'
import { cpuProfileToPprof, type FrameMapper, heapProfileToPprof, type V8CpuProfile, type V8SamplingHeapProfile } from '../../common/v8-pprof.ts'
import { InputError } from '../../common/input-error.ts'
import { sourceFrameMapper, sourceFunctions } from './source-frames.ts'

/** gzipPprof encodes a pprof profile and gzips it, as pprof files are stored. */
export function gzipPprof(profile: Profile): Buffer {
  return gzipSync(profile.encode())
}

/** cpuPprofBytes converts a V8 CPU profile into gzipped pprof with source-mapped frames. */
export function cpuPprofBytes(profile: V8CpuProfile, mapFrame: FrameMapper = sourceFrameMapper(), timeNanos = 0): Buffer {
  return gzipPprof(cpuProfileToPprof(profile, { mapFrame, functionsIn: sourceFunctions(), timeNanos }))
}

/** heapPprofBytes converts a V8 sampling heap profile of allocations into gzipped pprof with source-mapped frames. */
export function heapPprofBytes(
  profile: V8SamplingHeapProfile,
  samplingIntervalBytes: number,
  mapFrame: FrameMapper = sourceFrameMapper(),
  timeNanos = 0,
): Buffer {
  return gzipPprof(heapProfileToPprof(profile, { kind: 'alloc', samplingIntervalBytes, mapFrame, timeNanos }))
}

/**
 * devtoolsCpuProfile rewrites a V8 CPU profile's frames to their source positions, so Chrome
 * DevTools (Performance panel, "Load profile") shows the benchmark's .ts lines. Columns are lost.
 */
export function devtoolsCpuProfile(profile: V8CpuProfile, mapFrame: FrameMapper = sourceFrameMapper()): V8CpuProfile {
  return {
    ...profile,
    nodes: profile.nodes.map((node) => {
      const { callFrame } = node
      if (callFrame.url === '') return node
      const start = mapFrame(callFrame, callFrame.lineNumber, callFrame.columnNumber)
      const mapped = {
        ...node,
        callFrame: {
          ...callFrame,
          url: isAbsolute(start.file) ? pathToFileURL(start.file).href : start.file,
          lineNumber: start.line - 1,
          columnNumber: 0,
        },
      }
      if (node.positionTicks !== undefined) {
        mapped.positionTicks = node.positionTicks.map((tick) => ({ line: mapFrame(callFrame, tick.line - 1, undefined).line, ticks: tick.ticks }))
      }
      return mapped
    }),
  }
}

/** readPprof decodes a pprof file, gzipped or not; `name` names the file in errors. */
export function readPprof(bytes: Uint8Array, name: string): Profile {
  let raw: Uint8Array = bytes
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes)
    } catch (err) {
      throw new InputError(`${name}: gzip data is corrupt (${(err as Error).message}); expected a pprof profile (.pb.gz)`)
    }
  }
  try {
    return Profile.decode(raw)
  } catch (err) {
    throw new InputError(`${name}: not a pprof profile (${(err as Error).message}); expected protobuf as go tool pprof reads it`)
  }
}
