// The profiled pass of bench -cpuprofile/-memprofile: after a leaf's reported run (and its memory
// passes), the benchmark runs once more at the reported b.N with the profilers attached to its
// timed windows only. The reported ns/op never has a profiler attached.
import type { BenchB } from './b.ts'
import { type CapturedProfiles, ProfileMeter, type ProfileRequest } from './measure/profile-meter.ts'

/** runProfilePass runs b at `iterations` under the requested profilers and returns what they recorded. */
export async function runProfilePass(b: BenchB, request: ProfileRequest, iterations: number): Promise<CapturedProfiles> {
  const meter = new ProfileMeter(request)
  b.meter = meter
  b.loopFixedIterations = iterations
  await b.runN(iterations)
  return meter.finish(iterations)
}
