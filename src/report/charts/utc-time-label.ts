const DAY_MS = 86_400_000;
const MAX_DATE_MS = 8.64e15;

/**
 * A time-axis label in UTC, chosen by the axis' span: `HH:MM:SS` under a day (`HH:MM:SS.mmm`
 * under 10 s), else `MM-DD HH:MM` (date and time). An axis under a day that `crossesDay` (runs
 * past a UTC midnight) puts the date before its times too (`MM-DD HH:MM:SS`), or `00:01:00` after
 * `23:59:00` would read as going back. Independent of the process' time zone.
 *
 * @example utcTimeLabel(Date.UTC(2024, 7, 8, 12, 30, 5), 600_000) // '12:30:05'
 */
export function utcTimeLabel(tsMs: number, spanMs: number, crossesDay = false): string {
  if (!Number.isFinite(tsMs) || Math.abs(tsMs) > MAX_DATE_MS) return '';
  const iso = new Date(Math.round(tsMs)).toISOString(); // 2024-08-08T12:30:05.000Z
  if (spanMs >= DAY_MS) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  const time = spanMs < 10_000 ? iso.slice(11, 23) : iso.slice(11, 19);
  return crossesDay ? `${iso.slice(5, 10)} ${time}` : time;
}

/** Whether the time range `[fromMs, toMs]` runs past a UTC midnight. */
export function crossesUtcDay(fromMs: number, toMs: number): boolean {
  return Math.floor(fromMs / DAY_MS) !== Math.floor(toMs / DAY_MS);
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC ('' for an invalid time), for tooltips. */
export function utcDateTime(tsMs: number): string {
  if (!Number.isFinite(tsMs) || Math.abs(tsMs) > MAX_DATE_MS) return '';
  return new Date(Math.round(tsMs)).toISOString().slice(0, 23).replace('T', ' ');
}
