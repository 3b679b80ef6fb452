// Workloads the exporter benchmarks share: real slurmrestd answers captured from the mock, and a
// scrape rig (mock and exporter each in its own process) that measures scrapes from outside.

import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Pool, request } from 'undici'
import { DEFAULT_JWT_KEY, mintToken } from '../mock-slurm/index.ts'
import { spawnChildServer, type ChildServer } from './child-process.ts'
import { repoRoot } from '../mock-slurm/child-process.ts'
import type { ExporterOptions } from './index.ts'
import { JsonListStream } from './json-list-stream.ts'

/** ClusterShape sizes a generated cluster (users default to the mock's choice for the job count). */
export interface ClusterShape {
  readonly nodes: number
  readonly jobs: number
  readonly users?: number
}

/** BENCH_SEED fixes the generated cluster so every sample measures the same data. */
export const BENCH_SEED = 1
/** BENCH_EPOCH_S fixes generation time, so answers are byte-identical run to run. */
export const BENCH_EPOCH_S = 1_764_000_000
/** ROOT_TOKEN_LIFESPAN_S outlives any benchmark run. */
const ROOT_TOKEN_LIFESPAN_S = 24 * 3600

/** rootAuth returns JWT auth the mock accepts (it signs with its default key). */
export function rootAuth(): { kind: 'user-token'; user: string; token: string } {
  return { kind: 'user-token', user: 'root', token: mintToken(DEFAULT_JWT_KEY, 'root', ROOT_TOKEN_LIFESPAN_S) }
}

function mockOptions(shape: ClusterShape): Record<string, unknown> {
  return { ...shape, seed: BENCH_SEED, epochSec: BENCH_EPOCH_S, frozenClock: true, logLevel: 'error' }
}

/**
 * captureAnswers starts a mock of `shape`, fetches each endpoint once and returns the raw bodies:
 * setup for benchmarks that measure parsing and processing without a network. The mock runs in a
 * child process because benchmark files run bundled, away from the mock's data files.
 */
export async function captureAnswers(shape: ClusterShape, endpoints: readonly string[], version = 'v0.0.44', json: 'pretty' | 'compact' = 'pretty'): Promise<Record<string, Buffer>> {
  // The mock is deterministic for a seed, an epoch and its own code, so answers are cached on
  // disk under that key: every benchmark process after the first skips the mock's start (seconds).
  const root = repoRoot()
  const key = createHash('sha256')
    .update(JSON.stringify({ shape, endpoints, version, json, seed: BENCH_SEED, epoch: BENCH_EPOCH_S }))
    .update(sourceDigest(join(root, 'testbed', 'mock-slurm')))
    .digest('hex')
    .slice(0, 24)
  const cacheDir = join(root, 'node_modules', '.cache', 'slurmbench-exporter')
  const cached = readCachedAnswers(cacheDir, key, endpoints)
  if (cached !== undefined) return cached
  const bodies = await fetchAnswers(shape, endpoints, version, json)
  mkdirSync(cacheDir, { recursive: true })
  for (const endpoint of endpoints) {
    const file = join(cacheDir, `${key}-${endpoint}.json`)
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, bodies[endpoint] as Buffer)
    renameSync(temp, file)
  }
  return bodies
}

function readCachedAnswers(cacheDir: string, key: string, endpoints: readonly string[]): Record<string, Buffer> | undefined {
  try {
    const bodies: Record<string, Buffer> = {}
    for (const endpoint of endpoints) bodies[endpoint] = readFileSync(join(cacheDir, `${key}-${endpoint}.json`))
    return bodies
  } catch {
    return undefined
  }
}

// A digest of every file under `dir` (names, sizes and contents), so a changed mock misses the cache.
function sourceDigest(dir: string): string {
  const hash = createHash('sha256')
  const walk = (path: string): void => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name)
      if (statSync(full).isDirectory()) walk(full)
      else hash.update(name).update(readFileSync(full))
    }
  }
  walk(dir)
  return hash.digest('hex')
}

async function fetchAnswers(shape: ClusterShape, endpoints: readonly string[], version: string, json: 'pretty' | 'compact'): Promise<Record<string, Buffer>> {
  const mock = await startMockChild(shape, { json })
  const auth = rootAuth()
  try {
    const headers = { 'x-slurm-user-name': auth.user, 'x-slurm-user-token': auth.token }
    const bodies: Record<string, Buffer> = {}
    for (const endpoint of endpoints) {
      const response = await request(`${mock.url}/slurm/${version}/${endpoint}`, { headers })
      const body = Buffer.from(await response.body.arrayBuffer())
      if (response.statusCode !== 200) throw new Error(`mock GET ${endpoint}: HTTP ${response.statusCode}: ${body.toString().slice(0, 200)}`)
      bodies[endpoint] = body
    }
    return bodies
  } finally {
    await mock.close()
  }
}

/** parseList reads the `key` list of an answer with the exporter's streaming reader (only `fields` of each element when given, as the collectors read). */
export function parseList<T>(body: Buffer, key: string, fields?: readonly string[]): T[] {
  const items: T[] = []
  const reader = new JsonListStream(key, (item) => items.push(item as T), fields)
  reader.write(body)
  reader.end()
  return items
}

/** Percentiles holds latency percentiles in milliseconds. */
export interface Percentiles {
  readonly p50: number
  readonly p95: number
  readonly p99: number
}

/** percentilesMs returns nearest-rank percentiles of durations in milliseconds. */
export function percentilesMs(durationsMs: readonly number[]): Percentiles {
  const sorted = [...durationsMs].sort((a, b) => a - b)
  const rank = (q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN
  return { p50: rank(0.5), p95: rank(0.95), p99: rank(0.99) }
}

/** startMockChild starts the mock slurmrestd for `shape` in its own process. */
export function startMockChild(shape: ClusterShape, extra: Record<string, unknown> = {}): Promise<ChildServer> {
  return spawnChildServer({ kind: 'mock', options: { ...mockOptions(shape), ...extra } })
}

/**
 * sharedMockChild returns a mock of `shape` started once per process and kept for the process's
 * life. The harness calls a benchmark several times in one worker (the N=1 probe, then the
 * predicted runs; a discovery worker calls every sub-benchmark), and each start costs a second
 * or more of cluster generation and process start. Callers must not close it: child-process.ts
 * kills its children when the worker exits.
 */
export function sharedMockChild(shape: ClusterShape, extra: Record<string, unknown> = {}): Promise<ChildServer> {
  const key = JSON.stringify([shape, extra])
  let mock = sharedMocks.get(key)
  if (mock === undefined) {
    mock = startMockChild(shape, extra)
    sharedMocks.set(key, mock)
  }
  return mock
}

const sharedMocks = new Map<string, Promise<ChildServer>>()

/**
 * sharedScrapeRig returns a scrape rig started once per process for these arguments, as
 * sharedMockChild does for mocks; callers must not close it.
 */
export function sharedScrapeRig(shape: ClusterShape, exporterOptions: Partial<ExporterOptions> = {}, maxConcurrency = 1): Promise<ScrapeRig> {
  const key = JSON.stringify([shape, exporterOptions, maxConcurrency])
  let rig = sharedRigs.get(key)
  if (rig === undefined) {
    rig = startScrapeRig(shape, exporterOptions, maxConcurrency)
    sharedRigs.set(key, rig)
  }
  return rig
}

const sharedRigs = new Map<string, Promise<ScrapeRig>>()

/** ScrapeResult is one scrape as a Prometheus server sees it. */
export interface ScrapeResult {
  readonly durationMs: number
  readonly bytes: number
  /** Series is the number of sample lines. */
  readonly series: number
  /** ExporterCpuS is the exporter's process_cpu_seconds_total at the end of the scrape. */
  readonly exporterCpuS: number
}

/** ScrapeRig is a mock and an exporter, each in its own process, and a client that scrapes. */
export interface ScrapeRig {
  readonly mock: ChildServer
  readonly exporter: ChildServer
  /** scrape fetches /metrics once and throws when any collector failed (a failed scrape is not a measurement). */
  scrape(): Promise<ScrapeResult>
  close(): Promise<void>
}

/** RIG_SCRAPE_TIMEOUT_MS lets the largest clusters finish: the rig measures how long, not whether. */
const RIG_SCRAPE_TIMEOUT_MS = 300_000

/** startScrapeRig starts a mock of `shape` and an exporter reading it; `exporterOptions` adds to the defaults. */
export async function startScrapeRig(shape: ClusterShape, exporterOptions: Partial<ExporterOptions> = {}, maxConcurrency = 1): Promise<ScrapeRig> {
  const mock = await startMockChild(shape)
  const exporter = await spawnChildServer({
    kind: 'exporter',
    options: { slurmUrl: mock.url, auth: rootAuth(), scrapeTimeoutMs: RIG_SCRAPE_TIMEOUT_MS, requestTimeoutMs: RIG_SCRAPE_TIMEOUT_MS, ...exporterOptions },
  })
  const client = new Pool(exporter.url, { connections: maxConcurrency, headersTimeout: RIG_SCRAPE_TIMEOUT_MS, bodyTimeout: RIG_SCRAPE_TIMEOUT_MS })
  return {
    mock,
    exporter,
    scrape: () => scrapeOnce(client),
    async close() {
      await client.close()
      await exporter.close()
      await mock.close()
    },
  }
}

const NEWLINE = 0x0a
const HASH = 0x23
const PROCESS_CPU = /^process_cpu_seconds_total (\S+)$/m
const FAILED_COLLECTOR = /slurm_exporter_collector_up\{collector="(\w+)"\} 0\n/

async function scrapeOnce(client: Pool): Promise<ScrapeResult> {
  const startMs = performance.now()
  const response = await client.request({ path: '/metrics', method: 'GET' })
  let bytes = 0
  let lines = 0
  let comments = 0
  // Whether the next byte starts a line (true at the start of the body).
  let lineStart = true
  // Self-metrics come last; the tail is enough to see whether a collector failed.
  let tail = ''
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer
    bytes += buffer.length
    if (lineStart && buffer[0] === HASH) comments++
    for (let i = buffer.indexOf(NEWLINE); i >= 0; i = buffer.indexOf(NEWLINE, i + 1)) {
      lines++
      if (buffer[i + 1] === HASH) comments++
    }
    lineStart = buffer[buffer.length - 1] === NEWLINE
    tail = (tail + buffer.toString('latin1')).slice(-16_384)
  }
  const durationMs = performance.now() - startMs
  const failed = FAILED_COLLECTOR.exec(tail)
  if (response.statusCode !== 200 || failed !== null) {
    throw new Error(`scrape failed: HTTP ${response.statusCode}${failed ? `, collector ${failed[1]} failed` : ''}`)
  }
  const series = lines - comments
  const exporterCpuS = Number(PROCESS_CPU.exec(tail)?.[1] ?? Number.NaN)
  return { durationMs, bytes, series, exporterCpuS }
}

/** SweepTarget is the part of the benchmark API scrapeSweep uses (testbed code cannot import the harness). */
export interface SweepTarget {
  readonly N: number
  resetTimer(): void
  stopTimer(): void
  reportMetric(value: number, unit: string): void
}

/**
 * scrapeSweep measures b.N scrapes of one cluster shape on a fresh rig and reports p50/p95/p99
 * latency, the exporter's peak RSS during the timed scrapes, the series and the exposition bytes.
 */
export async function scrapeSweep(b: SweepTarget, shape: ClusterShape, exporterOptions: Partial<ExporterOptions> = {}): Promise<void> {
  // The harness calls a benchmark with N=1 before the N it measures; both calls share one rig
  // (a large cluster costs minutes to start and warm). Its processes end with this one.
  const key = JSON.stringify([shape, exporterOptions])
  let started = sweepRigs.get(key)
  if (started === undefined) {
    // First scrape: JIT warm-up and connection setup, as after an exporter restart.
    started = startScrapeRig(shape, exporterOptions).then(async (rig) => ({ rig, last: await rig.scrape() }))
    sweepRigs.set(key, started)
  }
  const state = await started
  const { rig } = state
  const first = state.last
  const background = (exporterOptions.refreshIntervalMs ?? 0) > 0
  // On demand, the timed scrapes do the collections, so the peak is taken over them alone. In
  // background mode the collection runs on its own clock: the peak since start covers at least
  // the first full collection, which the warm-up scrape waited for.
  if (!background) rig.exporter.resetPeakRss()
  const durationsMs: number[] = []
  let last: ScrapeResult = first
  b.resetTimer()
  for (let i = 0; i < b.N; i++) {
    last = await rig.scrape()
    durationsMs.push(last.durationMs)
  }
  b.stopTimer()
  state.last = last
  const p = percentilesMs(durationsMs)
  b.reportMetric(p.p50, 'p50-ms')
  b.reportMetric(p.p95, 'p95-ms')
  b.reportMetric(p.p99, 'p99-ms')
  const peak = rig.exporter.peakRssBytes()
  if (peak !== undefined) b.reportMetric(peak / 2 ** 20, 'peak-rss-MiB')
  b.reportMetric(last.series, 'series')
  b.reportMetric(last.bytes, 'exposition-B')
  // The exporter's own CPU per scrape, apart from the time spent waiting for slurmrestd. In
  // background mode scrapes are not tied to collections (and the self-metrics are those of the
  // collection served), so there is no per-scrape figure.
  if (!background) b.reportMetric(((last.exporterCpuS - first.exporterCpuS) * 1_000) / b.N, 'exporter-cpu-ms/op')
}

const sweepRigs = new Map<string, Promise<{ rig: ScrapeRig; last: ScrapeResult }>>()
