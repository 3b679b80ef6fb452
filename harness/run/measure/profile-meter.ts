// V8's CPU and sampling heap profilers over a benchmark's timed windows (bench -cpuprofile,
// -memprofile). The CPU profiler runs for the whole pass and keeps the samples that fell inside
// a window (V8's timestamps and process.hrtime share the monotonic clock); the heap profiler
// samples inside each window only, as the allocs/op meter does, and the windows' profiles are
// merged. Setup before resetTimer and work between StopTimer and StartTimer stay out of both.
import type { Session } from 'node:inspector'
import { createRequire } from 'node:module'
import { cpuProfileInWindows, mergeHeapProfiles, type TimeWindow, type V8CpuProfile, type V8SamplingHeapProfile } from '../../../common/v8-pprof.ts'
import type { WindowMeter } from './window-meter.ts'

/** DEFAULT_CPU_INTERVAL_US is V8's own default sampling interval (1 kHz; Go's is 100 Hz). */
export const DEFAULT_CPU_INTERVAL_US = 1000
/** DEFAULT_HEAP_INTERVAL_BYTES is V8's default mean bytes between heap samples (Go's MemProfileRate is 512 KiB). */
export const DEFAULT_HEAP_INTERVAL_BYTES = 32 * 1024

/** ProfileRequest says which profilers run and at which rates. */
export interface ProfileRequest {
  cpu: boolean
  heap: boolean
  /** heapIntervalBytes is -memprofilerate: mean bytes between heap samples. */
  heapIntervalBytes: number
  cpuIntervalUs: number
}

/** CapturedProfiles is what one profiled pass gives: raw V8 profiles, converted by the parent. */
export interface CapturedProfiles {
  cpu?: V8CpuProfile
  heap?: V8SamplingHeapProfile
  heapIntervalBytes?: number
  /** iterations is the b.N of the profiled run. */
  iterations: number
}

function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n)
}

/** post sends one inspector command; in-process sessions answer synchronously, inside post. */
function post<T>(session: Session, method: string, params?: object): T {
  let answered = false
  let result: T | undefined
  let failure: Error | null = null
  session.post(method, params as never, (err: Error | null, value: unknown) => {
    answered = true
    failure = err
    result = value as T
  })
  if (!answered) throw new Error(`inspector ${method} did not answer synchronously`)
  if (failure !== null) throw failure
  return result as T
}

/** ProfileMeter runs the requested profilers over B's timed windows; finish() returns the profiles. */
export class ProfileMeter implements WindowMeter {
  // Required, not imported: node:inspector costs worker start-up (see alloc-count.ts).
  private readonly session: Session = new (createRequire(import.meta.url)('node:inspector') as typeof import('node:inspector')).Session()
  private windows: TimeWindow[] = []
  private openUs: number | undefined
  private heap: V8SamplingHeapProfile | undefined

  constructor(private readonly request: ProfileRequest) {
    this.session.connect()
    if (request.cpu) {
      post(this.session, 'Profiler.enable')
      post(this.session, 'Profiler.setSamplingInterval', { interval: request.cpuIntervalUs })
      post(this.session, 'Profiler.start')
    }
    if (request.heap) post(this.session, 'HeapProfiler.enable')
  }

  begin(): void {
    if (this.request.heap) {
      post(this.session, 'HeapProfiler.startSampling', {
        samplingInterval: this.request.heapIntervalBytes,
        // Allocations, not what is still live at the end: Go's alloc_space.
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      })
    }
    this.openUs = nowUs()
  }

  end(): void {
    if (this.openUs !== undefined) this.windows.push({ startUs: this.openUs, endUs: nowUs() })
    this.openUs = undefined
    if (this.request.heap) {
      const { profile } = post<{ profile: V8SamplingHeapProfile }>(this.session, 'HeapProfiler.stopSampling')
      this.heap = mergeHeapProfiles(this.heap, profile)
    }
  }

  reset(): void {
    this.windows = []
    this.heap = undefined
  }

  /** finish stops the profilers and returns what the windows since the last reset recorded. */
  finish(iterations: number): CapturedProfiles {
    const captured: CapturedProfiles = { iterations }
    if (this.request.cpu) {
      const { profile } = post<{ profile: V8CpuProfile }>(this.session, 'Profiler.stop')
      captured.cpu = cpuProfileInWindows(profile, this.windows)
    }
    if (this.request.heap) {
      captured.heap = this.heap ?? {
        head: { callFrame: { functionName: '(root)', scriptId: 0, url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [] },
        samples: [],
      }
      captured.heapIntervalBytes = this.request.heapIntervalBytes
    }
    this.session.disconnect()
    return captured
  }
}
