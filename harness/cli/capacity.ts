// `slurmbench capacity sweep|fit|forecast|recommend|simulate`: capacity planning from
// measurements. The engines live in harness/capacity; this file parses flags, does the I/O and
// maps exit codes. See docs/capacity.md.
import { InputError } from '../../common/input-error.ts'
import { readInputText } from '../../common/read-input.ts'
import { type CapacityConfig, RESOURCES, type Resource, readCapacityConfig, SCENARIOS, type ScenarioName } from '../capacity/config.ts'
import { fitFigures, holdoutCheck, sweepPoints } from '../capacity/fit.ts'
import { type ForecastMethod, type ForecastReport, forecastHistory, type History, type SeriesKind } from '../capacity/forecast.ts'
import { parseHistoryCsv } from '../capacity/history-csv.ts'
import { DEFAULT_SELECTOR, readPrometheusHistory } from '../capacity/prometheus-source.ts'
import { recommend } from '../capacity/recommend.ts'
import { runSimulation } from '../capacity/simulate.ts'
import { DEFAULT_SIZES, parseSizes, QUICK_SIZES, runSweep } from '../capacity/sweep.ts'
import { measureSize, type RigTarget } from '../capacity/sweep-rig.ts'
import { renderKustomizePatch } from '../report/capacity-kustomize.ts'
import { renderRecommendHtml, renderRecommendMarkdown } from '../report/capacity-markdown.ts'
import { renderFitsText, renderForecastText, renderHoldoutText, renderRecommendText, renderSimulationText } from '../report/capacity-text.ts'
import { readResults, writeResults } from '../results/json.ts'
import { collectEnvironment } from '../run/environment.ts'
import { type Command, EXIT_FAILED, EXIT_OK } from './command.ts'
import { type FlagSpecs, printUsage, type ParsedArgs, parseArgs, UsageError } from './flags.ts'

const FLAGS: FlagSpecs = {
  config: { kind: 'string', valueName: 'file', help: 'horizons, thresholds, steps, scenarios (default: benchmarks/capacity/capacity.json values)' },
  sizes: { kind: 'string', valueName: 'n,n,...', help: 'sweep: node counts (default 100,300,1000,3000,10000,30000,50000; 10k = 10000)' },
  quick: { kind: 'boolean', help: 'sweep: the small CI sizes 100,200,400,800' },
  scrapes: { kind: 'integer', valueName: 'n', help: 'sweep, simulate: timed scrapes per size (default 5)' },
  target: { kind: 'string', valueName: 'url', help: 'sweep: measure the exporter at this URL (it must read the mock at --mock-port)' },
  'mock-port': { kind: 'integer', valueName: 'port', help: 'sweep with --target: the port the mock listens on, restarted per size' },
  o: { kind: 'string', valueName: 'file', aliases: ['output'], help: 'write the output here (default: stdout)' },
  format: {
    kind: 'string',
    valueName: 'fmt',
    help: 'fit, forecast, simulate: text|json (default text); recommend: json|text|markdown|html|kustomize (default json)',
  },
  'max-nodes': { kind: 'integer', valueName: 'n', help: 'fit: fit only the sizes up to n nodes' },
  holdout: { kind: 'integer', valueName: 'n', help: 'fit: fit the sizes up to n nodes and compare predictions with every larger size measured' },
  prometheus: { kind: 'string', valueName: 'url', help: 'forecast: read the history from this Prometheus (HTTP API)' },
  csv: { kind: 'string', valueName: 'file', help: 'forecast: read the history from a CSV (timestamp,cpu,memory,series,requests,nodes,jobs)' },
  selector: { kind: 'string', valueName: 'sel', help: `forecast: label selector of the exporter's series (default ${DEFAULT_SELECTOR})` },
  days: { kind: 'number', valueName: 'd', help: 'forecast: days of history to read from Prometheus (default 90)' },
  step: { kind: 'integer', valueName: 's', help: 'forecast: query step in seconds (default 3600)' },
  end: { kind: 'string', valueName: 'time', help: 'forecast: end of the history, ISO 8601 (default now)' },
  method: { kind: 'string', valueName: 'm', help: "forecast: linear (least-squares trend, default) or holt (Holt's linear method)" },
  resources: { kind: 'string', valueName: 'list', help: `forecast: resources to project (default ${RESOURCES.join(',')})` },
  sweep: { kind: 'string', valueName: 'file', help: 'recommend, simulate: the capacity sweep results file the models are fitted to' },
  forecast: {
    kind: 'string',
    valueName: 'file',
    help: 'recommend, simulate: a forecast JSON (capacity forecast -format json) for the projected and current cluster size',
  },
  nodes: { kind: 'integer', valueName: 'n', help: 'recommend: the projected cluster size for every horizon (instead of -forecast)' },
  'current-nodes': { kind: 'integer', valueName: 'n', help: "recommend, simulate: today's cluster size (default: the forecast's)" },
  scenario: { kind: 'string', valueName: 'name', help: `simulate: ${SCENARIOS.join('|')} (monthly growth from the config)` },
  deployment: { kind: 'string', valueName: 'name', help: 'recommend -format kustomize: the Deployment (default slurm-exporter)' },
  container: { kind: 'string', valueName: 'name', help: 'recommend -format kustomize: the container (default slurm-exporter)' },
  namespace: { kind: 'string', valueName: 'ns', help: 'recommend -format kustomize: the namespace (default: none in the patch)' },
}

const SYNOPSIS = 'slurmbench capacity sweep|fit|forecast|recommend|simulate [flags]'
const DESCRIPTION = `Capacity planning from measurements (docs/capacity.md).

  capacity sweep                 measure the exporter at a range of cluster sizes; writes a results document
  capacity fit SWEEP.json        a scaling model per figure, chosen by leave-one-out error; -holdout N checks it
  capacity forecast              project each resource over its horizon from Prometheus or a CSV; flag growth
  capacity recommend             Kubernetes requests/limits, replicas, TSDB storage, scrape interval/timeout
  capacity simulate              grow the cluster per scenario, measure the exporter there, compare with the models

Bad or missing input (an empty history, Prometheus down, a series that does not exist, fewer than
3 sizes) exits 2 with a message and builds no recommendation.`

// Progress goes to stderr as plain lines: one per size, so CI logs read the same as a terminal.
function progress(line: string): void {
  process.stderr.write(`${line}\n`)
}

function positiveInteger(args: ParsedArgs, flag: string, fallback: number): number {
  const value = (args.flags[flag] as number | undefined) ?? fallback
  if (value < 1) throw new UsageError(`flag -${flag}: found ${value}, expected at least 1`)
  return value
}

function choice<T extends string>(args: ParsedArgs, flag: string, allowed: readonly T[], fallback: T): T {
  const value = (args.flags[flag] as string | undefined) ?? fallback
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`flag -${flag}: "${value}" is not one of ${allowed.join(', ')}`)
  return value as T
}

async function emit(args: ParsedArgs, text: string): Promise<void> {
  const output = args.flags.o as string | undefined
  if (output === undefined) process.stdout.write(text)
  else {
    const { writeFileAtomic } = await import('../results/atomic-file.ts')
    await writeFileAtomic(output, text)
  }
}

async function readJsonFile(path: string, flag: string): Promise<unknown> {
  const text = await readInputText(path, { label: `-${flag} ${path}` })
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new InputError(`-${flag} ${path}: not JSON (${(err as Error).message})`)
  }
}

async function readSweep(path: string | undefined, flag: string) {
  if (path === undefined) throw new UsageError(`-${flag} is required: the capacity sweep results file`)
  return sweepPoints(await readResults(path), path)
}

async function fitCommand(args: ParsedArgs, files: readonly string[]): Promise<number> {
  if (files.length !== 1) throw new UsageError(`capacity fit takes one sweep results file (found ${files.length})`)
  const file = files[0] as string
  const format = choice(args, 'format', ['text', 'json'] as const, 'text')
  const points = await readSweep(file, 'sweep')
  const holdout = args.flags.holdout as number | undefined
  if (holdout !== undefined) {
    const rows = holdoutCheck(points, file, holdout)
    await emit(
      args,
      format === 'json'
        ? `${JSON.stringify({ kind: 'slurmbench.capacity-holdout', fitMaxNodes: holdout, rows }, null, 2)}\n`
        : renderHoldoutText(rows, holdout),
    )
    return EXIT_OK
  }
  const fits = fitFigures(points, file, (args.flags['max-nodes'] as number | undefined) ?? Number.POSITIVE_INFINITY)
  const json = fits.map(({ model: _model, ...rest }) => rest)
  await emit(
    args,
    format === 'json' ? `${JSON.stringify({ kind: 'slurmbench.capacity-fit', source: file, figures: json }, null, 2)}\n` : renderFitsText(fits, file),
  )
  return EXIT_OK
}

function parseResources(text: string | undefined): Resource[] {
  if (text === undefined) return [...RESOURCES]
  const out: Resource[] = []
  for (const part of text.split(',')) {
    const name = part.trim()
    if (!(RESOURCES as readonly string[]).includes(name)) throw new UsageError(`flag -resources: "${name}" is not one of ${RESOURCES.join(', ')}`)
    out.push(name as Resource)
  }
  return out
}

async function forecast(args: ParsedArgs): Promise<number> {
  const config = await readCapacityConfig(args.flags.config as string | undefined)
  const format = choice(args, 'format', ['text', 'json'] as const, 'text')
  const method = choice<ForecastMethod>(args, 'method', ['linear', 'holt'], 'linear')
  const resources = parseResources(args.flags.resources as string | undefined)
  const prometheus = args.flags.prometheus as string | undefined
  const csv = args.flags.csv as string | undefined
  if ((prometheus === undefined) === (csv === undefined)) throw new UsageError('give one history source: -prometheus URL or -csv FILE')
  let history: History
  if (csv !== undefined) {
    history = parseHistoryCsv(await readInputText(csv, { label: `-csv ${csv}` }), csv)
  } else {
    const endText = args.flags.end as string | undefined
    const endS = endText === undefined ? Date.now() / 1_000 : Date.parse(endText) / 1_000
    if (!Number.isFinite(endS)) throw new UsageError(`flag -end: "${endText}" is not an ISO 8601 time`)
    const days = (args.flags.days as number | undefined) ?? 90
    const step = (args.flags.step as number | undefined) ?? 3_600
    if (days <= 0 || step < 1) throw new UsageError('flags -days and -step must be positive')
    const kinds = new Set<SeriesKind>(['nodes', 'jobs'])
    for (const r of resources) kinds.add(r === 'storage' ? 'series' : r)
    history = await readPrometheusHistory(prometheus as string, (args.flags.selector as string | undefined) ?? DEFAULT_SELECTOR, days, step, endS, [...kinds])
  }
  const report = forecastHistory(history, config, method, resources)
  await emit(args, format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderForecastText(report))
  return EXIT_OK
}

function clusterFrom(report: ForecastReport, source: string) {
  const nodes = report.cluster.filter((c) => c.resource === 'nodes')
  if (nodes.length === 0) throw new InputError(`-forecast ${source}: no node count projection (the history had no nodes series)`)
  return {
    current: Math.round((nodes[0] as (typeof nodes)[number]).current),
    at(horizonDays: number) {
      const hit = nodes.find((n) => n.horizonDays === horizonDays) ?? (nodes[nodes.length - 1] as (typeof nodes)[number])
      return { nodes: Math.max(1, Math.round(hit.projected.value)), origin: `forecast ${source}: nodes in ${hit.horizonDays} d (${hit.origin})` }
    },
  }
}

async function readForecast(path: string): Promise<ForecastReport> {
  const doc = (await readJsonFile(path, 'forecast')) as ForecastReport
  if (doc?.kind !== 'slurmbench.capacity-forecast')
    throw new InputError(
      `-forecast ${path}: not a capacity forecast (kind ${JSON.stringify(doc?.kind)}, expected "slurmbench.capacity-forecast"); write one with capacity forecast -format json`,
    )
  return doc
}

async function recommendCommand(args: ParsedArgs): Promise<number> {
  const config = await readCapacityConfig(args.flags.config as string | undefined)
  const format = choice(args, 'format', ['json', 'text', 'markdown', 'html', 'kustomize'] as const, 'json')
  const sweepFile = args.flags.sweep as string | undefined
  const points = await readSweep(sweepFile, 'sweep')
  const fits = fitFigures(points, sweepFile as string)
  const forecastFile = args.flags.forecast as string | undefined
  const nodesFlag = args.flags.nodes as number | undefined
  if ((forecastFile === undefined) === (nodesFlag === undefined)) throw new UsageError('give the projected cluster size: -forecast FILE or -nodes N')
  let currentNodes = args.flags['current-nodes'] as number | undefined
  let projectedNodes: (h: number) => { nodes: number; origin: string }
  let scrapesPerSecond = 1 / config.prometheus.scrapeIntervalS
  let forecastReport: ForecastReport | undefined
  if (forecastFile !== undefined) {
    forecastReport = await readForecast(forecastFile)
    const cluster = clusterFrom(forecastReport, forecastFile)
    currentNodes ??= cluster.current
    projectedNodes = cluster.at
    const requests = forecastReport.resources.find((r) => r.resource === 'requests')
    if (requests !== undefined && requests.projected.value > 0) scrapesPerSecond = requests.projected.value
  } else {
    const n = nodesFlag as number
    projectedNodes = () => ({ nodes: n, origin: `-nodes ${n}` })
  }
  if (currentNodes === undefined) throw new UsageError('-current-nodes is required with -nodes')
  const report = recommend({
    fits,
    sweepSource: sweepFile as string,
    config,
    currentNodes,
    projectedNodes,
    scrapesPerSecond,
    ...(forecastReport === undefined ? {} : { forecast: forecastReport }),
  })
  for (const w of report.warnings) process.stderr.write(`capacity recommend: warning: ${w}\n`)
  let text: string
  if (format === 'json') text = `${JSON.stringify(report, null, 2)}\n`
  else if (format === 'text') text = renderRecommendText(report)
  else if (format === 'markdown') text = renderRecommendMarkdown(report)
  else if (format === 'html') text = renderRecommendHtml(report)
  else
    text = renderKustomizePatch(report, {
      deployment: (args.flags.deployment as string | undefined) ?? 'slurm-exporter',
      container: (args.flags.container as string | undefined) ?? 'slurm-exporter',
      ...(args.flags.namespace === undefined ? {} : { namespace: args.flags.namespace as string }),
    })
  await emit(args, text)
  return EXIT_OK
}

async function simulate(args: ParsedArgs): Promise<number> {
  const config: CapacityConfig = await readCapacityConfig(args.flags.config as string | undefined)
  const format = choice(args, 'format', ['text', 'json'] as const, 'text')
  const scenarioText = args.flags.scenario as string | undefined
  if (scenarioText === undefined) throw new UsageError(`-scenario is required: ${SCENARIOS.join(', ')}`)
  const scenario = choice<ScenarioName>(args, 'scenario', SCENARIOS, 'expected')
  const sweepFile = args.flags.sweep as string | undefined
  const fits = fitFigures(await readSweep(sweepFile, 'sweep'), sweepFile as string)
  let currentNodes = args.flags['current-nodes'] as number | undefined
  const forecastFile = args.flags.forecast as string | undefined
  if (currentNodes === undefined && forecastFile !== undefined) currentNodes = clusterFrom(await readForecast(forecastFile), forecastFile).current
  if (currentNodes === undefined) throw new UsageError("give today's cluster size: -current-nodes N or -forecast FILE")
  const scrapes = positiveInteger(args, 'scrapes', 5)
  const report = await runSimulation(config, scenario, currentNodes, fits, (shape) => measureSize(shape, scrapes, { kind: 'reference' }), progress)
  await emit(args, format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderSimulationText(report))
  return report.failures.length === 0 ? EXIT_OK : EXIT_FAILED
}

async function sweep(args: ParsedArgs): Promise<number> {
  const config = await readCapacityConfig(args.flags.config as string | undefined)
  const sizesText = args.flags.sizes as string | undefined
  if (sizesText !== undefined && args.flags.quick === true) throw new UsageError('give -sizes or -quick, not both')
  const sizes = sizesText === undefined ? (args.flags.quick === true ? QUICK_SIZES : DEFAULT_SIZES) : parseSizes(sizesText)
  const targetUrl = args.flags.target as string | undefined
  const mockPort = args.flags['mock-port'] as number | undefined
  let target: RigTarget = { kind: 'reference' }
  if (targetUrl !== undefined) {
    if (mockPort === undefined) throw new UsageError('-target needs -mock-port: the port the exporter at the target reads slurmrestd on')
    target = { kind: 'external', url: targetUrl, mockPort }
  } else if (mockPort !== undefined) throw new UsageError('-mock-port is only for -target')
  const scrapes = positiveInteger(args, 'scrapes', 5)
  const environment = await collectEnvironment([], process.cwd())
  const doc = await runSweep({ sizes, scrapes, jobsPerNode: config.jobsPerNode, target: targetUrl ?? 'reference' }, environment, {
    measure: (shape) => measureSize(shape, scrapes, target),
    nowMs: () => performance.now(),
    progress,
  })
  const output = args.flags.o as string | undefined
  if (output === undefined) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`)
  else await writeResults(output, doc)
  for (const warning of doc.warnings) progress(`capacity sweep: warning: ${warning}`)
  const ok = doc.benchmarks.filter((b) => b.status === 'ok').length
  progress(`capacity sweep: ${ok} of ${doc.benchmarks.length} sizes measured${output === undefined ? '' : `, written to ${output}`}`)
  if (ok < 3) throw new InputError(`capacity sweep: only ${ok} sizes measured; a fit needs at least 3`)
  return EXIT_OK
}

export const command: Command = {
  summary: 'capacity planning: sweep sizes, fit scaling models, forecast, recommend, simulate growth',
  async run(argv) {
    const args = parseArgs(argv, FLAGS)
    const [sub, ...rest] = args.positionals
    if (args.help) return printUsage(SYNOPSIS, DESCRIPTION, FLAGS)
    if (sub === undefined) {
      printUsage(SYNOPSIS, DESCRIPTION, FLAGS)
      throw new UsageError('missing subcommand: sweep, fit, forecast, recommend or simulate')
    }
    if (sub === 'sweep') {
      if (rest.length > 0) throw new UsageError(`capacity sweep takes no arguments (found ${rest[0]})`)
      return sweep(args)
    }
    if (sub === 'fit') return fitCommand(args, rest)
    if (rest.length > 0) throw new UsageError(`capacity ${sub} takes no arguments (found ${rest[0]})`)
    if (sub === 'forecast') return forecast(args)
    if (sub === 'recommend') return recommendCommand(args)
    if (sub === 'simulate') return simulate(args)
    throw new UsageError(`unknown subcommand "${sub}"; expected sweep, fit, forecast, recommend or simulate`)
  },
}
