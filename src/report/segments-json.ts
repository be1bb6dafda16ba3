import type { LanesTable } from './lanes-table.js';
import type { ReportOutcome } from './report-json.js';

/** Why a segment's rollout never started. */
export interface SegmentNotStarted {
  /**
   * `no_events`: its venue had none; `held`: the segment before it in a sequence had not
   * promoted when the data ended; `stopped`: an earlier segment of the sequence rolled back.
   */
  readonly reason: 'held' | 'stopped' | 'no_events';
  /**
   * The earlier segment that rolled back (`stopped`) or that was under way when the data ended
   * (`held`), even when segments between them were stopped or held too; null for `no_events`.
   */
  readonly after: string | null;
}

/** Version of the segments.json layout; bumped on any incompatible change (docs/report-json.md). */
export const SEGMENTS_SCHEMA_VERSION = 1;

/** One segment's rollout in segments.json: where it went, and where its full report is. */
export interface SegmentSummary {
  readonly name: string;
  /** The venue whose events it traded, or null for every event. */
  readonly venue: string | null;
  readonly accounts: number;
  /** Market events it traded. */
  readonly events: number;
  /** When its rollout started (ISO 8601), or null when it never did (`notStarted` says why). */
  readonly startedAt: string | null;
  readonly notStarted: SegmentNotStarted | null;
  /** Its report.json's outcome, or `not_started`. */
  readonly outcome: ReportOutcome | 'not_started';
  readonly finalWeightPct: number;
  /** Decisions taken (applied, proposed, queued or refused). */
  readonly decisions: number;
  /**
   * The segment's latest decision (a hold says what the rollout waits for): when, what, its
   * disposition and its main reason (the first); null before any.
   */
  readonly latestDecision: {
    readonly at: string;
    readonly action: string;
    readonly disposition: string;
    readonly toWeightPct: number;
    readonly code: string | null;
    readonly message: string | null;
  } | null;
  /** Its run directory, relative to segments.json (`segments/NAME`), or null without `--out`. */
  readonly dir: string | null;
}

/** segments.json: a segmented replay's summary, one entry per segment (docs/report-json.md). */
export interface SegmentsJson {
  readonly schemaVersion: typeof SEGMENTS_SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly plan: {
    readonly name: string;
    readonly source: string;
    /** sha256 of the whole plan's canonical JSON, segments included. */
    readonly hash: string;
    readonly mode: 'parallel' | 'sequence';
  };
  readonly inputs: {
    readonly files: readonly string[];
    /** Events read from venues no segment trades, by venue. */
    readonly unroutedEvents: Readonly<Record<string, number>>;
  };
  readonly segments: readonly SegmentSummary[];
}

/** Where a segment's run directory is, relative to the run's `--out`. */
export function segmentDir(name: string): string {
  return `segments/${name}`;
}

/** Why a segment did not start, in words. */
export function notStartedText(notStarted: SegmentNotStarted): string {
  switch (notStarted.reason) {
    case 'no_events':
      return 'no events of its venue';
    case 'stopped':
      return `stopped: ${notStarted.after ?? 'an earlier segment'} rolled back`;
    case 'held':
      return `held: ${notStarted.after ?? 'an earlier segment'} had not promoted`;
  }
}

/** The segments' table (segments.md, segments.html), a row per segment. */
export function segmentsTable(json: SegmentsJson): LanesTable {
  const outcomes = json.segments.map((s) =>
    s.notStarted === null ? s.outcome : `not started (${notStartedText(s.notStarted)})`,
  );
  const unrouted = Object.entries(json.inputs.unroutedEvents);
  return {
    title: `Segmented rollout: ${json.plan.name} (${json.plan.mode})`,
    verdict: json.segments.map((s, i) => `${s.name}: ${outcomes[i]!}`).join('; '),
    lead: [
      `Plan ${json.plan.source}, sha256 ${json.plan.hash}; ${json.tool.name} ${json.tool.version}.`,
      `Inputs: ${json.inputs.files.join(', ')}.`,
    ],
    header: [
      'segment',
      'venue',
      'accounts',
      'events',
      'outcome',
      'final weight',
      'decisions',
      'latest decision',
    ],
    numeric: [2, 3, 5, 6],
    rows: json.segments.map((s, i) => {
      const latest = s.latestDecision;
      return {
        cells: [
          s.name,
          s.venue ?? 'every venue',
          s.accounts.toLocaleString('en-US'),
          s.events.toLocaleString('en-US'),
          outcomes[i]!,
          `${s.finalWeightPct} %`,
          String(s.decisions),
          latest === null
            ? '–'
            : `${latest.action}${latest.disposition === 'applied' ? '' : ` (${latest.disposition})`} at ${latest.at}${latest.code === null ? '' : `: ${latest.code}`}`,
        ],
        dir: s.dir,
      };
    }),
    notes: [
      ...(unrouted.length === 0
        ? []
        : [
            `Events of venues no segment trades (read, not traded): ${unrouted.map(([venue, n]) => `${venue} ${n}`).join(', ')}.`,
          ]),
      "Each segment is a rollout of its own (its accounts, its venue's events, its evidence, its rollback); its report.md, report.html, report.json and audit.jsonl are in its directory.",
    ],
  };
}
