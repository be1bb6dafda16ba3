/**
 * An event-time range of report.md and report.html (e.g. a max drawdown's peak → trough), from
 * ISO times in UTC, to the millisecond: `HH:MM:SS.mmm → HH:MM:SS.mmm` when the run's event time
 * lies within one UTC day, else `YYYY-MM-DD HH:MM:SS.mmm → YYYY-MM-DD HH:MM:SS.mmm`.
 *
 * Why dates only for a run over more than one UTC day, rather than always: within one day the date
 * is the event-time line's, stated once, and the side-by-side table keeps short cells; over more
 * than one (which any range across midnight implies, a range lying within its run) every range
 * carries both dates, so that a range within one of those days still says which one, and all the
 * arms' cells read alike. report.json keeps the exact times.
 *
 * @example eventTimeRangeText('2024-08-08T23:58:00.000000Z', '2024-08-09T00:02:30.000000Z', inputs)
 *   // '2024-08-08 23:58:00.000 → 2024-08-09 00:02:30.000'
 */
export function eventTimeRangeText(
  from: string,
  to: string,
  run: { readonly firstEventAt: string | null; readonly lastEventAt: string | null },
): string {
  const times = [from, to, run.firstEventAt, run.lastEventAt].filter((t) => t !== null);
  // report.json's times are `YYYY-MM-DDTHH:MM:SS.ffffffZ`: the date and the time are slices.
  const days = new Set(times.map((t) => t.slice(0, 10)));
  const text = (iso: string): string =>
    days.size > 1 ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : iso.slice(11, 23);
  return `${text(from)} → ${text(to)}`;
}
