// Go's number formatting where benchstat's output depends on it: %v of a float64 (shortest
// round-trip digits, exponent form below 1e-4 and from 1e6: strconv 'g' with the shortest
// precision decides with precision 6, unlike JavaScript's 1e21), used in CSV cells and warnings.

/** GO_SHORTEST_EXPONENT_LIMIT is the decimal exponent from which %v switches to exponent form. */
const GO_SHORTEST_EXPONENT_LIMIT = 6

/** formatGoFloat prints `value` as Go's fmt %v (strconv 'g', shortest precision) does. */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  if (value === 0) return Object.is(value, -0) ? '-0' : '0'
  const [mantissa, expText] = value.toExponential().split('e') as [string, string]
  const exp = Number(expText)
  if (exp < -4 || exp >= GO_SHORTEST_EXPONENT_LIMIT) {
    const sign = exp < 0 ? '-' : '+'
    const digits = String(Math.abs(exp)).padStart(2, '0')
    return `${mantissa}e${sign}${digits}`
  }
  const negative = mantissa.startsWith('-')
  const digits = mantissa.replace('-', '').replace('.', '')
  let text: string
  if (exp >= 0) {
    text = digits.length <= exp + 1 ? digits + '0'.repeat(exp + 1 - digits.length) : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`
  } else {
    text = `0.${'0'.repeat(-exp - 1)}${digits}`
  }
  return negative ? `-${text}` : text
}
