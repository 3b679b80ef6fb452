// The processes a sweep measures: a mock slurmrestd of one cluster size and the exporter that
// reads it (the reference exporter in its own process, or a user's exporter at --target), and a
// client that scrapes like Prometheus. Reached only through testbed/index.ts.
import { readFile } from 'node:fs/promises'
import { Pool } from 'undici'
import { findListeningPid, readCpuSeconds, readProcessMemory, resetPeakRss } from '../../common/procfs.ts'
import { type ChildServer, DEFAULT_JWT_KEY, mintToken, scrapeOnce, spawnChildServer } from '../../testbed/index.ts'

/** RIG_TIMEOUT_MS lets the largest clusters finish a scrape: the sweep measures how long, not whether. */
const RIG_TIMEOUT_MS = 300_000
/** WARMUP_TRIES bounds the scrapes made until every collector answered. */
const WARMUP_TRIES = 20
/** SWEEP_SEED and SWEEP_EPOCH_S fix the generated cluster, so two sweeps read the same data. */
const SWEEP_SEED = 1
const SWEEP_EPOCH_S = 1_764_000_000

/** ClusterShape is the mock's size. */
export interface ClusterShape {
  readonly nodes: number
  readonly jobs: number
  readonly users: number
}

/** ScrapeReading is one scrape as Prometheus sees it. */
export interface ScrapeReading {
  readonly durationMs: number
  readonly bytes: number
  readonly series: number
  /** failedCollector names a collector whose slurm_exporter_collector_up is 0. */
  readonly failedCollector: string | undefined
}

/** SizeReading is what a sweep measured at one cluster size. */
export interface SizeReading {
  readonly shape: ClusterShape
  readonly durationsMs: readonly number[]
  /** cpuSecondsPerScrape is the exporter's user+system CPU over the timed scrapes, divided by their count. */
  readonly cpuSecondsPerScrape: number | undefined
  readonly peakRssBytes: number | undefined
  readonly series: number
  readonly responseBytes: number
  /** slurmrestdBytesPerScrape is what the mock wrote (its /proc/<pid>/io wchar) per scrape: the exporter's reads from slurmrestd. */
  readonly slurmrestdBytesPerScrape: number | undefined
  readonly warmupMs: number
}

/** RigTarget says which exporter a sweep measures. */
export type RigTarget = { readonly kind: 'reference' } | { readonly kind: 'external'; readonly url: string; readonly mockPort: number }

// wchar counts every byte the process passed to write(2)/send(2), sockets included; the mock
// logs only errors, so between two readings it is the bytes of its HTTP answers.
async function readWrittenBytes(pid: number): Promise<number | undefined> {
  try {
    const match = /^wchar:\s+(\d+)$/m.exec(await readFile(`/proc/${pid}/io`, 'utf8'))
    return match === null ? undefined : Number(match[1])
  } catch {
    return undefined
  }
}

/**
 * measureSize starts a mock of `shape` and the target exporter, scrapes until every collector
 * answers (warm-up: JIT, connections), then times `scrapes` scrapes and reads the exporter's CPU,
 * peak RSS and the mock's bytes written around them. Every process it started is stopped.
 */
export async function measureSize(shape: ClusterShape, scrapes: number, target: RigTarget): Promise<SizeReading> {
  const mockOptions: Record<string, unknown> = { ...shape, seed: SWEEP_SEED, epochSec: SWEEP_EPOCH_S, frozenClock: true, logLevel: 'error' }
  if (target.kind === 'external') mockOptions.port = target.mockPort
  const mock = await spawnChildServer({ kind: 'mock', options: mockOptions })
  let exporter: ChildServer | undefined
  let client: Pool | undefined
  try {
    const warmStartMs = performance.now()
    let exporterUrl: string
    let exporterPid: number | undefined
    if (target.kind === 'reference') {
      exporter = await spawnChildServer({
        kind: 'exporter',
        options: {
          slurmUrl: mock.url,
          auth: { kind: 'user-token', user: 'root', token: mintToken(DEFAULT_JWT_KEY, 'root', 24 * 3600) },
          collectionMode: 'on-demand',
          // Every scrape collects: the cache (5 s by default) would make most scrapes free, and a
          // sweep measures what one collection costs at each size.
          cacheTtlMs: 0,
          scrapeTimeoutMs: RIG_TIMEOUT_MS,
          requestTimeoutMs: RIG_TIMEOUT_MS,
        },
      })
      exporterUrl = exporter.url
      exporterPid = exporter.pid
    } else {
      exporterUrl = target.url
      exporterPid = await findListeningPid(Number(new URL(target.url).port || 80))
    }
    client = new Pool(exporterUrl, { connections: 1, headersTimeout: RIG_TIMEOUT_MS, bodyTimeout: RIG_TIMEOUT_MS })
    let last = await scrapeOnce(client)
    for (let i = 1; last.failedCollector !== undefined && i < WARMUP_TRIES; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      last = await scrapeOnce(client)
    }
    if (last.failedCollector !== undefined) throw new Error(`collector ${last.failedCollector} still failing after ${WARMUP_TRIES} warm-up scrapes`)
    const warmupMs = performance.now() - warmStartMs
    if (exporterPid !== undefined) await resetPeakRss(exporterPid)
    const cpuBefore = exporterPid === undefined ? undefined : await readCpuSeconds(exporterPid)
    const wcharBefore = await readWrittenBytes(mock.pid)
    const durationsMs: number[] = []
    for (let i = 0; i < scrapes; i++) {
      last = await scrapeOnce(client)
      if (last.failedCollector !== undefined) throw new Error(`collector ${last.failedCollector} failed during the timed scrapes`)
      durationsMs.push(last.durationMs)
    }
    const cpuAfter = exporterPid === undefined ? undefined : await readCpuSeconds(exporterPid)
    const wcharAfter = await readWrittenBytes(mock.pid)
    const memory = exporterPid === undefined ? undefined : await readProcessMemory(exporterPid)
    return {
      shape,
      durationsMs,
      cpuSecondsPerScrape: cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / scrapes,
      peakRssBytes: memory?.peakRssBytes,
      series: last.series,
      responseBytes: last.bytes,
      slurmrestdBytesPerScrape: wcharBefore === undefined || wcharAfter === undefined ? undefined : (wcharAfter - wcharBefore) / scrapes,
      warmupMs,
    }
  } finally {
    await client?.close()
    await exporter?.close()
    await mock.close()
  }
}
