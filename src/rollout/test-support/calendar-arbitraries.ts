import fc from 'fast-check';
import { WEEKDAYS, type Weekday } from '../trading-calendar.js';

/** A time of day on the quarter hour, `00:00` … `24:00`. */
export const quarterHourArb: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 24 * 4 })
  .map(
    (q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`,
  );

/** A non-empty set of days, in week order. */
export const weekdaysArb: fc.Arbitrary<Weekday[]> = fc.subarray([...WEEKDAYS], { minLength: 1 });
