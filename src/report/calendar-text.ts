import type { ReportCalendar } from './report-json.js';

/**
 * A plan's trading calendar in words, for report.md, report.html and the CLI summary: its zone,
 * sessions, blackouts and how durations count, e.g. `trading calendar (America/New_York):
 * sessions mon–fri 09:30–16:00; blackouts "CPI" 2024-08-14T08:25–2024-08-14T08:45; steps
 * advance only while it is open, minimum durations count event time, maxima open time`.
 */
export function calendarText(calendar: ReportCalendar): string {
  const parts: string[] = [];
  const sessions = calendar.sessions ?? [];
  parts.push(
    sessions.length === 0
      ? 'open around the clock'
      : `sessions ${sessions.map((s) => `${dayList(s.days)} ${s.open}–${s.close}`).join(', ')}`,
  );
  const blackouts = calendar.blackouts ?? [];
  if (blackouts.length > 0)
    parts.push(
      `blackouts ${blackouts
        .map((b) =>
          'daily' in b
            ? `"${b.name}" ${b.days === undefined ? 'daily' : dayList(b.days)} ${b.daily.from}–${b.daily.to}`
            : `"${b.name}" ${b.from}–${b.to}`,
        )
        .join(', ')}`,
    );
  const durations =
    calendar.durations === 'open'
      ? 'step durations count open time only'
      : 'minimum durations count event time, maxima open time';
  return `trading calendar (${calendar.timeZone}): ${parts.join('; ')}; steps advance only while it is open, ${durations}`;
}

/** `mon–fri` for a run of consecutive days, else the days joined by commas. */
function dayList(days: readonly string[]): string {
  const week = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const indexes = days.map((d) => week.indexOf(d));
  const consecutive = indexes.every((d, i) => i === 0 || d === indexes[i - 1]! + 1);
  return days.length > 2 && consecutive ? `${days[0]}–${days[days.length - 1]}` : days.join(',');
}
