// One collection: every enabled collector concurrently, under one deadline. The collection mode
// says when collections run: per scrape (concurrent scrapes share the one in flight, and an
// optional TTL serves a recent one again), on their own clock in the background, or `auto`: per
// scrape while collections are fast, in the background from the first slow one on.

import type { CollectContext, Collector, CollectorName, CollectorSettings } from './collector.ts'
import { CollectorHealth, type CollectorRecovery, DeadlineError, type NotReadyCollector } from './collector-health.ts'
import { serializeFamilies, type ExpositionFormat } from './exposition.ts'
import { deflatePrefix, gzipBody, type DeflatedPrefix } from './gzip-body.ts'
import type { MetricFamily } from './metric-family.ts'
import { answerFamilies, SelfMetrics, type EffectiveMode } from './self-metrics.ts'
import { SeriesSink, type SeriesPolicy } from './series-policy.ts'
import type { RequestProgress, SlurmClient } from './slurm-client.ts'

export type { EffectiveMode } from './self-metrics.ts'

/**
 * CollectionMode is when collections run. `on-demand`: each scrape collects (concurrent scrapes
 * share one). `background`: collections follow one another with a pause, and every scrape is
 * answered from the latest complete one (SchedMD's slurm-exporter does the same with its
 * CacheSyncPeriod). `auto`: on demand while collections are fast, background once one takes
 * more than AUTO_BACKGROUND_SHARE of the scrape deadline.
 */
export type CollectionMode = 'auto' | 'on-demand' | 'background'

/** COLLECTION_MODES lists the modes, the default first. */
export const COLLECTION_MODES: readonly CollectionMode[] = ['auto', 'on-demand', 'background']

/**
 * AUTO_BACKGROUND_SHARE is the share of the scrape deadline a collection may take before auto
 * mode collects in the background. At half the deadline an on-demand scrape has no room left
 * for what routinely makes a collection longer: a retried request (a second attempt as long as
 * the first), or slurmctld or this process being twice as busy. Past it, the next scrape would
 * risk losing collectors to the deadline; from the background it is answered at once. With the
 * default 10 s deadline (Prometheus's scrape_timeout) the switch comes at 5 s.
 */
export const AUTO_BACKGROUND_SHARE = 0.5

/**
 * DEFAULT_REFRESH_INTERVAL_MS is the shortest default pause between background collections (the
 * default pause is the cache TTL): a second, so that slurmrestd's other clients get a turn between
 * two long answers.
 */
export const DEFAULT_REFRESH_INTERVAL_MS = 1_000

/**
 * DEFAULT_BACKGROUND_TIMEOUT_MS bounds one background collection. No scrape waits for it, so it
 * is not the scrape deadline: 100,000 jobs take about 15 s and 500,000 about 80 s on a busy
 * 2-core machine; five minutes leaves room for that and still ends a hung collection, while the
 * client's idle limits (--request-timeout) end an answer that stops arriving much sooner.
 */
export const DEFAULT_BACKGROUND_TIMEOUT_MS = 300_000

/**
 * DEFAULT_CACHE_TTL_MS is how long an on-demand collection answers further scrapes. Production
 * exporters do the same (SchedMD's slurm-exporter caches between syncs; node_exporter-style
 * exporters behind several Prometheus servers are scraped in bursts): an HA pair of Prometheus
 * servers, a federation, a dashboard or a load test asking at once or back to back must not each
 * cost a full read of slurmrestd. Five seconds is a third of the shortest usual scrape interval
 * (15 s), so a Prometheus server scraping on its own schedule still gets a new collection at every
 * scrape; only scrapes closer together than 5 s share one. Once the TTL has passed, the next
 * scrape collects and waits for it, while scrapes arriving during that collection get the previous
 * one at once. The data served is then at most TTL + one collection old
 * (slurm_exporter_collection_age_seconds shows it); `--cache-ttl 0` collects on every scrape that
 * finds no collection in flight.
 */
export const DEFAULT_CACHE_TTL_MS = 5_000

/** ModeSwitch is auto mode's move to background collection, as reported to onModeSwitch. */
export interface ModeSwitch {
  /** CollectionMs is how long the collection that triggered the switch took. */
  readonly collectionMs: number
  /** ThresholdMs is AUTO_BACKGROUND_SHARE of the scrape deadline. */
  readonly thresholdMs: number
  /** RefreshIntervalMs is the pause between the background collections that follow. */
  readonly refreshIntervalMs: number
}

/** CollectionOptions configures the collection loop. */
export interface CollectionOptions {
  readonly client: SlurmClient
  readonly collectors: readonly Collector[]
  readonly policy: SeriesPolicy
  readonly settings: CollectorSettings
  /** The scrape deadline: after it, an on-demand collection's unfinished collectors are abandoned and counted as failed. */
  readonly deadlineMs: number
  /** Serve an on-demand collection again for this long; 0 collects on every scrape that finds none in flight. */
  readonly cacheTtlMs: number
  readonly mode: CollectionMode
  /** Pause between background collections. */
  readonly refreshIntervalMs: number
  /** Deadline of a background collection (and of each of its requests). */
  readonly backgroundTimeoutMs: number
  /**
   * Called when a collector starts failing or fails for another reason than its last run (the
   * CLI logs it): one line per change of state, not one per run.
   */
  readonly onCollectorError?: (collector: CollectorName, error: Error) => void
  /** Called when a failing collector succeeds again. */
  readonly onCollectorRecovered?: (recovery: CollectorRecovery) => void
  /** Called once, when auto mode moves to background collection (the CLI logs it). */
  readonly onModeSwitch?: (event: ModeSwitch) => void
}

/** Snapshot is the outcome of one collection, serialized lazily once per format. */
export class Snapshot {
  private readonly serialized = new Map<ExpositionFormat, Buffer[]>()
  private readonly deflatedByFormat = new Map<ExpositionFormat, Promise<DeflatedPrefix>>()
  /** Served says whether a scrape has been answered from this snapshot. */
  served = false

  constructor(
    /** Families is every collected family in exposition order, then the collection's self-metrics. */
    readonly families: readonly MetricFamily[],
    /** StartedAtMs is when the collection began (performance.now() clock). */
    readonly startedAtMs: number,
    /** TakenAtMs is when the collection finished (performance.now() clock). */
    readonly takenAtMs: number,
  ) {}

  /** chunks returns the families in `format` as UTF-8 chunks without OpenMetrics' `# EOF`, serialized on first use. */
  chunks(format: ExpositionFormat): Buffer[] {
    let chunks = this.serialized.get(format)
    if (chunks === undefined) {
      chunks = serializeFamilies(this.families, format, false)
      this.serialized.set(format, chunks)
    }
    return chunks
  }

  /** deflated returns the families in `format` deflated for gzip answers (gzip-body.ts), compressed on first use. */
  deflated(format: ExpositionFormat): Promise<DeflatedPrefix> {
    let deflated = this.deflatedByFormat.get(format)
    if (deflated === undefined) {
      deflated = deflatePrefix(Buffer.concat(this.chunks(format)))
      this.deflatedByFormat.set(format, deflated)
    }
    return deflated
  }
}

/** CollectionLoop hands out snapshots: the latest background one, the cached one, the one in flight, or a new one. */
export class CollectionLoop {
  private readonly selfMetrics: SelfMetrics
  private readonly health: CollectorHealth
  // The credentials the last collection sent (see SlurmClient.credentialsKey).
  private credentialsKey: string | undefined
  /** The client of background collections: their requests may stream for as long as the collection may last. */
  private readonly backgroundClient: SlurmClient
  /** Auto mode's switch point, AUTO_BACKGROUND_SHARE of the scrape deadline. */
  private readonly thresholdMs: number
  private readonly stopping = new AbortController()
  private inFlight: Promise<Snapshot> | undefined
  private last: Snapshot | undefined
  private effective: EffectiveMode
  private refreshTimer: NodeJS.Timeout | undefined
  /** Collections counts collections actually started (scrapes that shared one do not count). */
  collections = 0

  constructor(private readonly options: CollectionOptions) {
    this.selfMetrics = new SelfMetrics(
      options.collectors.map((c) => c.name),
      options.client.warningsByEndpoint,
    )
    this.health = new CollectorHealth(options.collectors.map((c) => c.name))
    this.backgroundClient = options.client.withAttemptLimit(options.backgroundTimeoutMs)
    this.thresholdMs = options.deadlineMs * AUTO_BACKGROUND_SHARE
    this.effective = options.mode === 'background' ? 'background' : 'on-demand'
  }

  /** mode is how collections run now; auto mode starts on demand. */
  get mode(): EffectiveMode {
    return this.effective
  }

  /**
   * start begins background collection, or in auto mode one collection now so that the first
   * scrape finds data (or finds it in flight); that collection also tells auto mode whether
   * collections are slow before any scrape has to wait for one.
   */
  start(): void {
    if (this.effective === 'background') void this.refresh()
    else if (this.options.mode === 'auto') void this.shared('on-demand')
  }

  /** stop ends background collection and abandons the collection in flight, without reporting its collectors as failed. */
  stop(): void {
    clearTimeout(this.refreshTimer)
    this.stopping.abort(new Error('exporter stopping'))
  }

  /**
   * notReady lists the enabled collectors whose last run failed or that have not succeeded yet.
   * Before any collector has run, it collects first (as a scrape would), so that a readiness
   * probe never waits for a scrape that a not-ready exporter would not get.
   */
  async notReady(): Promise<NotReadyCollector[]> {
    if (!this.health.ran()) await (this.effective === 'background' && this.inFlight === undefined ? this.shared('background') : this.snapshot())
    return this.health.notReady()
  }

  /**
   * exposition answers one scrape: the snapshot's families, then the per-answer ones (data age,
   * mode, process); with `gzip`, as one gzip body whose families part is compressed once per snapshot.
   */
  async exposition(format: ExpositionFormat, gzip = false): Promise<Buffer[]> {
    const snapshot = await this.snapshot()
    const deflated = gzip ? await snapshot.deflated(format) : undefined
    const nowMs = performance.now()
    const tail = serializeFamilies(
      answerFamilies({
        ageS: Math.round(nowMs - snapshot.startedAtMs) / 1000,
        durationS: Math.round(snapshot.takenAtMs - snapshot.startedAtMs) / 1000,
        mode: this.effective,
      }),
      format,
    )
    if (deflated !== undefined) return gzipBody(deflated, Buffer.concat(tail))
    return [...snapshot.chunks(format), ...tail]
  }

  // The snapshot a scrape is answered from, collecting only when the mode says so.
  private async snapshot(): Promise<Snapshot> {
    const snapshot = this.effective === 'background' && this.last !== undefined ? this.last : await this.onDemand()
    snapshot.served = true
    return snapshot
  }

  private onDemand(): Promise<Snapshot> {
    const { last } = this
    if (last !== undefined) {
      const ageMs = performance.now() - last.takenAtMs
      if (this.options.cacheTtlMs > 0) {
        if (ageMs < this.options.cacheTtlMs) return Promise.resolve(last)
        // The TTL has passed and the scrape that noticed it is collecting: the scrapes that arrive
        // meanwhile get the previous collection at once rather than queue behind the new one (its
        // age stays under the TTL plus one collection). The scrape that started it waits, so a
        // Prometheus server scraping less often than the TTL always gets a new collection.
        if (this.inFlight !== undefined && ageMs < this.options.cacheTtlMs + this.options.deadlineMs) return Promise.resolve(last)
      }
      // Auto mode's start-up collection serves the first scrape while it is no staler than an
      // on-demand answer may be (a collection under the threshold).
      if (!last.served && ageMs < this.thresholdMs) return Promise.resolve(last)
    }
    return this.shared('on-demand')
  }

  private shared(kind: EffectiveMode): Promise<Snapshot> {
    if (this.inFlight === undefined) {
      this.inFlight = this.collect(kind).finally(() => {
        this.inFlight = undefined
      })
    }
    return this.inFlight
  }

  private async refresh(): Promise<void> {
    await this.shared('background').catch(() => {})
    this.scheduleRefresh()
  }

  private scheduleRefresh(): void {
    if (this.stopping.signal.aborted) return
    this.refreshTimer = setTimeout(() => void this.refresh(), this.options.refreshIntervalMs)
    this.refreshTimer.unref()
  }

  private switchToBackground(collectionMs: number): void {
    this.effective = 'background'
    this.options.onModeSwitch?.({ collectionMs, thresholdMs: this.thresholdMs, refreshIntervalMs: this.options.refreshIntervalMs })
    this.scheduleRefresh()
  }

  private async collect(kind: EffectiveMode): Promise<Snapshot> {
    this.collections++
    const background = kind === 'background'
    const deadlineMs = background ? this.options.backgroundTimeoutMs : this.options.deadlineMs
    const client = background ? this.backgroundClient : this.options.client
    const controller = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new DeadlineError(`${background ? 'background collection' : 'scrape'} deadline of ${deadlineMs} ms passed`)
        controller.abort(error)
        reject(error)
      }, deadlineMs)
    })
    // A rejection nobody awaits (when every collector finishes first) must not crash the process.
    deadline.catch(() => {})
    const signal = AbortSignal.any([controller.signal, this.stopping.signal])
    const startedAtMs = performance.now()
    const nowS = Date.now() / 1000
    try {
      // With --api-version auto the first collection finds the version; until it is found, every
      // collector fails with the probe's error (and the next collection probes again).
      const versionFound = this.options.client.resolveApiVersion(signal).then(() => undefined)
      versionFound.catch(() => {})
      // A token rotated while collectors back off after 401/511s must be tried at once, not after
      // the backoff: a scrape right after the rotation should find the cluster again.
      const credentialsKey = await this.options.client.credentialsKey()
      if (credentialsKey !== this.credentialsKey) {
        if (this.credentialsKey !== undefined) this.health.retryNow()
        this.credentialsKey = credentialsKey
      }
      const runs = await Promise.all(this.options.collectors.map((collector) => this.runCollector(collector, client, signal, deadline, nowS, versionFound)))
      const families: MetricFamily[] = []
      const seriesByFamily = new Map<string, number>()
      const droppedByFamily = new Map<string, number>()
      // Auto mode judges a collection by its collectors that worked: a collector that failed (a
      // 502 after slurmctld's 9 s, a hung request) says nothing of how long data takes to read,
      // so one outage no longer moves the exporter to background collection for good. A collector
      // cut off at the deadline while its answer was still streaming did work, slowly: it counts.
      let slowestWorkingMs = 0
      for (const run of runs) if (run.workingMs > slowestWorkingMs) slowestWorkingMs = run.workingMs
      for (const { sink } of runs) {
        if (sink === undefined) continue
        for (const writer of sink.familyWriters) {
          families.push(writer.family)
          seriesByFamily.set(writer.family.name, writer.family.values.length)
          if (writer.dropped > 0) droppedByFamily.set(writer.family.name, writer.dropped)
        }
      }
      this.selfMetrics.recordSeries(seriesByFamily, droppedByFamily)
      const snapshot = new Snapshot([...families, ...this.selfMetrics.families()], startedAtMs, performance.now())
      this.last = snapshot
      if (this.options.mode === 'auto' && this.effective === 'on-demand' && slowestWorkingMs > this.thresholdMs && !this.stopping.signal.aborted) {
        this.switchToBackground(slowestWorkingMs)
      }
      return snapshot
    } finally {
      clearTimeout(timer)
    }
  }

  // One collector's run: skipped while it backs off after failures, else read and recorded.
  // `workingMs` is how long it worked when it succeeded or was cut off mid-answer, else 0.
  private async runCollector(
    collector: Collector,
    client: SlurmClient,
    signal: AbortSignal,
    deadline: Promise<never>,
    nowS: number,
    versionFound: Promise<void>,
  ): Promise<{ sink: SeriesSink | undefined; workingMs: number }> {
    if (!this.health.due(collector.name)) return { sink: undefined, workingMs: 0 }
    const sink = new SeriesSink(this.options.policy)
    const progress: RequestProgress = { answering: false }
    const context: CollectContext = { client: client.withProgress(progress), signal, sink, settings: this.options.settings, nowS }
    const startMs = performance.now()
    try {
      await Promise.race([versionFound.then(() => collector.collect(context)), deadline])
      const durationMs = performance.now() - startMs
      this.selfMetrics.record({ collector: collector.name, durationS: durationMs / 1000, ok: true })
      const recovery = this.health.succeeded(collector.name)
      if (recovery !== undefined) this.options.onCollectorRecovered?.(recovery)
      return { sink, workingMs: durationMs }
    } catch (error) {
      // A collection abandoned because the exporter is closing is not a failure of slurmrestd.
      if (this.stopping.signal.aborted) return { sink: undefined, workingMs: 0 }
      const durationMs = performance.now() - startMs
      this.selfMetrics.record({ collector: collector.name, durationS: durationMs / 1000, ok: false })
      const failure = error instanceof Error ? error : new Error(String(error))
      // Cut off while its answer streamed: slurmrestd works, the cluster is large; no backoff.
      const answering = error instanceof DeadlineError && progress.answering
      const change = this.health.failed(collector.name, failure, !answering)
      if (change !== undefined) this.options.onCollectorError?.(collector.name, failure)
      return { sink: undefined, workingMs: answering ? durationMs : 0 }
    }
  }
}
