import { DateTime } from 'luxon';
import { WEEKDAYS, type CalendarSession, type Weekday } from '../trading-calendar.js';

/**
 * Whether the calendar is open at `t` read off the local clock (the independent reference): a
 * session or daily blackout of day D covers local minutes [from, to) of D, or from `from` on D to
 * `to` on D+1 when `to` ≤ `from`.
 */
export function openByLocalClock(
  zone: string,
  sessions: readonly CalendarSession[],
  blackouts: readonly {
    readonly daily: { readonly from: string; readonly to: string };
    readonly days?: readonly Weekday[];
  }[],
  t: number,
): boolean {
  const local = DateTime.fromMillis(t / 1000, { zone });
  const minute = local.hour * 60 + local.minute;
  const today = WEEKDAYS[local.weekday - 1]!;
  const yesterday = WEEKDAYS[(local.weekday + 5) % 7]!;
  const covers = (days: readonly string[], from: string, to: string): boolean => {
    const f = minutesOf(from);
    const e = minutesOf(to);
    if (e > f) return days.includes(today) && minute >= f && minute < e;
    return (days.includes(today) && minute >= f) || (days.includes(yesterday) && minute < e);
  };
  const inSession = sessions.length === 0 || sessions.some((s) => covers(s.days, s.open, s.close));
  const inBlackout = blackouts.some((b) => covers(b.days ?? WEEKDAYS, b.daily.from, b.daily.to));
  return inSession && !inBlackout;
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
