/** Four significant digits, plain notation for everyday magnitudes; deterministic (messages only). */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  return String(Number(x.toPrecision(4)));
}
