/**
 * Order quantities as whole numbers of quantity steps (10^-decimals base units): the engine's
 * sizing arithmetic is in steps, and the order's exact decimal is built once from text.
 */

/** `steps × 10^-decimals` as a plain decimal string, e.g. (123, 4) → `"0.0123"`. */
export function stepsToDecimalString(steps: number, decimals: number): string {
  const digits = String(Math.abs(steps)).padStart(decimals + 1, '0');
  const sign = steps < 0 ? '-' : '';
  if (decimals === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
