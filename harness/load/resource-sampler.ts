// Sampling memory over the run — the target's (when local) and the generator's own — plus the
// generator's CPU and event-loop delay, so a result says whether the generator itself was the
// bottleneck (the most common complaint about autocannon, wrk and Artillery in their issues).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import { readCpuSeconds, readProcessMemory } from '../../common/procfs.ts'

/** SAMPLE_INTERVAL_MS is how often memory is sampled. */
export const SAMPLE_INTERVAL_MS = 1_000
/** MAX_SERIES_POINTS bounds the memory series: when full, every other point is dropped and the spacing doubles. */
export const MAX_SERIES_POINTS = 240
/** EVENT_LOOP_RESOLUTION_MS is monitorEventLoopDelay's sampling resolution. */
const EVENT_LOOP_RESOLUTION_MS = 10

/** MemoryPoint is one sample: time since the start and resident bytes. */
export interface MemoryPoint {
  readonly tMs: number
  readonly generatorRssBytes: number
  /** Undefined when the target is not local. */
  readonly targetRssBytes: number | undefined
}

/** BoundedSeries keeps at most `capacity` points of a series of any length, evenly thinned. */
export class BoundedSeries<T> {
  readonly points: T[] = []
  #stride = 1
  #skipped = 0

  constructor(readonly capacity: number) {}

  /** add offers a point; it is kept when it falls on the current stride. */
  add(point: T): void {
    if (this.#skipped++ % this.#stride !== 0) return
    this.points.push(point)
    if (this.points.length >= this.capacity) {
      let kept = 0
      for (let i = 0; i < this.points.length; i += 2) this.points[kept++] = this.points[i] as T
      this.points.length = kept
      this.#stride *= 2
      this.#skipped = 1
    }
  }
}

/** GeneratorHealth summarises the generator's own load over the run. */
export interface GeneratorHealth {
  /** CPU time used by this process ÷ wall time (1 = one core busy). */
  readonly cpuRatio: number
  readonly eventLoopDelayP99Ms: number
  readonly eventLoopDelayMaxMs: number
}

/** ResourceSampler samples memory once a second while running. */
export class ResourceSampler {
  readonly series = new BoundedSeries<MemoryPoint>(MAX_SERIES_POINTS)
  targetPeakBytes: number | undefined
  generatorPeakBytes = 0
  /** CPU seconds the target used between start() and stop(); undefined when it is not local. */
  targetCpuSeconds: number | undefined
  readonly #targetPid: number | undefined
  readonly #startMs: number
  readonly #cpuStart = process.cpuUsage()
  readonly #loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS })
  #timer: NodeJS.Timeout | undefined
  #targetCpuStart: Promise<number | undefined> = Promise.resolve(undefined)
  #sampling: Promise<void> = Promise.resolve()

  constructor(targetPid: number | undefined, startMs: number) {
    this.#targetPid = targetPid
    this.#startMs = startMs
    this.#loopDelay.enable()
  }

  /** start samples at once and then every SAMPLE_INTERVAL_MS. */
  start(): void {
    if (this.#targetPid !== undefined) this.#targetCpuStart = readCpuSeconds(this.#targetPid)
    this.#sampling = this.#sample()
    this.#timer = setInterval(() => {
      this.#sampling = this.#sample()
    }, SAMPLE_INTERVAL_MS)
  }

  async #sample(): Promise<void> {
    const generatorRssBytes = process.memoryUsage.rss()
    if (generatorRssBytes > this.generatorPeakBytes) this.generatorPeakBytes = generatorRssBytes
    let targetRssBytes: number | undefined
    if (this.#targetPid !== undefined) {
      const memory = await readProcessMemory(this.#targetPid)
      if (memory !== undefined) {
        targetRssBytes = memory.rssBytes
        this.targetPeakBytes = Math.max(this.targetPeakBytes ?? 0, memory.peakRssBytes)
      }
    }
    this.series.add({ tMs: Math.round(performance.now() - this.#startMs), generatorRssBytes, targetRssBytes })
  }

  /** stop takes a last sample and returns the generator's health over the run. */
  async stop(): Promise<GeneratorHealth> {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    await this.#sampling
    await this.#sample()
    if (this.#targetPid !== undefined) {
      const [before, after] = [await this.#targetCpuStart, await readCpuSeconds(this.#targetPid)]
      if (before !== undefined && after !== undefined) this.targetCpuSeconds = after - before
    }
    this.#loopDelay.disable()
    const cpu = process.cpuUsage(this.#cpuStart)
    const wallMs = Math.max(1, performance.now() - this.#startMs)
    return {
      cpuRatio: (cpu.user + cpu.system) / 1e3 / wallMs,
      eventLoopDelayP99Ms: this.#loopDelay.percentile(99) / 1e6,
      eventLoopDelayMaxMs: this.#loopDelay.max / 1e6,
    }
  }
}
