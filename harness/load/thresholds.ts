// Threshold rules: checking a k6-style threshold map, layering maps (profile ← scenario ←
// command line), and evaluating the rules against a run's observations.
import { parseDurationNs } from '../results/duration.ts'
import { InputError } from '../../common/input-error.ts'
import { aggregate, aggregationAllowed, AGGREGATIONS_BY_TYPE, METRICS, type Observations } from './metrics.ts'
import type { ThresholdMap } from './scenario-schema.ts'
import { compare, formatAggregation, parseThresholdExpression, type ThresholdExpression } from './threshold-expression.ts'

/** ThresholdRule is one checked threshold. */
export interface ThresholdRule {
  readonly metric: string
  /** The expression as written (`p(95)<5000`). */
  readonly text: string
  readonly expression: ThresholdExpression
  readonly abortOnFail: boolean
  readonly delayAbortEvalMs: number
  /** Where it came from (`profile small`, `scenario`, `--threshold`), for the summary. */
  readonly origin: string
}

/** ThresholdResult is a rule with its observed value and verdict; `passed` is undefined when the metric was not measured. */
export interface ThresholdResult {
  readonly rule: ThresholdRule
  readonly observed: number | undefined
  readonly passed: boolean | undefined
}

/** checkThresholdMap validates a threshold map and returns its rules; errors name `source` and the JSON path under `basePath`. */
export function checkThresholdMap(map: ThresholdMap, source: string, basePath: string, origin: string): ThresholdRule[] {
  const rules: ThresholdRule[] = []
  for (const [metric, entries] of Object.entries(map)) {
    const at = `${basePath}/${metric}`
    const info = METRICS[metric]
    if (info === undefined) {
      const hint = metric.includes('{') ? ' (tagged sub-metrics are not supported: one scenario runs at a time)' : ''
      throw new InputError(`${source}: at ${at}: unknown metric "${metric}"${hint}; expected one of ${Object.keys(METRICS).join(', ')}`)
    }
    for (const [i, entry] of entries.entries()) {
      const text = typeof entry === 'string' ? entry : entry.threshold
      const parsed = parseThresholdExpression(text)
      const where = `${source}: at ${at}/${i}${typeof entry === 'string' ? '' : '/threshold'}`
      if (typeof parsed === 'string') throw new InputError(`${where}: ${parsed}`)
      if (!aggregationAllowed(info.type, parsed.aggregation)) {
        throw new InputError(
          `${where}: ${formatAggregation(parsed.aggregation)} does not apply to ${metric} (a ${info.type}); use ${AGGREGATIONS_BY_TYPE[info.type].join(', ')}`,
        )
      }
      const counted = parsed.aggregation.kind === 'count' || parsed.aggregation.kind === 'value' || parsed.aggregation.kind === 'rate'
      if (parsed.unit === 'ms' && info.unit !== 'ms') throw new InputError(`${where}: a time unit does not apply to ${metric}`)
      if (parsed.unit === 'bytes' && !(info.unit === 'bytes' && counted)) throw new InputError(`${where}: a size unit does not apply to ${metric}`)
      let delayAbortEvalMs = 0
      if (typeof entry !== 'string' && entry.delayAbortEval !== undefined) {
        const ns = parseDurationNs(entry.delayAbortEval)
        if (ns === undefined || ns < 0)
          throw new InputError(`${source}: at ${at}/${i}/delayAbortEval: expected a Go duration such as "30s", found ${JSON.stringify(entry.delayAbortEval)}`)
        delayAbortEvalMs = ns / 1e6
      }
      rules.push({ metric, text, expression: parsed, abortOnFail: typeof entry !== 'string' && entry.abortOnFail === true, delayAbortEvalMs, origin })
    }
  }
  return rules
}

function ruleKey(rule: ThresholdRule): string {
  return `${rule.metric} ${formatAggregation(rule.expression.aggregation)}`
}

/**
 * layerRules puts `over` on top of `base`: a rule replaces the base rule with the same metric
 * and aggregation (the small profile's `p(95)<2000` replaces the default `p(95)<5000`), other
 * rules are added.
 */
export function layerRules(base: readonly ThresholdRule[], over: readonly ThresholdRule[]): ThresholdRule[] {
  const result = [...base]
  for (const rule of over) {
    const i = result.findIndex((r) => ruleKey(r) === ruleKey(rule))
    if (i === -1) result.push(rule)
    else result[i] = rule
  }
  return result
}

/** withAbortOnFail marks every rule abortOnFail (`--abort-on-fail`), keeping any longer delay it had. */
export function withAbortOnFail(rules: readonly ThresholdRule[], delayMs: number): ThresholdRule[] {
  return rules.map((rule) => ({ ...rule, abortOnFail: true, delayAbortEvalMs: Math.max(rule.delayAbortEvalMs, delayMs) }))
}

/** evaluateRules evaluates every rule; unmeasured metrics come back with passed undefined. */
export function evaluateRules(rules: readonly ThresholdRule[], obs: Observations): ThresholdResult[] {
  return rules.map((rule) => {
    const observed = aggregate(rule.metric, rule.expression.aggregation, obs)
    if (observed === undefined) return { rule, observed, passed: undefined }
    return { rule, observed, passed: compare(observed, rule.expression.operator, rule.expression.value) }
  })
}

/** thresholdsPassed is the verdict: every measured rule passed (unmeasured ones warn, they do not fail). */
export function thresholdsPassed(results: readonly ThresholdResult[]): boolean {
  return results.every((result) => result.passed !== false)
}

/** abortingFailure returns the first abortOnFail rule that fails once its delay has passed, if any. */
export function abortingFailure(rules: readonly ThresholdRule[], obs: Observations): ThresholdResult | undefined {
  const due = rules.filter((rule) => rule.abortOnFail && obs.elapsedMs >= rule.delayAbortEvalMs)
  if (due.length === 0) return undefined
  return evaluateRules(due, obs).find((result) => result.passed === false)
}

/** rulesToMap turns rules back into a k6 threshold map (stored in results, so merge re-evaluates the same rules). */
export function rulesToMap(rules: readonly ThresholdRule[]): ThresholdMap {
  const map: ThresholdMap = {}
  for (const rule of rules) {
    const entry =
      rule.abortOnFail || rule.delayAbortEvalMs > 0
        ? { threshold: rule.text, abortOnFail: rule.abortOnFail, delayAbortEval: `${rule.delayAbortEvalMs}ms` }
        : rule.text
    ;(map[rule.metric] ??= []).push(entry)
  }
  return map
}
