// One load-test session from resolved options: scenario → plan (overrides, scale, shard), the
// threshold rules (SLA profile ← scenario ← command line), the target (embedded or a URL),
// the run, and the judged result. The CLI turns flags into these options and the result into
// output and an exit code.
import { InputError } from '../../common/input-error.ts'
import { resultOfRun, type LoadResult } from './load-result.ts'
import { buildPlan, scalePlan, type LoadPlan } from './plan.ts'
import { findListeningPid } from '../../common/procfs.ts'
import { runLoad, type LiveStatus } from './run.ts'
import { applyFlagOverrides, applySets, readScenario, resolveScenarioPath, scenarioName, type FlagOverrides } from './scenario.ts'
import type { ScenarioFile } from './scenario-schema.ts'
import { shardPlan, type Shard } from './shard.ts'
import { DEFAULT_PROFILE, profileForNodes, profileRules, readSla } from './sla.ts'
import type { StopSignal } from './stop-signal.ts'
import type { EmbeddedOptions, EmbeddedTargets } from './targets.ts'
import { checkThresholdMap, layerRules, withAbortOnFail, type ThresholdRule } from './thresholds.ts'

/** LOCAL_HOSTS are the host names treated as this machine. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1', '0.0.0.0'])

/** isLocalUrl says whether a URL points at this machine. */
export function isLocalUrl(url: URL): boolean {
  return LOCAL_HOSTS.has(url.hostname)
}

/** TargetChoice is where the load goes: a URL, or the embedded mock and exporter. */
export type TargetChoice =
  | { readonly kind: 'url'; readonly url: URL; readonly pid: number | undefined; readonly nodes: number | undefined }
  | { readonly kind: 'embedded'; readonly options: EmbeddedOptions; readonly nodes: number }

/** SessionOptions are a load test's resolved options. */
export interface SessionOptions {
  /** Scenario name (benchmarks/load/<name>.json) or path. */
  readonly scenario: string
  readonly sets: readonly string[]
  readonly overrides: FlagOverrides
  readonly durationScale: number
  readonly target: TargetChoice
  /** --path: overrides the path of the URL, the scenario and the target's default. */
  readonly path: string | undefined
  readonly slaFile: string | undefined
  readonly slaProfile: string | undefined
  /** --threshold `metric:expression` flags. */
  readonly thresholdFlags: readonly string[]
  readonly abortOnFail: boolean
  readonly abortDelayMs: number
  readonly shard: Shard
}

/** PreparedSession is the scenario and rules, ready to run or export. */
export interface PreparedSession {
  readonly scenarioPath: string
  readonly scenario: ScenarioFile
  readonly name: string
  /** The whole (unsharded) plan after overrides and scaling. */
  readonly plan: LoadPlan
  readonly rules: readonly ThresholdRule[]
  readonly profile: string
}

/** parseThresholdFlag reads `metric:expression` from --threshold. */
export function parseThresholdFlag(text: string): ThresholdRule[] {
  const colon = text.indexOf(':')
  if (colon <= 0) throw new InputError(`--threshold ${text}: expected metric:expression, e.g. --threshold 'http_req_duration:p(95)<300'`)
  return checkThresholdMap({ [text.slice(0, colon).trim()]: [text.slice(colon + 1).trim()] }, `--threshold ${text}`, '', '--threshold')
}

/** prepareSession reads the scenario and the SLA file and builds the plan and the rules. */
export async function prepareSession(options: SessionOptions): Promise<PreparedSession> {
  const scenarioPath = await resolveScenarioPath(options.scenario)
  let scenario = await readScenario(scenarioPath)
  scenario = applySets(scenario, options.sets)
  scenario = applyFlagOverrides(scenario, options.overrides)
  const name = scenarioName(scenario, scenarioPath)
  const plan = scalePlan(buildPlan(scenario, scenarioPath, name), options.durationScale)
  if (plan.stages.every((stage) => stage.durationNs === 0))
    throw new InputError(`--duration-scale ${options.durationScale}: scales ${scenarioPath} to 0s; use a larger scale`)

  const sla = await readSla(options.slaFile)
  const nodes = options.target.nodes
  const profile = options.slaProfile ?? scenario.sla ?? (nodes === undefined ? undefined : profileForNodes(sla, nodes)) ?? DEFAULT_PROFILE
  const via = options.slaProfile !== undefined ? '--sla' : scenario.sla !== undefined ? `${scenarioPath}: at /sla` : 'cluster size'
  let rules = [...profileRules(sla, profile, via)]
  if (scenario.thresholds !== undefined) rules = layerRules(rules, checkThresholdMap(scenario.thresholds, scenarioPath, '/thresholds', 'scenario'))
  for (const flag of options.thresholdFlags) rules = layerRules(rules, parseThresholdFlag(flag))
  if (options.abortOnFail) rules = withAbortOnFail(rules, options.abortDelayMs)
  return { scenarioPath, scenario, name, plan, rules, profile }
}

/** requestUrl joins the base URL and the path by precedence: --path, the URL's own path, the scenario's, the target's default. */
export function requestUrl(base: URL, flagPath: string | undefined, scenarioPath: string | undefined, defaultPath: string): URL {
  const ownPath = base.pathname !== '/' || base.search !== '' ? `${base.pathname}${base.search}` : undefined
  return new URL(flagPath ?? ownPath ?? scenarioPath ?? defaultPath, base)
}

/** SessionHooks let the CLI show progress. */
export interface SessionHooks {
  readonly onTargetReady?: (description: string, url: URL) => void
  readonly onStatus?: (status: LiveStatus) => void
}

/** runSession starts the target, runs the shard's part of the plan and judges the result. */
export async function runSession(options: SessionOptions, prepared: PreparedSession, stop: StopSignal, hooks: SessionHooks = {}): Promise<LoadResult> {
  let embedded: EmbeddedTargets | undefined
  try {
    let url: URL
    let pid: number | undefined
    let headers: Record<string, string> = { ...prepared.plan.request.headers }
    let description: string
    if (options.target.kind === 'embedded') {
      // Imported here so that loading a URL never loads the testbed.
      const { startEmbeddedTargets } = await import('./targets.ts')
      embedded = await startEmbeddedTargets(options.target.options)
      url = requestUrl(new URL(embedded.url), options.path, prepared.plan.request.path, embedded.defaultPath)
      pid = embedded.pid
      headers = { ...embedded.headers, ...headers }
      description = embedded.description
    } else {
      url = requestUrl(options.target.url, options.path, prepared.plan.request.path, '/metrics')
      pid = options.target.pid ?? (isLocalUrl(url) ? await findListeningPid(Number(url.port || 80)) : undefined)
      description = pid === undefined ? 'target' : `target (pid ${pid})`
    }
    hooks.onTargetReady?.(description, url)
    const plan: LoadPlan = { ...shardPlan(prepared.plan, options.shard), request: { ...prepared.plan.request, headers } }
    const identity = { scenario: prepared.name, target: url.href, profile: prepared.profile, shard: options.shard, durationScale: options.durationScale }
    if (stop.stopped) {
      throw new InputError('interrupted before the load test started')
    }
    const run = await runLoad({
      plan,
      shard: options.shard,
      url,
      rules: prepared.rules,
      targetPid: pid,
      stop,
      ...(hooks.onStatus === undefined ? {} : { onStatus: hooks.onStatus }),
    })
    const stopInfo = stop.reason === undefined ? undefined : { reason: stop.reason, detail: stop.detail ?? stop.reason }
    return resultOfRun(run, plan, prepared.rules, identity, stopInfo)
  } finally {
    await embedded?.close()
  }
}
