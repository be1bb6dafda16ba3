const DAY_MS = 86_400_000;
const MAX_DATE_MS = 8.64e15;

/**
 * A time-axis label in UTC, chosen by the axis' span: `HH:MM:SS` under a day (`HH:MM:SS.mmm`
 * under 10 s), else `MM-DD HH:MM` (date and time). Independent of the process' time zone.
 *
 * @example utcTimeLabel(Date.UTC(2024, 7, 8, 12, 30, 5), 600_000) // '12:30:05'
 */
export function utcTimeLabel(tsMs: number, spanMs: number): string {
  if (!Number.isFinite(tsMs) || Math.abs(tsMs) > MAX_DATE_MS) return '';
  const iso = new Date(Math.round(tsMs)).toISOString(); // 2024-08-08T12:30:05.000Z
  if (spanMs < 10_000) return iso.slice(11, 23);
  if (spanMs < DAY_MS) return iso.slice(11, 19);
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` in UTC ('' for an invalid time), for tooltips. */
export function utcDateTime(tsMs: number): string {
  if (!Number.isFinite(tsMs) || Math.abs(tsMs) > MAX_DATE_MS) return '';
  return new Date(Math.round(tsMs)).toISOString().slice(0, 23).replace('T', ' ');
}
