// Workloads the exporter benchmarks share: real slurmrestd answers captured from the mock, and a
// scrape rig (mock and exporter each in its own process) that measures scrapes from outside.

import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Pool, request } from 'undici'
import { DEFAULT_JWT_KEY, mintToken } from '../mock-slurm/index.ts'
import { spawnChildServer, type ChildServer } from './child-process.ts'
import { lastCollectorFailure } from '../exporter/collector-log.ts'
import { repoRoot } from './mock-process.ts'
import { DEFAULT_REFRESH_INTERVAL_MS } from '../exporter/collection.ts'
import type { ExporterOptions } from '../exporter/index.ts'
import { JsonListStream } from '../exporter/json-list-stream.ts'

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
export async function captureAnswers(
  shape: ClusterShape,
  endpoints: readonly string[],
  version = 'v0.0.44',
  json: 'pretty' | 'compact' = 'pretty',
): Promise<Record<string, Buffer>> {
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
  /** AgeS is slurm_exporter_collection_age_seconds: how old the data served can be. */
  readonly ageS: number
  /** CollectionS is slurm_exporter_collection_duration_seconds: how long the collection served took. */
  readonly collectionS: number
  /** Background says whether the exporter answered in background mode. */
  readonly background: boolean
  /** FailedCollector names a collector whose last run failed, if any. */
  readonly failedCollector: string | undefined
}

/** ScrapeRig is a mock and an exporter, each in its own process, and a client that scrapes. */
export interface ScrapeRig {
  readonly mock: ChildServer
  readonly exporter: ChildServer
  /** StartedAtMs is when the exporter was spawned (performance.now() clock). */
  readonly startedAtMs: number
  /** scrape fetches /metrics once and throws when any collector failed (a failed scrape is not a measurement). */
  scrape(): Promise<ScrapeResult>
  /** scrapeAny fetches /metrics once and throws only when the answer is not HTTP 200. */
  scrapeAny(): Promise<ScrapeResult>
  close(): Promise<void>
}

/** RIG_SCRAPE_TIMEOUT_MS lets the largest clusters finish: the rig measures how long, not whether. */
const RIG_SCRAPE_TIMEOUT_MS = 300_000

/**
 * startScrapeRig starts a mock of `shape` and an exporter reading it; `exporterOptions` adds to
 * the defaults. Without a collection mode the exporter collects on demand, on every scrape (no
 * cache) and with the rig's long timeouts, to measure how long a collection takes; with `auto`
 * or `background` it keeps the exporter's own defaults (10 s scrape timeout, 5 s cache), since
 * those decide what a deployment sees.
 */
export async function startScrapeRig(shape: ClusterShape, exporterOptions: Partial<ExporterOptions> = {}, maxConcurrency = 1): Promise<ScrapeRig> {
  const mock = await startMockChild(shape)
  const mode = exporterOptions.collectionMode ?? 'on-demand'
  const rigDefaults =
    mode === 'on-demand' ? { collectionMode: mode, cacheTtlMs: 0, scrapeTimeoutMs: RIG_SCRAPE_TIMEOUT_MS, requestTimeoutMs: RIG_SCRAPE_TIMEOUT_MS } : {}
  const startedAtMs = performance.now()
  const exporter = await spawnChildServer({
    kind: 'exporter',
    options: { slurmUrl: mock.url, auth: rootAuth(), ...rigDefaults, ...exporterOptions },
  })
  const client = new Pool(exporter.url, { connections: maxConcurrency, headersTimeout: RIG_SCRAPE_TIMEOUT_MS, bodyTimeout: RIG_SCRAPE_TIMEOUT_MS })
  return {
    mock,
    exporter,
    startedAtMs,
    async scrape() {
      const result = await scrapeOnce(client)
      if (result.failedCollector !== undefined)
        throw new Error(`scrape failed: collector ${result.failedCollector} failed${collectorError(exporter, result.failedCollector)}`)
      return result
    },
    scrapeAny: () => scrapeOnce(client),
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
const COLLECTION_AGE = /^slurm_exporter_collection_age_seconds (\S+)$/m
const COLLECTION_DURATION = /^slurm_exporter_collection_duration_seconds (\S+)$/m
const BACKGROUND_MODE = /^slurm_exporter_collection_mode\{mode="background"\} 1$/m

/** scrapeOnce GETs /metrics once through `client`, counting bytes and series as they stream and reading the self-metrics at the end. */
export async function scrapeOnce(client: Pool): Promise<ScrapeResult> {
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
  if (response.statusCode !== 200) throw new Error(`scrape failed: HTTP ${response.statusCode}`)
  const series = lines - comments
  const read = (pattern: RegExp): number => Number(pattern.exec(tail)?.[1] ?? Number.NaN)
  return {
    durationMs,
    bytes,
    series,
    exporterCpuS: read(PROCESS_CPU),
    ageS: read(COLLECTION_AGE),
    collectionS: read(COLLECTION_DURATION),
    background: BACKGROUND_MODE.test(tail),
    failedCollector: FAILED_COLLECTOR.exec(tail)?.[1],
  }
}

/** SweepTarget is the part of the benchmark API scrapeSweep uses (testbed code cannot import the harness). */
export interface SweepTarget {
  readonly N: number
  resetTimer(): void
  stopTimer(): void
  reportMetric(value: number, unit: string): void
}

/** FIRST_COMPLETE_POLL_MS is the pause between warm-up scrapes while no collection is complete yet. */
const FIRST_COMPLETE_POLL_MS = 500
/** AGE_SAMPLE_EVERY_MS spaces the scrapes that sample the data age in background mode. */
const AGE_SAMPLE_EVERY_MS = 250
/**
 * AGE_WINDOW_CYCLES: in background mode the data age is sampled over this many refresh cycles
 * (a collection and a pause), so every phase of the cycle is seen; the timed scrapes come back
 * to back and would see one moment of it.
 */
const AGE_WINDOW_CYCLES = 1.5
/** AGE_WINDOW_MAX_MS bounds that sampling. */
const AGE_WINDOW_MAX_MS = 60_000

interface SweepState {
  readonly rig: ScrapeRig
  /** Time from the exporter's spawn to its first scrape with every collector successful. */
  readonly firstCompleteS: number
  last: ScrapeResult
  lastAtMs: number
}

/**
 * scrapeSweep measures b.N scrapes of one cluster shape on a fresh rig and reports p50/p95/p99
 * latency, the exporter's peak RSS, its CPU, the series and the exposition bytes, and what the
 * answers hold: the duration of the collection served and the data's age. In background mode
 * (or auto mode once it moved there) a scrape is fast because it does not collect; the age and
 * the collection time say what that costs in freshness.
 */
export async function scrapeSweep(b: SweepTarget, shape: ClusterShape, exporterOptions: Partial<ExporterOptions> = {}): Promise<void> {
  // The harness calls a benchmark with N=1 before the N it measures; both calls share one rig
  // (a large cluster costs minutes to start and warm). Its processes end with this one.
  const key = JSON.stringify([shape, exporterOptions])
  let started = sweepRigs.get(key)
  if (started === undefined) {
    // Warm-up (JIT, connections, as after an exporter restart) until a scrape has every
    // collector: in auto mode a large cluster's first collection reaches the scrape deadline.
    started = startScrapeRig(shape, exporterOptions).then(async (rig) => {
      const last = await firstCompleteScrape(rig)
      return { rig, last, lastAtMs: performance.now(), firstCompleteS: (performance.now() - rig.startedAtMs) / 1000 }
    })
    sweepRigs.set(key, started)
  }
  const state = await started
  const { rig } = state
  const first = state.last
  const firstAtMs = state.lastAtMs
  const onDemandOnly = (exporterOptions.collectionMode ?? 'on-demand') === 'on-demand'
  // On demand, the timed scrapes do the collections, so the peak is taken over them alone. In
  // auto and background mode collections run on their own clock: the peak since start covers at
  // least the first full collection, which the warm-up waited for.
  if (onDemandOnly) rig.exporter.resetPeakRss()
  const durationsMs: number[] = []
  const agesS: number[] = []
  let collectionS = 0
  let last: ScrapeResult = first
  let background = first.background
  b.resetTimer()
  for (let i = 0; i < b.N; i++) {
    last = await rig.scrape()
    durationsMs.push(last.durationMs)
    agesS.push(last.ageS)
    collectionS = Math.max(collectionS, last.collectionS)
    background ||= last.background
  }
  b.stopTimer()
  const lastAtMs = performance.now()
  state.last = last
  state.lastAtMs = lastAtMs
  const p = percentilesMs(durationsMs)
  b.reportMetric(p.p50, 'p50-ms')
  b.reportMetric(p.p95, 'p95-ms')
  b.reportMetric(p.p99, 'p99-ms')
  const peak = rig.exporter.peakRssBytes()
  if (peak !== undefined) b.reportMetric(peak / 2 ** 20, 'peak-rss-MiB')
  b.reportMetric(last.series, 'series')
  b.reportMetric(last.bytes, 'exposition-B')
  const cpuMs = (last.exporterCpuS - first.exporterCpuS) * 1_000
  // The exporter's CPU share while scrapes ran: in background mode it is what the continuous
  // collections cost, which no per-scrape figure shows.
  b.reportMetric((cpuMs / (lastAtMs - firstAtMs)) * 100, 'exporter-cpu-%')
  // The exporter's own CPU per scrape, apart from the time spent waiting for slurmrestd: only
  // when every scrape collected.
  if (!background) b.reportMetric(cpuMs / b.N, 'exporter-cpu-ms/op')
  b.reportMetric(collectionS, 'collection-s')
  b.reportMetric(background ? 1 : 0, 'background-mode')
  b.reportMetric(state.firstCompleteS, 'first-complete-s')
  if (background) {
    const cycleMs = collectionS * 1_000 + (exporterOptions.refreshIntervalMs || DEFAULT_REFRESH_INTERVAL_MS)
    agesS.push(...(await sampleAges(rig, Math.min(AGE_WINDOW_MAX_MS, AGE_WINDOW_CYCLES * cycleMs))))
  }
  const ages = percentilesMs(agesS.map((ageS) => ageS * 1_000))
  b.reportMetric(ages.p50 / 1_000, 'age-p50-s')
  b.reportMetric(Math.max(...agesS), 'age-max-s')
}

// The exporter's last logged failure of `collector`, as ` (message)`, or '' when it logged none.
function collectorError(exporter: ChildServer, collector: string): string {
  const message = lastCollectorFailure(exporter.stderrTail(), collector)
  return message === undefined ? '' : ` (${message})`
}

async function firstCompleteScrape(rig: ScrapeRig): Promise<ScrapeResult> {
  for (;;) {
    const result = await rig.scrapeAny()
    if (result.failedCollector === undefined) return result
    if (performance.now() - rig.startedAtMs > RIG_SCRAPE_TIMEOUT_MS)
      throw new Error(`scrape failed: collector ${result.failedCollector} still failing after ${RIG_SCRAPE_TIMEOUT_MS} ms`)
    await new Promise((resolve) => setTimeout(resolve, FIRST_COMPLETE_POLL_MS))
  }
}

// Untimed: scrapes every AGE_SAMPLE_EVERY_MS for `windowMs`, returning the data age each saw.
async function sampleAges(rig: ScrapeRig, windowMs: number): Promise<number[]> {
  const agesS: number[] = []
  const endMs = performance.now() + windowMs
  while (performance.now() < endMs) {
    agesS.push((await rig.scrape()).ageS)
    await new Promise((resolve) => setTimeout(resolve, AGE_SAMPLE_EVERY_MS))
  }
  return agesS
}

const sweepRigs = new Map<string, Promise<SweepState>>()
