/**
 * Writes `value × 10^-decimals` as a plain decimal string with exactly `decimals` fraction digits,
 * from the integer alone, so no float rounding can creep in: `formatScaledInteger(6000000, 2)` is
 * `"60000.00"`, `formatScaledInteger(123, 5)` is `"0.00123"`.
 *
 * @param value - a non-negative integer (a count of ticks or lots in the smallest unit): a safe
 *   integer, or a bigint for larger ones (exact products of prices and sizes).
 * @param decimals - digits after the point, a non-negative integer.
 */
export function formatScaledInteger(value: number | bigint, decimals: number): string {
  const digits = `${value}`;
  if (decimals === 0) return digits;
  const point = digits.length - decimals;
  if (point > 0) return `${digits.slice(0, point)}.${digits.slice(point)}`;
  return `0.${'0'.repeat(-point)}${digits}`;
}
