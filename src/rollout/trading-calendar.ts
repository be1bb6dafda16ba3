import { DateTime, IANAZone } from 'luxon';
import { usToIso } from '../core/time.js';

/** A day of the week as plan files name it. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** The days in ISO order (Monday first, luxon's `weekday` 1 … 7). */
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * A weekly trading session in the calendar's time zone: `open` to `close` (`HH:MM`, 24-hour) on
 * each of `days`. A `close` at or before `open` ends the next day (an overnight session); `24:00`
 * is the end of the day.
 */
export interface CalendarSession {
  readonly days: readonly Weekday[];
  readonly open: string;
  readonly close: string;
}

/**
 * A window in which no step advances, in the calendar's time zone: either every day (`daily`,
 * `HH:MM` to `HH:MM`, on `days` or every day; a `to` at or before `from` ends the next day), or
 * once (`from` and `to` local date-times, `YYYY-MM-DDTHH:MM`). `name` says why (a news release,
 * funding, the close) in the audit log.
 */
export type CalendarBlackout =
  | {
      readonly name: string;
      readonly daily: { readonly from: string; readonly to: string };
      readonly days?: readonly Weekday[];
    }
  | { readonly name: string; readonly from: string; readonly to: string };

/**
 * A plan's trading calendar (docs/rollout.md, "Trading calendar"): steps advance only while the
 * calendar is open (inside a session, outside every blackout); rollbacks, guardrails and halts
 * are never held. A step's maximum duration counts open time only (a step the calendar holds is
 * not undecided); its minimum counts all event time (`durations: 'event-time'`, the default: a
 * step can be ready when a blackout ends) or open time only (`durations: 'open'`: the evidence
 * of a closed market does not count towards it).
 */
export interface PlanCalendar {
  /** IANA time zone of every time of day and date below, e.g. `America/New_York`, `UTC`. */
  readonly timeZone: string;
  /** Weekly sessions; absent or empty: open around the clock (crypto). */
  readonly sessions?: readonly CalendarSession[];
  readonly blackouts?: readonly CalendarBlackout[];
  readonly durations?: 'event-time' | 'open';
}

/** The calendar at an instant, for operators (`/health`, `ctl status`, the dashboard). */
export interface CalendarStatus {
  /** Inside a session and outside every blackout: steps may advance. */
  readonly open: boolean;
  /** Closed by this blackout; null when open or outside the sessions. */
  readonly blackout: string | null;
  /** When closed: when it opens again, ISO 8601 UTC, and the same in the calendar's zone; null when open or never. */
  readonly opensAt: string | null;
  readonly opensAtLocal: string | null;
}

/** Why the calendar is closed at an instant, and until when. */
export interface CalendarClosure {
  /** The blackout's name, or null outside the sessions. */
  readonly blackout: string | null;
  /** When it opens again, µs; null if never (the calendar has no open time ahead). */
  readonly opensUs: number | null;
}

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/u;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/u;
const DAY_US = 86_400_000_000;
/** Open time is computed a week of local days at a time. */
const CHUNK_DAYS = 7;
/** How far past a chunk an interval that starts in it may end (an overnight session, a long blackout). */
const LOOKBACK_DAYS = 2;

/** Every problem with a calendar, as `field: message` pairs (empty when valid). */
export function calendarIssues(calendar: PlanCalendar): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path: `calendar.${path}`, message });
  };
  if (!IANAZone.isValidZone(calendar.timeZone))
    add('timeZone', `unknown time zone "${calendar.timeZone}" (an IANA name, e.g. Europe/London)`);
  const checkTime = (path: string, value: string): void => {
    if (!TIME_OF_DAY.test(value))
      add(path, `must be a time of day HH:MM (00:00 … 24:00), got "${value}"`);
  };
  const checkDays = (path: string, days: readonly string[]): void => {
    if (days.length === 0) add(path, 'must name at least one day');
    for (const day of days)
      if (!(WEEKDAYS as readonly string[]).includes(day))
        add(path, `unknown day "${day}" (known: ${WEEKDAYS.join(', ')})`);
  };
  (calendar.sessions ?? []).forEach((session, i) => {
    checkDays(`sessions.${i}.days`, session.days);
    checkTime(`sessions.${i}.open`, session.open);
    checkTime(`sessions.${i}.close`, session.close);
  });
  (calendar.blackouts ?? []).forEach((blackout, i) => {
    if (blackout.name === '') add(`blackouts.${i}.name`, 'must not be empty');
    if ('daily' in blackout) {
      checkTime(`blackouts.${i}.daily.from`, blackout.daily.from);
      checkTime(`blackouts.${i}.daily.to`, blackout.daily.to);
      if (blackout.days !== undefined) checkDays(`blackouts.${i}.days`, blackout.days);
      return;
    }
    for (const key of ['from', 'to'] as const)
      if (!LOCAL_DATE_TIME.test(blackout[key]))
        add(
          `blackouts.${i}.${key}`,
          `must be a local date-time YYYY-MM-DDTHH:MM, got "${blackout[key]}"`,
        );
    if (
      LOCAL_DATE_TIME.test(blackout.from) &&
      LOCAL_DATE_TIME.test(blackout.to) &&
      blackout.to <= blackout.from
    )
      add(`blackouts.${i}.to`, `must be after from (${blackout.from}), got ${blackout.to}`);
  });
  const durations = calendar.durations ?? 'event-time';
  if (durations !== 'event-time' && durations !== 'open')
    add('durations', `must be event-time or open, got ${String(durations)}`);
  return issues;
}

/** A half-open interval of event time, µs. */
interface Span {
  readonly startUs: number;
  readonly endUs: number;
}

interface NamedSpan extends Span {
  readonly name: string;
}

/**
 * A {@link PlanCalendar} turned into event time: which instants are open, how much open time lies
 * between two instants, and why and until when a closed instant is closed. Local times become
 * instants through the IANA time zone database (luxon): a session at 09:30 New York is 13:30 UTC
 * in summer and 14:30 in winter; a local time that a clock change skips moves forward by the gap,
 * and one that it repeats is its second occurrence (standard time).
 *
 * Open time is computed a week of local days at a time, as queries reach it, and kept (with its
 * running total), so a query is a binary search; memory grows with the weeks queried.
 */
export class TradingCalendar {
  readonly calendar: PlanCalendar;
  readonly #zone: IANAZone;
  /** Open spans, sorted and disjoint, covering [#fromUs, #toUs). */
  #open: Span[] = [];
  /** #cumulative[i]: open µs before #open[i] since #fromUs. */
  #cumulative: number[] = [];
  #blackouts: NamedSpan[] = [];
  /** The local day (days since 1970-01-01 in the zone) after the last one covered. */
  #toDay = 0;
  #fromUs = 0;
  #toUs = 0;

  constructor(calendar: PlanCalendar) {
    const issues = calendarIssues(calendar);
    if (issues.length > 0)
      throw new RangeError(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.calendar = calendar;
    this.#zone = IANAZone.create(calendar.timeZone);
  }

  /** Whether durations count open time only. */
  get countsOpenTimeOnly(): boolean {
    return this.calendar.durations === 'open';
  }

  /** True when `tsUs` is inside a session and outside every blackout. */
  isOpen(tsUs: number): boolean {
    const i = this.#spanAtOrAfter(tsUs);
    const span = this.#open[i];
    return span !== undefined && span.startUs <= tsUs;
  }

  /** Why `tsUs` is closed and when the calendar opens again; null when it is open. */
  closure(tsUs: number): CalendarClosure | null {
    if (this.isOpen(tsUs)) return null;
    const blackout = this.#blackouts.find((b) => b.startUs <= tsUs && tsUs < b.endUs)?.name ?? null;
    return { blackout, opensUs: this.#nextOpenUs(tsUs) };
  }

  /** {@link closure} in words and ISO times, for operators. */
  status(tsUs: number): CalendarStatus {
    const closure = this.closure(tsUs);
    if (closure === null) return { open: true, blackout: null, opensAt: null, opensAtLocal: null };
    const opensUs = closure.opensUs;
    return {
      open: false,
      blackout: closure.blackout,
      opensAt: opensUs === null ? null : usToIso(opensUs),
      opensAtLocal: opensUs === null ? null : this.localTime(opensUs),
    };
  }

  /** Open µs in [fromUs, toUs) (0 when toUs ≤ fromUs). */
  openUsBetween(fromUs: number, toUs: number): number {
    if (!(toUs > fromUs)) return 0;
    // Both ends covered first: covering an earlier instant recomputes from there.
    this.#cover(fromUs);
    this.#cover(toUs);
    return this.#openUsBefore(toUs) - this.#openUsBefore(fromUs);
  }

  /** `tsUs` as a local time of the calendar's zone, `YYYY-MM-DD HH:MM zone`, for messages. */
  localTime(tsUs: number): string {
    return `${DateTime.fromMillis(Math.floor(tsUs / 1000), { zone: this.#zone }).toFormat('yyyy-MM-dd HH:mm')} ${this.calendar.timeZone}`;
  }

  /** The first open instant at or after `tsUs`, or null if there is none within ten years. */
  #nextOpenUs(tsUs: number): number | null {
    const limitUs = tsUs + 3653 * DAY_US;
    let at = tsUs;
    while (at < limitUs) {
      const i = this.#spanAtOrAfter(at);
      const span = this.#open[i];
      if (span !== undefined) return Math.max(span.startUs, at);
      at = this.#toUs;
    }
    return null;
  }

  /** Open µs in [#fromUs, tsUs), after covering tsUs. */
  #openUsBefore(tsUs: number): number {
    const i = this.#spanAtOrAfter(tsUs);
    const span = this.#open[i];
    const before = this.#cumulative[i] ?? this.#totalOpenUs();
    if (span === undefined || span.startUs >= tsUs) return before;
    return before + (tsUs - span.startUs);
  }

  #totalOpenUs(): number {
    const last = this.#open.length - 1;
    if (last < 0) return 0;
    const span = this.#open[last]!;
    return this.#cumulative[last]! + (span.endUs - span.startUs);
  }

  /**
   * The index of the first open span that ends after `tsUs` (the span holding it, or the next
   * one), covering at least up to the end of tsUs's chunk first; `#open.length` if none is known
   * yet up to #toUs.
   */
  #spanAtOrAfter(tsUs: number): number {
    this.#cover(tsUs);
    const open = this.#open;
    let lo = 0;
    let hi = open.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (open[mid]!.endUs <= tsUs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Extends the computed open time so that it covers `tsUs` (recomputing from an earlier day if needed). */
  #cover(tsUs: number): void {
    if (this.#toUs === this.#fromUs || tsUs < this.#fromUs) this.#reset(this.#localDay(tsUs) - 1);
    while (tsUs >= this.#toUs) this.#extend();
  }

  #reset(fromDay: number): void {
    this.#open = [];
    this.#cumulative = [];
    this.#blackouts = [];
    this.#toDay = fromDay;
    this.#fromUs = this.#dayStartUs(fromDay);
    this.#toUs = this.#fromUs;
  }

  /** Computes the next chunk of local days: sessions minus blackouts, clipped to the chunk. */
  #extend(): void {
    const fromDay = this.#toDay;
    const toDay = fromDay + CHUNK_DAYS;
    const fromUs = this.#dayStartUs(fromDay);
    const toUs = this.#dayStartUs(toDay);
    const sessions: Span[] = [];
    const blackouts: NamedSpan[] = [];
    const configured = this.calendar.sessions ?? [];
    for (let day = fromDay - LOOKBACK_DAYS; day < toDay; day++) {
      const weekday = WEEKDAYS[this.#weekdayIndex(day)]!;
      for (const session of configured)
        if (session.days.includes(weekday))
          sessions.push(this.#localSpan(day, session.open, session.close));
      for (const blackout of this.calendar.blackouts ?? [])
        if ('daily' in blackout && (blackout.days ?? WEEKDAYS).includes(weekday))
          blackouts.push({
            name: blackout.name,
            ...this.#localSpan(day, blackout.daily.from, blackout.daily.to),
          });
    }
    for (const blackout of this.calendar.blackouts ?? [])
      if (!('daily' in blackout))
        blackouts.push({
          name: blackout.name,
          startUs: this.#localDateTimeUs(blackout.from),
          endUs: this.#localDateTimeUs(blackout.to),
        });
    if (configured.length === 0) sessions.push({ startUs: fromUs, endUs: toUs });
    const open = subtract(
      union(clip(sessions, fromUs, toUs)),
      union(clip(blackouts, fromUs, toUs)),
    );
    for (const span of open) this.#append(span);
    for (const b of blackouts)
      if (b.endUs > fromUs && b.startUs < toUs && !this.#blackouts.some((k) => sameSpan(k, b)))
        this.#blackouts.push(b);
    this.#toDay = toDay;
    this.#toUs = toUs;
  }

  #append(span: Span): void {
    const lastIndex = this.#open.length - 1;
    const last = this.#open[lastIndex];
    if (last !== undefined && last.endUs === span.startUs) {
      this.#open[lastIndex] = { startUs: last.startUs, endUs: span.endUs };
      return;
    }
    this.#cumulative.push(this.#totalOpenUs());
    this.#open.push(span);
  }

  /** `from` to `to` (HH:MM) on local day `day`; `to` at or before `from` ends the next day. */
  #localSpan(day: number, from: string, to: string): Span {
    const startUs = this.#localUs(day, from);
    const endDay = minutesOf(to) <= minutesOf(from) ? day + 1 : day;
    return { startUs, endUs: this.#localUs(endDay, to) };
  }

  /** The instant of local time `hhmm` on local day `day` (24:00: the next day's start). */
  #localUs(day: number, hhmm: string): number {
    const minutes = minutesOf(hhmm);
    if (minutes === 24 * 60) return this.#dayStartUs(day + 1);
    const date = DateTime.fromMillis(day * 86_400_000, { zone: 'utc' });
    return (
      DateTime.fromObject(
        {
          year: date.year,
          month: date.month,
          day: date.day,
          hour: Math.floor(minutes / 60),
          minute: minutes % 60,
        },
        { zone: this.#zone },
      ).toMillis() * 1000
    );
  }

  #localDateTimeUs(text: string): number {
    return DateTime.fromISO(text, { zone: this.#zone }).toMillis() * 1000;
  }

  #dayStartUs(day: number): number {
    return this.#localUs(day, '00:00');
  }

  /** The local day (days since 1970-01-01 in the zone) of instant `tsUs`. */
  #localDay(tsUs: number): number {
    const local = DateTime.fromMillis(Math.floor(tsUs / 1000), { zone: this.#zone });
    return Math.floor(
      DateTime.fromObject(
        { year: local.year, month: local.month, day: local.day },
        { zone: 'utc' },
      ).toMillis() / 86_400_000,
    );
  }

  /** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
  #weekdayIndex(day: number): number {
    return (((day + 3) % 7) + 7) % 7;
  }
}

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function sameSpan(a: NamedSpan, b: NamedSpan): boolean {
  return a.startUs === b.startUs && a.endUs === b.endUs && a.name === b.name;
}

function clip<T extends Span>(spans: readonly T[], fromUs: number, toUs: number): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const startUs = Math.max(s.startUs, fromUs);
    const endUs = Math.min(s.endUs, toUs);
    if (endUs > startUs) out.push({ startUs, endUs });
  }
  return out;
}

/** The union of spans, sorted and disjoint (touching spans merged). */
function union(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.startUs - b.startUs);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.startUs <= last.endUs) {
      if (s.endUs > last.endUs) out[out.length - 1] = { startUs: last.startUs, endUs: s.endUs };
    } else out.push(s);
  }
  return out;
}

/** `from` minus `remove` (both sorted and disjoint). */
function subtract(from: readonly Span[], remove: readonly Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const s of from) {
    let start = s.startUs;
    while (j < remove.length && remove[j]!.endUs <= start) j++;
    let k = j;
    while (k < remove.length && remove[k]!.startUs < s.endUs) {
      const r = remove[k]!;
      if (r.startUs > start) out.push({ startUs: start, endUs: r.startUs });
      start = Math.max(start, r.endUs);
      k++;
    }
    if (start < s.endUs) out.push({ startUs: start, endUs: s.endUs });
  }
  return out;
}
