// `capacity recommend`: the projected cluster size through the fitted models to the exporter's
// CPU and memory with headroom, rounded to the Kubernetes steps and capped; replicas; the
// Prometheus TSDB size for the projected series; scrape interval and timeout. Every entry says
// which measurement, model and projection its number came from; a figure without a good model
// gives no number.
import type { CapacityConfig } from './config.ts'
import { type FigurePrediction, type FigureFit, predictFigure } from './fit.ts'
import { storageBytesFor, type ForecastReport } from './forecast.ts'
import { FIGURES } from './sweep.ts'

/** RecommendationResource names one recommendation. */
export type RecommendationResource = 'cpu' | 'memory' | 'replicas' | 'series' | 'storage' | 'scrape-timeout' | 'scrape-interval'

/** Recommendation is one entry of the `recommendations` array. */
export interface Recommendation {
  readonly resource: RecommendationResource
  readonly unit: string
  /** current is the figure at today's cluster size (measured in production, or the model's value there). */
  readonly current: number | null
  /** projected is the figure at the projected cluster size, before headroom. */
  readonly projected: number | null
  /** recommended is the setting, or null when there is nothing sound to base it on. */
  readonly recommended: number | string | null
  /** kubernetes is the setting in Kubernetes quantity form, where one applies. */
  readonly kubernetes?: { readonly requests?: string; readonly limits?: string; readonly replicas?: number }
  readonly why: string
  /** capped: the step's maximum is below what the projection needs. */
  readonly capped: boolean
  /** trace names the inputs: sweep benchmarks, model, forecast query. */
  readonly trace: readonly string[]
}

/** RecommendInput is what a recommendation is built from. */
export interface RecommendInput {
  readonly fits: readonly FigureFit[]
  readonly sweepSource: string
  readonly config: CapacityConfig
  /** currentNodes is today's cluster size. */
  readonly currentNodes: number
  /** projectedNodes per horizon in days; from a forecast or one `--nodes` value for every horizon. */
  projectedNodes(horizonDays: number): { nodes: number; origin: string }
  readonly forecast?: ForecastReport
  /** scrapesPerSecond is the exporter's request rate (forecast, or 1 / scrape interval). */
  readonly scrapesPerSecond: number
}

/** RecommendReport is the JSON `capacity recommend` writes. */
export interface RecommendReport {
  readonly kind: 'slurmbench.capacity-recommendation'
  readonly currentNodes: number
  readonly headroom: number
  readonly recommendations: readonly Recommendation[]
  readonly warnings: readonly string[]
}

const MI = 2 ** 20

function roundUpToStep(value: number, min: number, step: number): number {
  return Math.max(min, min + Math.ceil(Math.max(0, value - min) / step) * step)
}

function figureFit(fits: readonly FigureFit[], figure: string): FigureFit | undefined {
  return fits.find((f) => f.figure === figure)
}

function predictAt(fits: readonly FigureFit[], figure: string, nodes: number): FigurePrediction | { ok: false; reason: string } {
  const fit = figureFit(fits, figure)
  if (fit === undefined) return { ok: false, reason: `the sweep did not measure ${figure} at 3 sizes or more` }
  return predictFigure(fit, nodes)
}

function traceOf(input: RecommendInput, figure: string, p: FigurePrediction, nodesOrigin: string): string[] {
  const fit = figureFit(input.fits, figure)
  const out = [`${input.sweepSource}: ${fit?.benchmarks.join(', ') ?? ''}`]
  if (p.ok) out.push(`model ${p.model} for ${figure} (${fit?.reason ?? ''})`)
  out.push(nodesOrigin)
  return out
}

// The figure at today's cluster size through `convert`, rounded; null without a model there.
function currentFigure(input: RecommendInput, figure: string, convert: (value: number) => number = (value) => value): number | null {
  const p = predictAt(input.fits, figure, input.currentNodes)
  return p.ok ? Math.round(convert(p.prediction.value)) : null
}

// A Kubernetes quantity: `needed` rounded up to the step from the minimum, held at the maximum.
function stepped(needed: number, min: number, step: number, max: number): { rounded: number; capped: boolean; setting: number } {
  const rounded = roundUpToStep(needed, min, step)
  return { rounded, capped: rounded > max, setting: Math.min(rounded, max) }
}

function none(resource: RecommendationResource, unit: string, reason: string, trace: string[]): Recommendation {
  return { resource, unit, current: null, projected: null, recommended: null, why: `no recommendation: ${reason}`, capped: false, trace }
}

function millicores(m: number): string {
  return `${m}m`
}

function mebibytes(bytes: number): string {
  return bytes % 2 ** 30 === 0 ? `${bytes / 2 ** 30}Gi` : `${bytes / MI}Mi`
}

/** recommend builds every recommendation; see docs/capacity.md for the rules. */
export function recommend(input: RecommendInput): RecommendReport {
  const { config } = input
  const h = config.headroom
  const recs: Recommendation[] = []
  const warnings: string[] = []
  const fmtPct = `${Math.round(h * 100)}%`
  const interval = config.prometheus.scrapeIntervalS
  const timeoutBudgetS = interval * config.prometheus.timeoutShareOfInterval

  // CPU: a scrape's CPU must fit the timeout (burst), and the scrape rate's CPU the average.
  const cpuAt = input.projectedNodes(config.resources.cpu.horizonDays)
  const cpuP = predictAt(input.fits, FIGURES.cpuSecondsPerScrape, cpuAt.nodes)
  let limitCores: number | undefined
  let cpuPerScrapeS: number | undefined
  if (!cpuP.ok) recs.push(none('cpu', 'millicores', cpuP.reason, [input.sweepSource]))
  else {
    const k = config.kubernetes.cpu
    cpuPerScrapeS = cpuP.prediction.value
    const averageCores = cpuPerScrapeS * input.scrapesPerSecond
    const burstCores = cpuPerScrapeS / timeoutBudgetS
    const needed = Math.max(averageCores, burstCores) * (1 + h) * 1_000
    const { rounded, capped, setting } = stepped(needed, k.minMillicores, k.stepMillicores, k.maxMillicores)
    limitCores = setting / 1_000
    recs.push({
      resource: 'cpu',
      unit: 'millicores',
      current: currentFigure(input, FIGURES.cpuSecondsPerScrape, (cpuS) => cpuS * input.scrapesPerSecond * 1_000),
      projected: Math.round(Math.max(averageCores, burstCores) * 1_000),
      recommended: setting,
      kubernetes: { requests: millicores(setting), limits: millicores(setting) },
      capped,
      why:
        `${cpuPerScrapeS.toFixed(3)} CPU-s per scrape predicted at ${cpuAt.nodes} nodes (95% interval ${cpuP.prediction.lower.toFixed(3)}–${cpuP.prediction.upper.toFixed(3)}); ` +
        `average ${(averageCores * 1_000).toFixed(0)}m at ${input.scrapesPerSecond.toFixed(3)} scrapes/s, burst ${(burstCores * 1_000).toFixed(0)}m to finish within the ${timeoutBudgetS} s timeout; ` +
        `+${fmtPct} headroom, rounded up to ${k.stepMillicores}m steps from ${k.minMillicores}m` +
        (capped
          ? `; CAPPED at ${k.maxMillicores}m, the projection needs ${rounded}m: the cap is not enough, shard the exporter or lengthen the scrape interval`
          : ''),
      trace: traceOf(input, FIGURES.cpuSecondsPerScrape, cpuP, cpuAt.origin),
    })
    if (cpuP.warning !== undefined) warnings.push(`cpu: ${cpuP.warning}`)
  }

  // Memory: the peak resident set during scrapes, the figure an OOM kill is decided on.
  const memAt = input.projectedNodes(config.resources.memory.horizonDays)
  const memP = predictAt(input.fits, FIGURES.peakRssBytes, memAt.nodes)
  if (!memP.ok) recs.push(none('memory', 'bytes', memP.reason, [input.sweepSource]))
  else {
    const k = config.kubernetes.memory
    const needed = memP.prediction.value * (1 + h)
    const { rounded, capped, setting } = stepped(needed, k.minBytes, k.stepBytes, k.maxBytes)
    recs.push({
      resource: 'memory',
      unit: 'bytes',
      current: currentFigure(input, FIGURES.peakRssBytes),
      projected: Math.round(memP.prediction.value),
      recommended: setting,
      kubernetes: { requests: mebibytes(setting), limits: mebibytes(setting) },
      capped,
      why:
        `peak RSS ${(memP.prediction.value / MI).toFixed(0)} MiB predicted at ${memAt.nodes} nodes (95% interval ${(memP.prediction.lower / MI).toFixed(0)}–${(memP.prediction.upper / MI).toFixed(0)} MiB); ` +
        `+${fmtPct} headroom, rounded up to ${k.stepBytes / MI} MiB steps from ${mebibytes(k.minBytes)}` +
        (capped
          ? `; CAPPED at ${mebibytes(k.maxBytes)}, the projection needs ${mebibytes(rounded)}: the cap is not enough, shard the exporter or drop per-job series`
          : ''),
      trace: traceOf(input, FIGURES.peakRssBytes, memP, memAt.origin),
    })
    if (memP.warning !== undefined) warnings.push(`memory: ${memP.warning}`)
  }

  // Replicas: at least the minimum for availability; more when the scrape rate's CPU needs it.
  const rep = config.kubernetes.replicas
  if (limitCores === undefined || cpuPerScrapeS === undefined) recs.push(none('replicas', 'replicas', 'no CPU model (see cpu)', [input.sweepSource]))
  else {
    const reqAt = input.projectedNodes(config.resources.requests.horizonDays)
    const needed = Math.ceil((input.scrapesPerSecond * cpuPerScrapeS) / (limitCores * (1 - Math.min(h, 0.9))))
    const replicas = Math.min(Math.max(rep.min, needed), rep.max)
    const capped = needed > rep.max
    recs.push({
      resource: 'replicas',
      unit: 'replicas',
      current: null,
      projected: needed,
      recommended: replicas,
      kubernetes: { replicas },
      capped,
      why:
        `${input.scrapesPerSecond.toFixed(3)} scrapes/s × ${cpuPerScrapeS.toFixed(3)} CPU-s each on ${limitCores} cores per replica at ${Math.round((1 - Math.min(h, 0.9)) * 100)}% use needs ${needed}; at least ${rep.min} for availability` +
        (capped
          ? `; CAPPED at ${rep.max} (hard limit ${rep.hardMax}): ${needed > rep.hardMax ? 'beyond the hard limit, shard by partition' : `raise to ${needed} only with review`}`
          : ''),
      trace: [...traceOf(input, FIGURES.cpuSecondsPerScrape, cpuP as FigurePrediction, reqAt.origin)],
    })
  }

  // Series and storage: the TSDB holds every series for the retention.
  const seriesAt = input.projectedNodes(config.resources.series.horizonDays)
  const seriesP = predictAt(input.fits, FIGURES.series, seriesAt.nodes)
  if (!seriesP.ok) {
    recs.push(none('series', 'series', seriesP.reason, [input.sweepSource]))
    recs.push(none('storage', 'bytes', `no series model (${seriesP.reason})`, [input.sweepSource]))
  } else {
    recs.push({
      resource: 'series',
      unit: 'series',
      current: currentFigure(input, FIGURES.series),
      projected: Math.round(seriesP.prediction.value),
      recommended: Math.round(seriesP.prediction.upper),
      capped: false,
      why: `${Math.round(seriesP.prediction.value)} series per scrape predicted at ${seriesAt.nodes} nodes; plan for the interval's upper end ${Math.round(seriesP.prediction.upper)}`,
      trace: traceOf(input, FIGURES.series, seriesP, seriesAt.origin),
    })
    const storeAt = input.projectedNodes(config.resources.storage.horizonDays)
    const storeP = predictAt(input.fits, FIGURES.series, storeAt.nodes) as FigurePrediction
    if (storeP.ok) {
      const bytes = storageBytesFor(storeP.prediction.value, config)
      const withHeadroom = bytes * (1 + h)
      const gib = Math.ceil(withHeadroom / 2 ** 30)
      recs.push({
        resource: 'storage',
        unit: 'bytes',
        current: currentFigure(input, FIGURES.series, (series) => storageBytesFor(series, config)),
        projected: Math.round(bytes),
        recommended: gib * 2 ** 30,
        kubernetes: { requests: `${gib}Gi` },
        capped: false,
        why: `${Math.round(storeP.prediction.value)} series at ${storeAt.nodes} nodes × ${config.prometheus.retentionDays} d retention / ${interval} s interval × ${config.prometheus.bytesPerSample} B per sample, +${fmtPct} headroom, in whole GiB (Prometheus TSDB volume)`,
        trace: traceOf(input, FIGURES.series, storeP, storeAt.origin),
      })
    }
  }

  // Scrape timeout and interval: the scrape must finish inside the timeout at the projected size.
  const latP = predictAt(input.fits, FIGURES.p95Ms, cpuAt.nodes)
  if (!latP.ok) {
    recs.push(none('scrape-timeout', 'seconds', latP.reason, [input.sweepSource]))
    recs.push(none('scrape-interval', 'seconds', latP.reason, [input.sweepSource]))
  } else {
    const p95S = latP.prediction.upper / 1_000
    const timeoutS = Math.max(10, Math.ceil(p95S * (1 + h)))
    const share = config.prometheus.timeoutShareOfInterval
    const intervalS = Math.max(interval, Math.ceil(timeoutS / share / 15) * 15)
    const current = predictAt(input.fits, FIGURES.p95Ms, input.currentNodes)
    const trace = traceOf(input, FIGURES.p95Ms, latP, cpuAt.origin)
    recs.push({
      resource: 'scrape-timeout',
      unit: 'seconds',
      current: current.ok ? Number((current.prediction.value / 1_000).toFixed(3)) : null,
      projected: Number((latP.prediction.value / 1_000).toFixed(3)),
      recommended: timeoutS,
      capped: false,
      why: `p95 scrape ${(latP.prediction.value / 1_000).toFixed(2)} s predicted at ${cpuAt.nodes} nodes, interval upper end ${p95S.toFixed(2)} s, +${fmtPct} headroom, at least 10 s (Prometheus's default)`,
      trace,
    })
    recs.push({
      resource: 'scrape-interval',
      unit: 'seconds',
      current: interval,
      projected: intervalS,
      recommended: intervalS,
      capped: false,
      why:
        intervalS === interval
          ? `the ${timeoutS} s timeout fits within ${Math.round(share * 100)}% of the configured ${interval} s interval`
          : `a ${timeoutS} s timeout does not fit within ${Math.round(share * 100)}% of ${interval} s; lengthen the interval to ${intervalS} s (multiples of 15 s) or switch the exporter to background collection`,
      trace,
    })
  }
  return { kind: 'slurmbench.capacity-recommendation', currentNodes: input.currentNodes, headroom: h, recommendations: recs, warnings }
}
