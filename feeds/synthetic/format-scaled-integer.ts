/** '', '0', '00', … for padding fractions of up to 16 digits. */
const ZEROS = Array.from({ length: 17 }, (_, n) => '0'.repeat(n));

/**
 * Writes `value × 10^-decimals` as a plain decimal string with exactly `decimals` fraction digits,
 * from the integer alone, so no float rounding can creep in: `formatScaledInteger(6000000, 2)` is
 * `"60000.00"`, `formatScaledInteger(123, 5)` is `"0.00123"`.
 *
 * @param value - a non-negative safe integer (a count of ticks or lots in the smallest unit).
 * @param decimals - digits after the point, 0 to 16.
 */
export function formatScaledInteger(value: number, decimals: number): string {
  const digits = `${value}`;
  if (decimals === 0) return digits;
  const point = digits.length - decimals;
  if (point > 0) return `${digits.slice(0, point)}.${digits.slice(point)}`;
  return `0.${ZEROS[-point] as string}${digits}`;
}
