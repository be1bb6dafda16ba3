/** Numbers of a packed fill, per row: see {@link FillsBatch.numbers}. */
export const NUMBERS = 6;
/** Small integers of a packed fill, per row: see {@link FillsBatch.codes}. */
export const CODES = 7;

/**
 * fills.csv rows in transit from the engine's thread to the thread that formats and writes them
 * (cli/fills-journal-worker.ts): the venue's fills of this engine's orders as columns (no string
 * work on the engine's thread), every other row (rejects, marks, a fill whose fee needs
 * decimal.js) already formatted, in order.
 */
export interface FillsBatch {
  readonly count: number;
  /** Per row: 0 a packed fill, 1 the next of {@link rows}. */
  readonly kinds: Uint8Array;
  /** Per packed fill: tsUs, decisionTsUs, latencyMs, slippageBps, quantity steps, order sequence. */
  readonly numbers: Float64Array;
  /**
   * Per packed fill: arm (0 stable, 1 canary), side (0 buy, 1 sell), quantity decimals, account
   * and symbol (indexes of the fields the batches have named so far, {@link named}), price and
   * fee per unit (offsets in {@link decimals}).
   */
  readonly codes: Int32Array;
  /** Account and symbol fields (CSV-quoted) named for the first time, numbered in order. */
  readonly named: readonly string[];
  /**
   * This batch's prices and fees per unit, each as decimal.js holds it: sign, exponent, number of
   * words, then the words (base 10⁷, most significant first): the engine's thread makes no
   * decimal text for them.
   */
  readonly decimals: Float64Array;
  /** The rows formatted already, in order (one per row of kind 1). */
  readonly rows: readonly string[];
}

/** Rows a batch holds at most. */
export const FILLS_BATCH_ROWS = 2048;

/**
 * The text `Decimal.toFixed()` writes for the decimal at `decimals[at…]` (sign, exponent, word
 * count, words: {@link FillsBatch.decimals}): plain notation, no trailing zeros, `"0"` for zero.
 */
export function decimalText(decimals: Float64Array, at: number): string {
  const count = decimals[at + 2]!;
  let digits = String(decimals[at + 3]!);
  for (let i = 1; i < count; i++) digits += String(decimals[at + 3 + i]!).padStart(7, '0');
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--; // '0'
  if (end !== digits.length) digits = digits.slice(0, end);
  if (digits === '0') return '0';
  const whole = decimals[at + 1]! + 1; // digits before the point
  let text: string;
  if (whole <= 0) text = `0.${'0'.repeat(-whole)}${digits}`;
  else if (whole >= digits.length) text = `${digits}${'0'.repeat(whole - digits.length)}`;
  else text = `${digits.slice(0, whole)}.${digits.slice(whole)}`;
  return decimals[at]! < 0 ? `-${text}` : text;
}
