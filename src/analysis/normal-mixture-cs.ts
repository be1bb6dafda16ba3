/**
 * The normal-mixture (Robbins) confidence sequence: the statistical primitive of the analysis
 * (mixture-bound.ts uses it in information time, one-sided).
 *
 * For n centred unit-variance observations with sum S_n, mixing the martingales
 * exp(λ S_n − λ² n / 2) over a drift λ ~ N(0, ρ²) gives
 * M_n = (nρ² + 1)^(−1/2) · exp(ρ² S_n² / (2(nρ² + 1))), a nonnegative martingale with M_0 = 1, so
 * Ville's inequality gives P(∃n: M_n ≥ 1/α) ≤ α. Solving M_n < 1/α for S_n / n gives the half-width
 * {@link normalMixtureMargin}, valid at every n simultaneously (two-sided, total α). With a plug-in
 * standard deviation σ̂ it is the asymptotic confidence sequence of Waudby-Smith, Arnold, Wu, Ramdas
 * & Howard (2021/2024) and the mSPRT of Johari, Koomen, Pekelis & Walsh (2017/2022), as GrowthBook's
 * sequential engine uses it. docs/analysis.md has the derivation and references.
 */

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
}

/**
 * The mixing variance ρ² that makes the confidence sequence tightest at `nStar` observations:
 * ρ² = (−2 ln α + ln(−2 ln α + 1)) / n* (Howard et al. 2021, eq. 3.12's approximation; GrowthBook's
 * `sequential_tuning_parameter`).
 *
 * @example rho2ForOptimalN(100, 0.05) // 0.0793615…
 */
export function rho2ForOptimalN(nStar: number, alpha: number): number {
  checkAlpha(alpha);
  if (!(nStar > 0) || !Number.isFinite(nStar)) {
    throw new RangeError(`nStar must be a positive number, got ${nStar}`);
  }
  const twoLogInvAlpha = -2 * Math.log(alpha);
  return (twoLogInvAlpha + Math.log(twoLogInvAlpha + 1)) / nStar;
}

/**
 * Half-width of the two-sided (1 − α) normal-mixture confidence sequence for a mean of `n`
 * unit-variance observations: sqrt( 2(nρ² + 1) / (n²ρ²) · ln( sqrt(nρ² + 1) / α ) ).
 * Multiply by σ̂ for the half-width in the data's unit. Infinity when n < 1.
 *
 * @example normalMixtureMargin(100, rho2ForOptimalN(100, 0.05), 0.05) // 0.30352… (vs 0.196 fixed-n)
 */
export function normalMixtureMargin(n: number, rho2: number, alpha: number): number {
  checkAlpha(alpha);
  if (!(rho2 > 0) || !Number.isFinite(rho2)) {
    throw new RangeError(`rho2 must be a positive number, got ${rho2}`);
  }
  if (!(n >= 1)) return Number.POSITIVE_INFINITY;
  const nRho2 = n * rho2;
  // ln(sqrt(nρ² + 1) / α) = ½·ln(1 + nρ²) − ln α, with log1p for small nρ².
  const logTerm = 0.5 * Math.log1p(nRho2) - Math.log(alpha);
  return Math.sqrt(((2 * (nRho2 + 1)) / (n * nRho2)) * logTerm);
}
