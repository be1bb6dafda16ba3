/**
 * The standard normal distribution's CDF, its logarithm and its quantile, for the sequential
 * bounds. Deterministic and dependency-free: Φ from the regularized incomplete gamma function
 * (erf(x) = P(½, x²); series below x² = 1.5, Lentz's continued fraction above, as in Numerical
 * Recipes), accurate to about 1e-14 relative and computed in log space in the far tail; the
 * quantile by P. J. Acklam's approximation refined by Halley steps (about 1e-12).
 */

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);

/** ln P(½, y) by its series, for y < 1.5 (P the regularized lower incomplete gamma). */
function logLowerGammaHalf(y: number): number {
  let term = 1 / 0.5;
  let sum = term;
  for (let n = 1; n < 200; n++) {
    term *= y / (0.5 + n);
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return Math.log(sum) - y + 0.5 * Math.log(y) - LOG_SQRT_PI;
}

/** ln Q(½, y) by its continued fraction (modified Lentz), for y ≥ 1.5. */
function logUpperGammaHalf(y: number): number {
  const tiny = 1e-300;
  let b = y + 1 - 0.5;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 300; i++) {
    const an = -i * (i - 0.5);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.log(h) - y + 0.5 * Math.log(y) - LOG_SQRT_PI;
}

/** ln Φ(x), accurate far into the lower tail (no underflow). */
export function logNormalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = (x * x) / 2;
  if (x < 0) {
    // Φ(x) = ½·Q(½, x²/2).
    if (y < 1.5) return Math.log(0.5 * (1 - Math.exp(logLowerGammaHalf(y))));
    return Math.log(0.5) + logUpperGammaHalf(y);
  }
  // Φ(x) = 1 − ½·Q(½, x²/2).
  if (y < 1.5) return Math.log(0.5 + 0.5 * Math.exp(logLowerGammaHalf(y)));
  return Math.log1p(-0.5 * Math.exp(logUpperGammaHalf(y)));
}

/** Φ(x), the standard normal CDF. */
export function normalCdf(x: number): number {
  return Math.exp(logNormalCdf(x));
}

const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239,
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1,
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p) for p in (0, 1): the standard normal quantile. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  // Halley steps against the CDF.
  for (let i = 0; i < 2; i++) {
    const e = normalCdf(x) - p;
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x -= u / (1 + (x * u) / 2);
  }
  return x;
}
