import fc from 'fast-check';
import {
  WEEKDAYS,
  type CalendarSession,
  type PlanCalendar,
  type Weekday,
} from '../trading-calendar.js';

/** A time of day on the quarter hour, `00:00` … `24:00`. */
export const quarterHourArb: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 24 * 4 })
  .map(
    (q) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`,
  );

/** A non-empty set of days, in week order. */
export const weekdaysArb: fc.Arbitrary<Weekday[]> = fc.subarray([...WEEKDAYS], { minLength: 1 });

/** A calendar whose blackouts are all daily ones (what {@link calendarArb} makes). */
export type DailyCalendar = PlanCalendar & {
  readonly sessions: readonly CalendarSession[];
  readonly blackouts: readonly {
    readonly name: string;
    readonly daily: { readonly from: string; readonly to: string };
    readonly days: readonly Weekday[];
  }[];
};

/** Random calendars on a 15-minute grid: sessions, daily blackouts, zones with and without DST. */
export const calendarArb: fc.Arbitrary<DailyCalendar> = (() => {
  const hhmm = quarterHourArb;
  const days = weekdaysArb;
  return fc.record({
    timeZone: fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata', 'Europe/London'),
    sessions: fc.array(fc.record({ days, open: hhmm, close: hhmm }), { maxLength: 2 }),
    blackouts: fc.array(
      fc.record({
        name: fc.constantFrom('news', 'funding'),
        daily: fc.record({ from: hhmm, to: hhmm }),
        days,
      }),
      { minLength: 1, maxLength: 3 },
    ),
    durations: fc.constantFrom<'event-time' | 'open'>('event-time', 'open'),
  });
})();
