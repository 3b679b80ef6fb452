// Where bench -cpuprofile/-memprofile write each sample's profiles. Go writes one file per test
// binary; here every sample is its own process, so each gets a file named by a fixed rule:
//   cpu.pb.gz → cpu.<benchmark>.<round>.pb.gz  (the name with characters outside [A-Za-z0-9._=-]
//   replaced by _, round as in the results JSON, from 0)
// and when the whole run gave exactly one sample, that one file is renamed to the path as given.
import { renameSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import type { V8CpuProfile, V8SamplingHeapProfile } from '../../common/v8-pprof.ts'
import { cpuPprofBytes, devtoolsCpuProfile, heapPprofBytes } from './profile-files.ts'
import { sourceFrameMapper } from './source-frames.ts'

/** ProfileOutputs are the profile flags of bench. */
export interface ProfileOutputs {
  cpuPath?: string
  memPath?: string
  /** devtools: also write each CPU profile as Chrome DevTools' .cpuprofile. */
  devtools: boolean
}

/** SampleProfiles is one sample's raw profiles (harness/run's ProfiledSample). */
export interface SampleProfiles {
  readonly name: string
  readonly round: number
  readonly profiles: {
    readonly cpu?: V8CpuProfile
    readonly heap?: V8SamplingHeapProfile
    readonly heapIntervalBytes?: number
  }
}

const PPROF_GZ = '.pb.gz'

function splitExtension(path: string): { stem: string; ext: string } {
  const ext = path.endsWith(PPROF_GZ) ? PPROF_GZ : extname(path)
  return { stem: path.slice(0, path.length - ext.length), ext }
}

/** sampleProfilePath is the file of one sample's profile for the path given to the flag. */
export function sampleProfilePath(path: string, name: string, round: number): string {
  const { stem, ext } = splitExtension(path)
  return `${stem}.${name.replace(/[^A-Za-z0-9._=-]/g, '_')}.${round}${ext}`
}

/** devtoolsPath is the .cpuprofile beside a CPU profile's path. */
export function devtoolsPath(path: string): string {
  const { stem } = splitExtension(path)
  return join(dirname(path), `${basename(stem)}.cpuprofile`)
}

/** ProfileFileWriter writes each sample's profiles as it arrives and names the files at the end. */
export class ProfileFileWriter {
  private readonly written: Array<{ given: string; path: string }> = []
  private samples = 0
  private readonly mapFrame = sourceFrameMapper()

  constructor(private readonly outputs: ProfileOutputs) {}

  /** write converts and writes one sample's profiles. */
  write(sample: SampleProfiles): void {
    this.samples++
    const { cpuPath, memPath, devtools } = this.outputs
    const { cpu, heap, heapIntervalBytes } = sample.profiles
    if (cpuPath !== undefined && cpu !== undefined) {
      const path = sampleProfilePath(cpuPath, sample.name, sample.round)
      writeFileSync(path, cpuPprofBytes(cpu, this.mapFrame))
      this.written.push({ given: cpuPath, path })
      if (devtools) {
        const json = devtoolsPath(path)
        writeFileSync(json, JSON.stringify(devtoolsCpuProfile(cpu, this.mapFrame)))
        this.written.push({ given: devtoolsPath(cpuPath), path: json })
      }
    }
    if (memPath !== undefined && heap !== undefined) {
      const path = sampleProfilePath(memPath, sample.name, sample.round)
      writeFileSync(path, heapPprofBytes(heap, heapIntervalBytes ?? 0, this.mapFrame))
      this.written.push({ given: memPath, path })
    }
  }

  /** finish renames a single sample's files to the paths as given and returns every file written. */
  finish(): string[] {
    if (this.samples !== 1) return this.written.map((w) => w.path)
    return this.written.map(({ given, path }) => {
      renameSync(path, given)
      return given
    })
  }
}
