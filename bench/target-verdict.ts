/** A bench figure's text and its verdict against an upper limit ({@link atMost}). */
export interface Verdict {
  /** The figure, with enough decimals that the verdict can be read off it. */
  readonly text: string;
  readonly verdict: 'OK' | 'MISSED';
}

/**
 * `value` against a target of at most `limit`: OK when `value <= limit`, and printed with
 * `digits` decimals, or with more when those would round it onto the other side of the limit
 * (2.504 against ≤ 2.5 prints `2.504`, not `2.50` beside MISSED; 0.6004 against ≤ 0.6 prints
 * `0.6004`). Up to `digits + 4` decimals; a figure that still rounds onto the limit then is
 * printed so (an exact tie is OK).
 */
export function atMost(value: number, limit: number, digits: number): Verdict {
  const ok = value <= limit;
  let text = fixed(value, digits);
  for (let more = 1; more <= 4 && Number(text.replaceAll(',', '')) <= limit !== ok; more++)
    text = fixed(value, digits + more);
  return { text, verdict: ok ? 'OK' : 'MISSED' };
}

/** `value` with exactly `digits` decimals and thousands separators, as the bench prints figures. */
export function fixed(value: number, digits = 0): string {
  return value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}
