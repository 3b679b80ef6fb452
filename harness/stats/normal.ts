// The standard normal distribution: CDF and its inverse, to double precision. JavaScript has no
// erf, and the U test's normal approximation and the median CI for n > 30 need one that agrees
// with Go's math.Erfc to far more digits than the printed `p=0.000`.

const SQRT_PI = Math.sqrt(Math.PI)
const MAX_TERMS = 500
const EPSILON = 1e-17

// erfcPositive computes erfc(x) for x ≥ 0 as Γ(½, x²)/√π: the power series of the lower
// incomplete gamma function below x² = 1.5, Lentz's continued fraction of the upper one above.
function erfcPositive(x: number): number {
  const z = x * x
  if (z === 0) return 1
  if (z < 1.5) {
    // γ(½, z) = z^½ e^−z Σ zⁿ / (½ (½+1) … (½+n)); erfc = 1 − γ/√π.
    let term = 1 / 0.5
    let sum = term
    for (let n = 1; n < MAX_TERMS; n++) {
      term *= z / (0.5 + n)
      sum += term
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break
    }
    return 1 - (sum * Math.exp(-z + 0.5 * Math.log(z))) / SQRT_PI
  }
  // Γ(½, z) = e^−z z^½ · 1/(z + ½ − … ) by the modified Lentz method.
  const tiny = 1e-300
  let b = z + 1 - 0.5
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - 0.5)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPSILON) break
  }
  return (Math.exp(-z + 0.5 * Math.log(z)) * h) / SQRT_PI
}

/** erfc is the complementary error function. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN
  return x >= 0 ? erfcPositive(x) : 2 - erfcPositive(-x)
}

/** normalCdf is Φ((x − mu) / sigma), computed as Go's NormalDist.CDF does, through erfc. */
export function normalCdf(x: number, mu = 0, sigma = 1): number {
  return erfc(-(x - mu) / (sigma * Math.SQRT2)) / 2
}

// Acklam's rational approximation (relative error 1.15e-9), polished below by Halley steps.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239]
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1]
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783]
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416]
const P_LOW = 0.02425

function acklam(p: number): number {
  const [a0, a1, a2, a3, a4, a5] = A as [number, number, number, number, number, number]
  const [b0, b1, b2, b3, b4] = B as [number, number, number, number, number]
  const [c0, c1, c2, c3, c4, c5] = C as [number, number, number, number, number, number]
  const [d0, d1, d2, d3] = D as [number, number, number, number]
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p))
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p))
    return -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
  }
  const q = p - 0.5
  const r = q * q
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
}

/** normalInvCdf is the quantile function of the normal distribution. */
export function normalInvCdf(p: number, mu = 0, sigma = 1): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  let x = acklam(p)
  for (let i = 0; i < 2; i++) {
    const e = normalCdf(x) - p
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2)
    x -= u / (1 + (x * u) / 2)
  }
  return mu + sigma * x
}
