// k6 threshold expressions: `aggregation operator value`, as in the BNF on
// parseThresholdExpression in grafana/k6 metrics/thresholds_parser.go — aggregations `avg`,
// `min`, `max`, `med`, `p(N)`, `count`, `rate`, `value`; operators `>`, `>=`, `<=`, `<`, `==`,
// `===`, `!=`; the value a float (milliseconds for times). As an extension the value may carry a
// unit (`p(95)<5s`, `value<512MiB`); --export-k6 writes plain numbers.

/** Aggregation is what a threshold reduces its metric to. */
export type Aggregation = { readonly kind: 'avg' | 'min' | 'max' | 'med' | 'count' | 'rate' | 'value' } | { readonly kind: 'p'; readonly percentile: number }

/** Operator compares the aggregate with the threshold value. */
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!='

/** ValueUnit is the unit class a suffix puts the value in: milliseconds or bytes (none: as written). */
export type ValueUnit = 'ms' | 'bytes' | 'none'

/** ThresholdExpression is a parsed expression. */
export interface ThresholdExpression {
  readonly aggregation: Aggregation
  readonly operator: Operator
  /** The value in the metric's base unit: ms for times, bytes for sizes. */
  readonly value: number
  readonly unit: ValueUnit
}

const MS_PER: Readonly<Record<string, number>> = { us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 60e3 }
const BYTES_PER: Readonly<Record<string, number>> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }

// Longer operators first, as k6's parser scans them.
const EXPRESSION =
  /^\s*(avg|min|max|med|count|rate|value|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*(===|==|!=|>=|<=|>|<)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-zµ]*)\s*$/

/** parseThresholdExpression parses one expression; it returns an error message instead of throwing. */
export function parseThresholdExpression(text: string): ThresholdExpression | string {
  const match = EXPRESSION.exec(text)
  if (match === null) return `"${text}" is not a threshold expression; expected aggregation operator value, e.g. "p(95)<5000", "rate<0.01", "avg<=200"`
  const [, agg, percentile, operator, number, suffix] = match as unknown as [string, string, string | undefined, Operator, string, string]
  let aggregation: Aggregation
  if (percentile !== undefined) {
    const p = Number(percentile)
    if (!(p >= 0 && p <= 100)) return `"${text}": percentile ${percentile} is outside 0–100`
    aggregation = { kind: 'p', percentile: p }
  } else {
    aggregation = { kind: agg as 'avg' }
  }
  let value = Number(number)
  let unit: ValueUnit = 'none'
  if (suffix !== '') {
    if (MS_PER[suffix] !== undefined) {
      value *= MS_PER[suffix]
      unit = 'ms'
    } else if (BYTES_PER[suffix] !== undefined) {
      value *= BYTES_PER[suffix]
      unit = 'bytes'
    } else {
      return `"${text}": unknown unit "${suffix}"; use a plain number, a time (us, ms, s, m) or a size (B, KiB, MiB, GiB, KB, MB, GB)`
    }
  }
  return { aggregation, operator, value, unit }
}

/** formatAggregation prints an aggregation as k6 does: `p(95)`, `rate`. */
export function formatAggregation(aggregation: Aggregation): string {
  return aggregation.kind === 'p' ? `p(${aggregation.percentile})` : aggregation.kind
}

/** formatExpressionK6 prints the expression in k6's plain-number form. */
export function formatExpressionK6(expression: ThresholdExpression): string {
  return `${formatAggregation(expression.aggregation)}${expression.operator}${Number(expression.value.toPrecision(12))}`
}

/** compare applies the operator; NaN (no data) never passes. */
export function compare(observed: number, operator: Operator, value: number): boolean {
  if (Number.isNaN(observed)) return false
  switch (operator) {
    case '<':
      return observed < value
    case '<=':
      return observed <= value
    case '>':
      return observed > value
    case '>=':
      return observed >= value
    case '==':
    case '===':
      return observed === value
    case '!=':
      return observed !== value
  }
}
