import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { V8CpuProfile } from '../../../common/v8-pprof.ts'
import { InputError } from '../../../common/input-error.ts'
import { cpuPprofBytes, devtoolsCpuProfile, readPprof } from '../../../harness/profile/profile-files.ts'
import { sourceFrameMapper } from '../../../harness/profile/source-frames.ts'

const TESTDATA = join(import.meta.dirname, 'testdata')
const BUNDLE = join(TESTDATA, 'hot.bundle.mjs')
const SOURCE = join(TESTDATA, 'hot.ts')

// cpu.json is a real Profiler.stop result of hotLoop running from hot.bundle.mjs (esbuild, inline
// source map); BUNDLE stands for the bundle's file URL, which depends on the checkout.
function capturedProfile(): V8CpuProfile {
  return JSON.parse(readFileSync(join(TESTDATA, 'cpu.json'), 'utf8').replaceAll('BUNDLE', pathToFileURL(BUNDLE).href)) as V8CpuProfile
}

describe('sourceFrameMapper', () => {
  const map = sourceFrameMapper()
  const frame = { functionName: 'hotLoop', scriptId: '1', url: pathToFileURL(BUNDLE).href, lineNumber: 1, columnNumber: 16 }

  it('maps a function start and a position tick to the .ts source', () => {
    expect(map(frame, 1, 16)).toEqual({ functionName: 'hotLoop', file: SOURCE, line: 2 })
    // bundle line 5 (`acc += …`, indented) is hot.ts line 5; the bundle drops the first comment line
    expect(map(frame, 4, undefined)).toEqual({ functionName: 'hotLoop', file: SOURCE, line: 5 })
    expect(map(frame, 10, undefined)).toEqual({ functionName: 'hotLoop', file: SOURCE, line: 12 })
  })

  it('leaves frames without a map or file as they are', () => {
    expect(map({ ...frame, url: 'node:internal/timers' }, 3, 0)).toEqual({ functionName: 'hotLoop', file: 'node:internal/timers', line: 4 })
    expect(map({ ...frame, url: pathToFileURL(SOURCE).href }, 3, 0)).toEqual({ functionName: 'hotLoop', file: SOURCE, line: 4 })
    expect(map({ ...frame, url: pathToFileURL(join(TESTDATA, 'absent.mjs')).href }, 3, 0).line).toBe(4)
  })
})

describe('cpuPprofBytes', () => {
  it('writes gzipped pprof whose hottest line is hotLoop at hot.ts:5', () => {
    const bytes = cpuPprofBytes(capturedProfile())
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b])
    const profile = readPprof(bytes, 'cpu.pb.gz')
    const text = profile.stringTable.strings
    const flat = new Map<string, number>()
    for (const sample of profile.sample) {
      const loc = profile.location.find((l) => l.id === sample.locationId[0])
      const line = loc?.line[0]
      const fn = profile.function.find((f) => f.id === line?.functionId)
      const key = `${text[Number(fn?.name)]} ${text[Number(fn?.filename)]}:${Number(line?.line)}`
      flat.set(key, (flat.get(key) ?? 0) + Number(sample.value[1]))
    }
    const top = [...flat.entries()].sort((a, b) => b[1] - a[1])[0]
    expect(top?.[0]).toBe(`hotLoop ${SOURCE}:5`)
  })
})

describe('devtoolsCpuProfile', () => {
  it('points frames and position ticks at the .ts source', () => {
    const profile = devtoolsCpuProfile(capturedProfile())
    const hot = profile.nodes.find((n) => n.callFrame.functionName === 'hotLoop')
    expect(hot?.callFrame.url).toBe(pathToFileURL(SOURCE).href)
    expect(hot?.callFrame.lineNumber).toBe(1)
    expect(hot?.positionTicks?.map((t) => t.line)).toContain(5)
    expect(profile.samples).toEqual(capturedProfile().samples)
  })
})

describe('readPprof', () => {
  it('names the file when the bytes are not a profile', () => {
    expect(() => readPprof(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 'base.pb.gz')).toThrow(InputError)
    expect(() => readPprof(Buffer.from([0x1f, 0x8b, 1, 2, 3]), 'base.pb.gz')).toThrow(/base\.pb\.gz: gzip data is corrupt/)
    expect(() => readPprof(Buffer.from('hello, world, not protobuf'), 'x.pb')).toThrow(/x\.pb: not a pprof profile/)
  })
})
