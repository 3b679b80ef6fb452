// The reference Slurm exporter: `startExporter({ slurmUrl }) → { url, close }`.

import { COLLECTOR_NAMES, type CollectorName } from './collector.ts'
import {
  CollectionLoop,
  DEFAULT_BACKGROUND_TIMEOUT_MS,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_REFRESH_INTERVAL_MS,
  type CollectionMode,
  type EffectiveMode,
  type ModeSwitch,
} from './collection.ts'
import { COLLECTORS } from './collectors/index.ts'
import type { CollectorRecovery } from './collector-health.ts'
import type { RegexEngine } from './regex-engine.ts'
import { SeriesPolicy, type LabelRule } from './series-policy.ts'
import { createExporterServer } from './server.ts'
import { SlurmClient, type SlurmClientOptions } from './slurm-client.ts'
import { listen } from '../../common/listen.ts'
import { observeGc } from './gc-metrics.ts'

export { COLLECTOR_NAMES, type CollectorName } from './collector.ts'
export { SLURM_API_VERSIONS, type ApiVersionChoice, type SlurmApiVersion, type SlurmAuth } from './slurm-client.ts'
export { DEFAULT_JWT_LIFESPAN_S } from './slurm-auth.ts'
export type { LabelRule } from './series-policy.ts'
export { AUTO_BACKGROUND_SHARE, COLLECTION_MODES } from './collection.ts'
export { DEFAULT_BACKGROUND_TIMEOUT_MS, DEFAULT_CACHE_TTL_MS, DEFAULT_REFRESH_INTERVAL_MS, type CollectionMode, type EffectiveMode, type ModeSwitch }
export type { RegexEngine } from './regex-engine.ts'
export type { CollectorRecovery, NotReadyCollector } from './collector-health.ts'

/** ExporterOptions configures startExporter; only slurmUrl is required. SlurmClientOptions' members say how it reads slurmrestd. */
export interface ExporterOptions extends Omit<SlurmClientOptions, 'url'> {
  /** Base URL of slurmrestd, e.g. http://127.0.0.1:6820. */
  readonly slurmUrl: string
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string
  /** Port to listen on (default 0: any free port; see the returned url). */
  readonly port?: number
  /** Collectors to run (default all). */
  readonly collectors?: readonly CollectorName[]
  /** Per-node series (default true). */
  readonly perNodeSeries?: boolean
  /** Per-job series, the high-cardinality case (default false). */
  readonly perJobSeries?: boolean
  /** A scrape answers within this time; collectors still running are counted as failed (default 10 s). */
  readonly scrapeTimeoutMs?: number
  /** Serve an on-demand collection again for this long (default DEFAULT_CACHE_TTL_MS, 5 s; 0: every scrape collects, concurrent ones share). */
  readonly cacheTtlMs?: number
  /**
   * When collections run (default `auto`, or `background` when refreshIntervalMs is above 0):
   * `on-demand` per scrape; `background` back to back, scrapes answered from the latest;
   * `auto` on demand until a collection takes more than half the scrape timeout, then background.
   */
  readonly collectionMode?: CollectionMode
  /** Pause between background collections (default the cache TTL, at least 1 s); above 0 without collectionMode, it selects background mode. */
  readonly refreshIntervalMs?: number
  /** Deadline of one background collection and of each of its requests (default 5 min). */
  readonly backgroundTimeoutMs?: number
  /** Metric-name patterns to keep / drop, anchored. */
  readonly allow?: readonly string[]
  readonly deny?: readonly string[]
  readonly labelRules?: readonly LabelRule[]
  /** Most series per family (default 500,000; 0 for no limit). */
  readonly maxSeriesPerFamily?: number
  /** Pattern engine for allow/deny and label rules (default re2). */
  readonly regexEngine?: RegexEngine
  /** Called when a collector starts failing, or fails for another reason than its last run (once per change, not per run). */
  readonly onCollectorError?: (collector: CollectorName, error: Error) => void
  /** Called when a failing collector succeeds again. */
  readonly onCollectorRecovered?: (recovery: CollectorRecovery) => void
  /** Called once, when auto mode moves to background collection. */
  readonly onModeSwitch?: (event: ModeSwitch) => void
}

/** RunningExporter is a started exporter. */
export interface RunningExporter {
  /** Base URL, e.g. http://127.0.0.1:9341 (append /metrics). */
  readonly url: string
  /** Collections counts collections started so far (scrapes that shared one count once). */
  readonly collections: () => number
  /** Mode is how collections run now (auto mode starts on demand). */
  readonly mode: () => EffectiveMode
  /** close stops listening and closes the connections to slurmrestd. */
  close(): Promise<void>
}

/** DEFAULT_SCRAPE_TIMEOUT_MS matches Prometheus's default scrape_timeout. */
export const DEFAULT_SCRAPE_TIMEOUT_MS = 10_000

/** startExporter starts the exporter's HTTP server and resolves once it listens. */
export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const client = new SlurmClient({ ...options, url: options.slurmUrl })
  const loop = new CollectionLoop({
    client,
    collectors: (options.collectors ?? COLLECTOR_NAMES).map((name) => COLLECTORS[name]),
    policy: new SeriesPolicy(options),
    settings: { perNodeSeries: options.perNodeSeries ?? true, perJobSeries: options.perJobSeries ?? false },
    deadlineMs: options.scrapeTimeoutMs ?? DEFAULT_SCRAPE_TIMEOUT_MS,
    cacheTtlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    mode: options.collectionMode ?? ((options.refreshIntervalMs ?? 0) > 0 ? 'background' : 'auto'),
    // Unset, background collections pause for the cache TTL: data is then at most TTL + one
    // collection old in either mode, and a slow collection (auto mode's reason to go to the
    // background) does not keep the process busy back to back.
    refreshIntervalMs: options.refreshIntervalMs || Math.max(DEFAULT_REFRESH_INTERVAL_MS, options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS),
    backgroundTimeoutMs: options.backgroundTimeoutMs ?? DEFAULT_BACKGROUND_TIMEOUT_MS,
    onCollectorError: options.onCollectorError,
    onCollectorRecovered: options.onCollectorRecovered,
    onModeSwitch: options.onModeSwitch,
  })
  const server = createExporterServer(loop)
  const { url } = await listen(server, options.port, options.host)
  loop.start()
  const stopGcObserver = observeGc()
  return {
    url,
    collections: () => loop.collections,
    mode: () => loop.mode,
    async close() {
      stopGcObserver()
      loop.stop()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await client.close()
    },
  }
}
