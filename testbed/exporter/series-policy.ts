// What a scrape keeps: metric-name allow/deny lists, label rules, and a cardinality limit per
// family. Collectors write through FamilyWriter, which applies all three as series arrive, so a
// series that is dropped is never stored.

import type { MetricType, SampleFamily } from './metric-family.ts'
import { compilePattern, type Pattern, type RegexEngine } from './regex-engine.ts'

/** LabelRule is one relabeling step applied to every family that has `label`. */
export type LabelRule =
  /** keep: keep only series whose `label` value matches `regex`. */
  | { readonly action: 'keep'; readonly label: string; readonly regex: string }
  /** drop: drop series whose `label` value matches `regex`. */
  | { readonly action: 'drop'; readonly label: string; readonly regex: string }
  /** replace: when the value matches, rewrite it to `replacement` (`$1`… name groups). */
  | { readonly action: 'replace'; readonly label: string; readonly regex: string; readonly replacement: string }

/** SeriesPolicyOptions configures filtering, relabeling and the cardinality limit. */
export interface SeriesPolicyOptions {
  /** Metric-name patterns to keep (anchored); empty keeps every family. */
  readonly allow?: readonly string[]
  /** Metric-name patterns to drop (anchored); deny wins over allow. */
  readonly deny?: readonly string[]
  readonly labelRules?: readonly LabelRule[]
  /** Most series one family may hold; further series are dropped and counted. 0 means no limit. */
  readonly maxSeriesPerFamily?: number
  readonly regexEngine?: RegexEngine
}

/** DEFAULT_MAX_SERIES_PER_FAMILY is above per-node families at 50,000 nodes and far below per-job families at scale. */
export const DEFAULT_MAX_SERIES_PER_FAMILY = 500_000

interface CompiledRule {
  readonly action: LabelRule['action']
  readonly label: string
  readonly pattern: Pattern
  readonly replacement: string
}

/** SeriesPolicy is the compiled form of SeriesPolicyOptions, shared by every scrape. */
export class SeriesPolicy {
  readonly maxSeriesPerFamily: number
  private readonly allow: readonly Pattern[]
  private readonly deny: readonly Pattern[]
  private readonly rules: readonly CompiledRule[]
  private readonly familyDecisions = new Map<string, boolean>()

  constructor(options: SeriesPolicyOptions = {}) {
    const engine = options.regexEngine ?? 're2'
    this.allow = (options.allow ?? []).map((source) => compilePattern(source, engine))
    this.deny = (options.deny ?? []).map((source) => compilePattern(source, engine))
    this.rules = (options.labelRules ?? []).map((rule) => ({
      action: rule.action,
      label: rule.label,
      pattern: compilePattern(rule.regex, engine),
      replacement: rule.action === 'replace' ? rule.replacement : '',
    }))
    this.maxSeriesPerFamily = options.maxSeriesPerFamily ?? DEFAULT_MAX_SERIES_PER_FAMILY
  }

  /** keepsFamily reports whether the allow/deny lists keep the metric name; decisions are cached per name. */
  keepsFamily(name: string): boolean {
    let keep = this.familyDecisions.get(name)
    if (keep === undefined) {
      keep = (this.allow.length === 0 || this.allow.some((p) => p.test(name))) && !this.deny.some((p) => p.test(name))
      this.familyDecisions.set(name, keep)
    }
    return keep
  }

  /** rulesFor returns the label rules that touch a family with these labels, with each label's index. */
  rulesFor(labelNames: readonly string[]): readonly BoundRule[] {
    const bound: BoundRule[] = []
    for (const rule of this.rules) {
      const index = labelNames.indexOf(rule.label)
      if (index >= 0) bound.push({ ...rule, index })
    }
    return bound
  }
}

/** BoundRule is a label rule bound to the position of its label in one family. */
export interface BoundRule extends CompiledRule {
  readonly index: number
}

/**
 * FamilyWriter accumulates one family's series under a policy. `add` is the hot path of every
 * collector: with no rules it is two array pushes and a length check.
 */
export class FamilyWriter {
  readonly family: SampleFamily
  /** Dropped counts series refused by the cardinality limit in this scrape. */
  dropped = 0
  private readonly rules: readonly BoundRule[]
  private readonly limit: number
  private readonly width: number

  constructor(name: string, help: string, type: MetricType, labelNames: readonly string[], policy: SeriesPolicy) {
    if (type === 'counter' && !name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`)
    this.family = { kind: 'samples', name, help, type, labelNames, labelValues: [], values: [] }
    this.rules = policy.rulesFor(labelNames)
    this.limit = policy.maxSeriesPerFamily > 0 ? policy.maxSeriesPerFamily : Number.POSITIVE_INFINITY
    this.width = labelNames.length
  }

  /**
   * add records one series; `labelValues` must follow the family's label names. The values are
   * copied, so a caller may refill one array per series (replace rules rewrite it in place).
   */
  add(labelValues: readonly string[], value: number): void {
    if (this.rules.length > 0 && !this.applyRules(labelValues as string[])) return
    const { family } = this
    if (family.values.length >= this.limit) {
      this.dropped++
      return
    }
    for (let i = 0; i < this.width; i++) family.labelValues.push(labelValues[i] as string)
    family.values.push(value)
  }

  /** add1 records one series of a single-label family without allocating a label array. */
  add1(labelValue: string, value: number): void {
    if (this.rules.length > 0) {
      this.add([labelValue], value)
      return
    }
    const { family } = this
    if (family.values.length >= this.limit) {
      this.dropped++
      return
    }
    family.labelValues.push(labelValue)
    family.values.push(value)
  }

  // Rules run in order; keep/drop may end the series, replace rewrites the value in place.
  private applyRules(labelValues: string[]): boolean {
    for (const rule of this.rules) {
      const value = labelValues[rule.index] as string
      switch (rule.action) {
        case 'keep':
          if (!rule.pattern.test(value)) return false
          break
        case 'drop':
          if (rule.pattern.test(value)) return false
          break
        case 'replace':
          labelValues[rule.index] = rule.pattern.replace(value, rule.replacement)
          break
      }
    }
    return true
  }
}

/**
 * SeriesSink collects the families of one collector run. Families the name filter removes get a
 * writer that stores nothing, so collectors need no filtering logic of their own.
 */
export class SeriesSink {
  private readonly writers: FamilyWriter[] = []

  constructor(private readonly policy: SeriesPolicy) {}

  /** family opens a family; it returns null when the name filter removes it. */
  family(name: string, help: string, type: MetricType, labelNames: readonly string[]): FamilyWriter | null {
    if (!this.policy.keepsFamily(name)) return null
    const writer = new FamilyWriter(name, help, type, labelNames, this.policy)
    this.writers.push(writer)
    return writer
  }

  /** fresh returns an empty sink under the same policy (a retried request starts over in one). */
  fresh(): SeriesSink {
    return new SeriesSink(this.policy)
  }

  /** adopt appends the families of another sink (the successful attempt's) to this one. */
  adopt(other: SeriesSink): void {
    if (other !== this) this.writers.push(...other.writers)
  }

  /** Writers returns the writers opened so far, in order. */
  get familyWriters(): readonly FamilyWriter[] {
    return this.writers
  }
}
