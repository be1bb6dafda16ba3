import { incompleteBeta, logGamma } from './student-t-quantile.js';

/**
 * An exact anytime-valid upper bound for a Bernoulli rate, for rare events: the smallest p0 such
 * that the mixture likelihood ratio of the data against p0, over alternatives q uniform on
 * (0, p0),
 *
 *   M(p0) = (1/p0)·∫₀^p0 (q/p0)^X·((1 − q)/(1 − p0))^(n−X) dq
 *         = I_p0(X + 1, n − X + 1)·B(X + 1, n − X + 1) / (p0^(X+1)·(1 − p0)^(n−X)),
 *
 * stays below 1/α. Under any rate p ≥ p0, each factor of the likelihood ratio has expectation
 * p·q/p0 + (1 − p)(1 − q)/(1 − p0) ≤ 1 for q ≤ p0, so M is a nonnegative supermartingale and by
 * Ville's inequality P(∃n: M(p) ≥ 1/α) ≤ α: the bound holds at every look at once, exactly, with
 * no normal approximation. With X = 0 rejects in n orders it is about (ln(1/α) + ln(n·p0))/n
 * where a normal-mixture score bound needs about 10/n. `X` rejects among `n` independent orders;
 * +Infinity when no p0 < 1 is excluded.
 *
 * @example bernoulliMixtureUpperBound(0, 400, 0.025) // ≈ 0.0146
 */
export function bernoulliMixtureUpperBound(rejects: number, orders: number, alpha: number): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(orders > 0) || !(rejects >= 0) || rejects > orders) return Number.POSITIVE_INFINITY;
  const X = rejects;
  const n = orders;
  const a = X + 1;
  const b = n - X + 1;
  const logBeta = logGamma(a) + logGamma(b) - logGamma(a + b);
  const logM = (p0: number): number =>
    Math.log(incompleteBeta(a, b, p0)) + logBeta - a * Math.log(p0) - (n - X) * Math.log1p(-p0);
  const target = -Math.log(alpha);
  let lo = X / n;
  let hi = 1 - 1e-12;
  if (!(logM(hi) >= target)) return Number.POSITIVE_INFINITY;
  for (let i = 0; i < 100 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (logM(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
