import type { SampleSummary } from './normal-mixture-cs.js';

/**
 * Per-order reject observations as a sample for the confidence sequence: mean = rejects / orders
 * (0 without orders), variance p̃(1 − p̃) with p̃ = (rejects + 1) / (orders + 2): one pseudo-reject
 * and one pseudo-fill per arm (Agresti & Caffo 2000), so the variance never collapses to 0 while an
 * arm has seen no reject (or only rejects) yet. The estimate itself stays the raw rate.
 *
 * @example bernoulliSummary(0, 50) // { n: 50, mean: 0, variance: (1/52)·(51/52) }
 */
export function bernoulliSummary(rejects: number, orders: number): SampleSummary {
  const smoothed = (rejects + 1) / (orders + 2);
  return {
    n: orders,
    mean: orders > 0 ? rejects / orders : 0,
    variance: smoothed * (1 - smoothed),
  };
}
