// Exact binomial coefficients for the sample sizes benchmarks use.

const pascal: number[][] = [[1]]

/**
 * choose returns C(n, k). Rows of Pascal's triangle are built once and kept: every entry is an
 * exact integer in a double while C(n, k) < 2^53, i.e. for n ≤ 56, which covers every exact
 * path (U distribution n1 + n2 ≤ 100 uses it only for tie groups of at most 50; the median CI
 * uses it for n ≤ 30). Above that the values are rounded, as Go's mathx.Choose rounds too.
 */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n || n < 0) return 0
  while (pascal.length <= n) {
    const prev = pascal[pascal.length - 1] as number[]
    const row = new Array<number>(prev.length + 1)
    row[0] = 1
    row[prev.length] = 1
    for (let i = 1; i < prev.length; i++) row[i] = (prev[i - 1] as number) + (prev[i] as number)
    pascal.push(row)
  }
  return (pascal[n] as number[])[k] as number
}

/** binomialPmf is P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(n: number, p: number, k: number): number {
  if (!Number.isInteger(k) || k < 0 || k > n) return 0
  return choose(n, k) * p ** k * (1 - p) ** (n - k)
}
