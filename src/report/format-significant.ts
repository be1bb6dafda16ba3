/**
 * `x` to three significant digits in plain notation (`1710`, `-0.0421`, `2.50`→`2.5`), never
 * `1.71e+3` as `toPrecision` writes it from 1,000 up; `–` for a missing value. For the candidates'
 * tables, where a bound of a thousand bps sits beside an estimate of a few.
 */
export function formatSignificant(x: number | null | undefined): string {
  if (x == null) return '–';
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(3)));
}
