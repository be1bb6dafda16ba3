/** Below this fraction of the money involved, a flow-adjusted base is float residue, not capital. */
const EMPTY_BASE_FRACTION = 1e-9;

/**
 * One interval's return of an arm whose accounts can come and go, as a fraction:
 * `equity / (previous equity + flow) − 1`, where `flow` is the change in contributed equity
 * (accounts moved in, minus accounts moved out, valued when they moved) and is taken at the start
 * of the interval. The engine samples an arm's equity just before every flow, so that is exact.
 *
 * 0 when no capital was at risk: a base that is not positive, or within float residue (1e-9) of
 * zero, as when every account left the arm (summed floats of equity in and out differ by ~1e-9 of
 * it, and reading that as a base would make an emptied arm's return −100 %).
 *
 * @example
 * intervalReturn(10_000, 10_100, 0); // 0.01
 * intervalReturn(10_000, 5_050, -5_000); // 0.01: half the accounts left, the rest earned 1 %
 * intervalReturn(10_000, 0, -10_000); // 0: everything left
 */
export function intervalReturn(previousEquity: number, equity: number, flow: number): number {
  if (!hasCapitalAtRisk(previousEquity, flow)) return 0;
  const r = equity / (previousEquity + flow) - 1;
  return Number.isFinite(r) ? r : 0;
}

/**
 * True when an interval had capital at risk: its flow-adjusted base `previous equity + flow` is
 * positive and more than float residue (see {@link intervalReturn}). Intervals without it have no
 * return to speak of (an arm with no accounts), and per-interval statistics leave them out.
 */
export function hasCapitalAtRisk(previousEquity: number, flow: number): boolean {
  const base = previousEquity + flow;
  const scale = Math.max(Math.abs(previousEquity), Math.abs(flow));
  return base > scale * EMPTY_BASE_FRACTION;
}
