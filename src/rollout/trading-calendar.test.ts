import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { TradingCalendar, calendarIssues, type PlanCalendar } from './trading-calendar.js';
import { quarterHourArb, weekdaysArb } from './test-support/calendar-arbitraries.js';
import { openByLocalClock } from './test-support/local-clock-reference.js';

const us = (iso: string): number => Date.parse(iso) * 1000;
const MINUTE_US = 60_000_000;
const HOUR_US = 60 * MINUTE_US;

const NYSE: PlanCalendar = {
  timeZone: 'America/New_York',
  sessions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '09:30', close: '16:00' }],
};

describe('TradingCalendar', () => {
  it('follows the zone through daylight saving: 09:30 New York is 13:30 UTC in August, 14:30 in January', () => {
    const c = new TradingCalendar(NYSE);
    expect(c.isOpen(us('2024-08-07T13:29:59Z'))).toBe(false);
    expect(c.isOpen(us('2024-08-07T13:30:00Z'))).toBe(true);
    expect(c.isOpen(us('2024-08-07T19:59:59Z'))).toBe(true);
    expect(c.isOpen(us('2024-08-07T20:00:00Z'))).toBe(false);
    expect(c.isOpen(us('2024-01-10T14:29:59Z'))).toBe(false);
    expect(c.isOpen(us('2024-01-10T14:30:00Z'))).toBe(true);
    // A Saturday.
    expect(c.isOpen(us('2024-08-10T15:00:00Z'))).toBe(false);
  });

  it('counts open time between two instants, over weekends and across a queried-earlier reset', () => {
    const c = new TradingCalendar(NYSE);
    // Friday 12:00 New York to Monday 12:00: 4 h on Friday, 2.5 h on Monday.
    expect(c.openUsBetween(us('2024-08-09T16:00:00Z'), us('2024-08-12T16:00:00Z'))).toBe(
      6.5 * HOUR_US,
    );
    // A week earlier (recomputed from there), then a later one again.
    expect(c.openUsBetween(us('2024-08-02T16:00:00Z'), us('2024-08-05T16:00:00Z'))).toBe(
      6.5 * HOUR_US,
    );
    expect(c.openUsBetween(us('2024-08-05T00:00:00Z'), us('2024-08-12T00:00:00Z'))).toBe(
      5 * 6.5 * HOUR_US,
    );
    expect(c.openUsBetween(us('2024-08-12T00:00:00Z'), us('2024-08-05T00:00:00Z'))).toBe(0);
  });

  it('an overnight session ends the next day, and a spring-forward night is an hour shorter', () => {
    const c = new TradingCalendar({
      timeZone: 'America/Chicago',
      sessions: [{ days: ['sat'], open: '17:00', close: '16:00' }],
    });
    // Saturday 2024-03-09 17:00 CST (23:00 UTC) to Sunday 16:00 CDT (21:00 UTC; clocks jumped
    // 02:00 → 03:00 in between): 22 h.
    expect(c.isOpen(us('2024-03-09T22:59:59Z'))).toBe(false);
    expect(c.isOpen(us('2024-03-09T23:00:00Z'))).toBe(true);
    expect(c.isOpen(us('2024-03-10T20:59:59Z'))).toBe(true);
    expect(c.isOpen(us('2024-03-10T21:00:00Z'))).toBe(false);
    expect(c.openUsBetween(us('2024-03-09T12:00:00Z'), us('2024-03-11T12:00:00Z'))).toBe(
      22 * HOUR_US,
    );
    // The Saturday before, no clock change: 23 h.
    expect(c.openUsBetween(us('2024-03-02T12:00:00Z'), us('2024-03-04T12:00:00Z'))).toBe(
      23 * HOUR_US,
    );
  });

  it('moves a local time that a clock change skips forward by the gap, and takes the second of a repeated one', () => {
    const c = new TradingCalendar({
      timeZone: 'America/New_York',
      sessions: [{ days: ['sun'], open: '02:30', close: '04:00' }],
    });
    // 2024-03-10: 02:30 does not exist (02:00 → 03:00 EDT); the session runs 03:30–04:00 EDT.
    expect(c.openUsBetween(us('2024-03-10T00:00:00Z'), us('2024-03-11T00:00:00Z'))).toBe(
      30 * MINUTE_US,
    );
    expect(c.isOpen(us('2024-03-10T07:30:00Z'))).toBe(true);
    const fallBack = new TradingCalendar({
      timeZone: 'America/New_York',
      sessions: [{ days: ['sun'], open: '01:30', close: '03:00' }],
    });
    // 2024-11-03: 01:30 happens twice (EDT, then EST); the session opens at the second, 06:30 UTC.
    expect(fallBack.isOpen(us('2024-11-03T06:29:59Z'))).toBe(false);
    expect(fallBack.isOpen(us('2024-11-03T06:30:00Z'))).toBe(true);
  });

  it('names the blackout that closes it and when it opens again (funding across midnight UTC)', () => {
    const c = new TradingCalendar({
      timeZone: 'UTC',
      blackouts: [{ name: 'funding', daily: { from: '23:55', to: '00:05' } }],
    });
    expect(c.isOpen(us('2024-08-08T23:54:59Z'))).toBe(true);
    expect(c.closure(us('2024-08-08T23:57:00Z'))).toEqual({
      blackout: 'funding',
      opensUs: us('2024-08-09T00:05:00Z'),
    });
    expect(c.closure(us('2024-08-09T00:03:00Z'))?.blackout).toBe('funding');
    expect(c.closure(us('2024-08-09T00:05:00Z'))).toBeNull();
    expect(c.openUsBetween(us('2024-08-08T00:00:00Z'), us('2024-08-10T00:00:00Z'))).toBe(
      48 * HOUR_US - 20 * MINUTE_US,
    );
    expect(c.localTime(us('2024-08-09T00:05:00Z'))).toBe('2024-08-09 00:05 UTC');
    expect(c.status(us('2024-08-08T23:57:00Z'))).toEqual({
      open: false,
      blackout: 'funding',
      opensAt: '2024-08-09T00:05:00.000000Z',
      opensAtLocal: '2024-08-09 00:05 UTC',
    });
    expect(c.status(us('2024-08-09T00:05:00Z'))).toEqual({
      open: true,
      blackout: null,
      opensAt: null,
      opensAtLocal: null,
    });
  });

  it('a dated blackout is in the zone, and outside the sessions the closure names none', () => {
    const c = new TradingCalendar({
      ...NYSE,
      blackouts: [{ name: 'CPI', from: '2024-08-14T08:25', to: '2024-08-14T09:45' }],
    });
    expect(c.closure(us('2024-08-14T13:00:00Z'))).toEqual({
      blackout: 'CPI',
      opensUs: us('2024-08-14T13:45:00Z'),
    });
    // 08:00 New York: before the release and the session; both end by 09:45.
    expect(c.closure(us('2024-08-14T12:00:00Z'))).toEqual({
      blackout: null,
      opensUs: us('2024-08-14T13:45:00Z'),
    });
    expect(c.closure(us('2024-08-10T12:00:00Z'))).toEqual({
      blackout: null,
      opensUs: us('2024-08-12T13:30:00Z'),
    });
  });

  it('says when it never opens again', () => {
    const c = new TradingCalendar({
      timeZone: 'UTC',
      blackouts: [{ name: 'forever', daily: { from: '00:00', to: '24:00' } }],
    });
    expect(c.closure(us('2024-08-08T12:00:00Z'))).toEqual({ blackout: 'forever', opensUs: null });
  });

  it('agrees with a minute-by-minute reading of the local clock (property, away from clock changes)', () => {
    const zones = [
      'UTC',
      'Asia/Tokyo',
      'Asia/Kolkata',
      'Europe/London',
      'America/New_York',
      'Australia/Sydney',
    ];
    const hhmm = quarterHourArb;
    const days = weekdaysArb;
    const session = fc.record({ days, open: hhmm, close: hhmm });
    const blackout = fc.record({
      name: fc.constantFrom('news', 'funding', 'close'),
      daily: fc.record({ from: hhmm, to: hhmm }),
      days,
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(session, { maxLength: 3 }),
        fc.array(blackout, { maxLength: 3 }),
        fc.integer({ min: 0, max: 360 }),
        fc.integer({ min: 1, max: 4 * 24 * 4 }),
        (timeZone, sessions, blackouts, startDay, quarters) => {
          const calendar: PlanCalendar = { timeZone, sessions, blackouts };
          const c = new TradingCalendar(calendar);
          const fromUs = us('2024-01-01T00:00:00Z') + startDay * 24 * HOUR_US;
          const toUs = fromUs + quarters * 15 * MINUTE_US;
          if (!sameOffset(timeZone, fromUs - 3 * 24 * HOUR_US, toUs + 3 * 24 * HOUR_US)) return;
          let expected = 0;
          for (let t = fromUs; t < toUs; t += 15 * MINUTE_US) {
            const open = openByLocalClock(timeZone, sessions, blackouts, t);
            expect(c.isOpen(t)).toBe(open);
            if (open) expected += 15 * MINUTE_US;
          }
          expect(c.openUsBetween(fromUs, toUs)).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('calendarIssues', () => {
  it('lists every bad field', () => {
    const issues = calendarIssues({
      timeZone: 'Mars/Olympus',
      sessions: [{ days: ['mon', 'funday' as never], open: '9:30', close: '25:00' }],
      blackouts: [
        { name: '', daily: { from: '23:55', to: '00:5' } },
        { name: 'CPI', from: '2024-08-14T08:45', to: '2024-08-14T08:25' },
      ],
      durations: 'wall' as never,
    }).map((i) => i.path);
    expect(issues).toEqual([
      'calendar.timeZone',
      'calendar.sessions.0.days',
      'calendar.sessions.0.open',
      'calendar.sessions.0.close',
      'calendar.blackouts.0.name',
      'calendar.blackouts.0.daily.to',
      'calendar.blackouts.1.to',
      'calendar.durations',
    ]);
    expect(calendarIssues(NYSE)).toEqual([]);
    expect(() => new TradingCalendar({ timeZone: 'Nowhere' })).toThrow(/unknown time zone/u);
  });
});

/** True when the zone's UTC offset is the same at both instants and every day between. */
function sameOffset(zone: string, fromUs: number, toUs: number): boolean {
  const offset = (t: number) => DateTime.fromMillis(t / 1000, { zone }).offset;
  const first = offset(fromUs);
  for (let t = fromUs; t <= toUs; t += 12 * HOUR_US) if (offset(t) !== first) return false;
  return offset(toUs) === first;
}
