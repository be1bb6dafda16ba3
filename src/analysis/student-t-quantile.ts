/**
 * The Student t distribution's CDF and quantile for ν ≥ 1 degrees of freedom, from the regularized
 * incomplete beta function (Numerical Recipes' continued fraction, with a Lanczos log-gamma), the
 * quantile by bisection to 1e-10. Used to widen a variance that was estimated from few clusters.
 */

const LANCZOS = [
  76.18009172947146, -86.50532032941678, 24.01409824083091, -1.231739572450155,
  0.1208650973866179e-2, -0.5395239384953e-5,
];

/** ln Γ(x) for x > 0 (Lanczos, relative error below 2e-10). */
export function logGamma(x: number): number {
  let y = x;
  const tmp = x + 5.5 - (x + 0.5) * Math.log(x + 5.5);
  let series = 1.000000000190015;
  for (const c of LANCZOS) series += c / ++y;
  return -tmp + Math.log((2.5066282746310007 * series) / x);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(a: number, b: number, x: number): number {
  return incompleteBetaWith(a, b, x, logBetaTerms(a, b));
}

/** ln Γ(a + b) − ln Γ(a) − ln Γ(b), the part of I_x(a, b) that does not depend on x. */
function logBetaTerms(a: number, b: number): number {
  return logGamma(a + b) - logGamma(a) - logGamma(b);
}

/**
 * I_x(a, b) given {@link logBetaTerms}(a, b): a search over x (the quantiles' bisections, some 40
 * steps) computes those three log-gammas once instead of at every step, and gets the same floats.
 */
function incompleteBetaWith(a: number, b: number, x: number, logTerms: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logTerms + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(a, b, x)) / a
    : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with ν degrees of freedom. */
export function studentTCdf(t: number, degreesOfFreedom: number): number {
  return cdfWith(t, degreesOfFreedom, logBetaTerms(degreesOfFreedom / 2, 0.5));
}

/** P(T > t) for t ≥ 0, without the cancellation of 1 − CDF far in the tail. */
export function studentTUpperTail(t: number, degreesOfFreedom: number): number {
  return upperTailWith(t, degreesOfFreedom, logBetaTerms(degreesOfFreedom / 2, 0.5));
}

function cdfWith(t: number, nu: number, logTerms: number): number {
  const tail = upperTailWith(t, nu, logTerms);
  return t >= 0 ? 1 - tail : tail;
}

function upperTailWith(t: number, nu: number, logTerms: number): number {
  return 0.5 * incompleteBetaWith(nu / 2, 0.5, nu / (nu + t * t), logTerms);
}

/**
 * The t with P(T > t) = `tail` (0 < tail < 0.5), for tails far smaller than 1 − p can express.
 *
 * @example studentTUpperQuantile(0.005, 4) // 4.604…
 */
export function studentTUpperQuantile(tail: number, degreesOfFreedom: number): number {
  const nu = degreesOfFreedom;
  if (!(nu >= 1)) throw new RangeError(`degrees of freedom must be ≥ 1, got ${nu}`);
  if (!(tail > 0 && tail < 0.5)) throw new RangeError(`tail must be in (0, 0.5), got ${tail}`);
  const logTerms = logBetaTerms(nu / 2, 0.5);
  let lo = 0;
  let hi = 1;
  while (upperTailWith(hi, nu, logTerms) > tail && hi < 1e300) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-10 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (upperTailWith(mid, nu, logTerms) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const cache = new Map<string, number>();

/**
 * The quantile t_ν(p), ν ≥ 1 (not necessarily whole), p in (0, 1); memoized.
 *
 * @example studentTQuantile(0.995, 4) // 4.604…
 */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  const nu = degreesOfFreedom;
  if (!(nu >= 1)) throw new RangeError(`degrees of freedom must be ≥ 1, got ${nu}`);
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  const key = `${p}:${nu}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const upper = p > 0.5;
  const target = upper ? p : 1 - p;
  const logTerms = logBetaTerms(nu / 2, 0.5);
  let lo = 0;
  let hi = 1;
  while (cdfWith(hi, nu, logTerms) < target) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-10 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2;
    if (cdfWith(mid, nu, logTerms) < target) lo = mid;
    else hi = mid;
  }
  const t = upper ? (lo + hi) / 2 : -(lo + hi) / 2;
  if (cache.size < 10_000) cache.set(key, t);
  return t;
}
