/**
 * The event times a canary takes, ms since the epoch: from 2000-01-01T00:00:00Z
 * (946,684,800,000) up to, not including, 2100-01-01T00:00:00Z (4,102,444,800,000). A time in
 * another unit falls outside (in seconds it reads as January 1970, in µs as a year past 50,000),
 * as does an unset 0; and every time inside is a safe integer of µs, the canary's own unit.
 */
export const EARLIEST_EVENT_TIME_MS = 946_684_800_000;
/** The end (excluded) of the event times a canary takes: 2100-01-01T00:00:00Z, in ms. */
export const EVENT_TIME_END_MS = 4_102_444_800_000;

type TimeUnit = 'ms' | 'µs';
const SMALLER: Record<TimeUnit, string> = { ms: 'seconds', µs: 'ms' };
const LARGER: Record<TimeUnit, string> = { ms: 'µs', µs: 'ns' };

/** Why a time before 2000-01-01 is refused: most likely a smaller unit, or unset. */
export const tooEarly = (unit: TimeUnit): string =>
  `before 2000-01-01: ${unit} since the epoch expected (in ${SMALLER[unit]}? unset?)`;
/** Why a time at or after 2100-01-01 is refused: most likely a larger unit. */
export const tooLate = (unit: TimeUnit): string =>
  `2100-01-01 or later: ${unit} since the epoch expected (in ${LARGER[unit]}?)`;

/**
 * Why `time` (in `unit` since the epoch) is not a plausible event time, or null when it is one;
 * a time in µs must also be a whole number.
 */
export function implausibleEventTime(time: number, unit: TimeUnit): string | null {
  if (unit === 'µs' ? !Number.isSafeInteger(time) : !Number.isFinite(time)) {
    return unit === 'µs' ? 'not a whole number of µs' : 'not a finite number';
  }
  const ms = unit === 'µs' ? time / 1000 : time;
  if (ms < EARLIEST_EVENT_TIME_MS) return tooEarly(unit);
  if (ms >= EVENT_TIME_END_MS) return tooLate(unit);
  return null;
}
