/**
 * Order quantities as whole numbers of quantity steps (10^-decimals base units): the engine's
 * sizing arithmetic is in steps, and the order's exact decimal is built once from text.
 */

/**
 * `steps × 10^-decimals` as decimal.js's `toFixed()` writes it: no trailing zeros after the point,
 * no point for a whole number, e.g. (1230, 5) → `"0.0123"`, (500, 2) → `"5"`.
 */
export function trimmedDecimalString(steps: number, decimals: number): string {
  const text = stepsToDecimalString(steps, decimals);
  if (decimals === 0) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--; // '0'
  if (text.charCodeAt(end - 1) === 46) end--; // '.'
  return end === text.length ? text : text.slice(0, end);
}

/**
 * `steps × 10^-decimals` as a plain decimal string, e.g. (123, 4) → `"0.0123"`; exact for any
 * whole `steps`, the float's own value beyond 2⁵³ (the engine sends no such order).
 */
export function stepsToDecimalString(steps: number, decimals: number): string {
  const magnitude = Math.abs(steps);
  // String() is exact for safe integers only: beyond 2^53 it writes the shortest digits that
  // read back as the float, and from 1e21 an exponent; BigInt writes the float's exact digits.
  const digits = (
    magnitude <= Number.MAX_SAFE_INTEGER ? String(magnitude) : BigInt(magnitude).toString()
  ).padStart(decimals + 1, '0');
  const sign = steps < 0 ? '-' : '';
  if (decimals === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
