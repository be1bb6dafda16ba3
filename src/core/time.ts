/** Event-time helpers. All event times are integer microseconds since the Unix epoch (UTC). */

export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60 * US_PER_SECOND;

/** ISO 8601 with microseconds, e.g. `2024-08-08T23:54:13.937085Z`. */
export function usToIso(tsUs: number): string {
  const ms = Math.floor(tsUs / US_PER_MS);
  const micros = tsUs - ms * US_PER_MS;
  const iso = new Date(ms).toISOString(); // 2024-08-08T23:54:13.937Z
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

/** Milliseconds (float) between two event times. */
export function elapsedMs(fromUs: number, toUs: number): number {
  return (toUs - fromUs) / US_PER_MS;
}
