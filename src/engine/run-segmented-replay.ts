import type { SegmentNotStarted } from '../report/segments-json.js';
import type { PlanSegments } from '../rollout/index.js';
import type { ReplayConfig } from './replay-config.js';
import { ReplayLane } from './replay-lane.js';
import {
  auditedInputs,
  openSources,
  validateReplayPlan,
  replayEvents,
  type ReplayHooks,
  type ReplayResult,
  type ReplayRunOptions,
} from './run-replay.js';

/** One segment to replay: its name and venue, and its own run (accounts, injections, plan, audit). */
export interface SegmentReplay {
  readonly name: string;
  /** The venue whose events the segment trades (`MarketEvent.exchange`); null: every event. */
  readonly venue: string | null;
  /** The segment's run: the replay's configuration with its accounts, faults and plan. */
  readonly config: ReplayConfig;
  /** Callbacks for this segment's run (its decisions, executions, operator commands). */
  readonly hooks?: ReplayHooks;
}

/** A finished segment: its run's result and when its rollout started. */
export interface SegmentResult {
  readonly name: string;
  readonly venue: string | null;
  readonly result: ReplayResult;
  /** Market events the segment traded. */
  readonly events: number;
  /** Event time its rollout started, µs, or null when it never did (see `notStarted`). */
  readonly startedAtUs: number | null;
  readonly notStarted: SegmentNotStarted | null;
}

/** A segmented replay's results, in the plan's segment order. */
export interface SegmentedReplayResult {
  readonly segments: readonly SegmentResult[];
  /** Events of venues no segment trades, by venue (read, not traded). */
  readonly unroutedEvents: Readonly<Record<string, number>>;
}

/**
 * Replays the feed files once for every segment of a plan (docs/rollout.md, "Segments"): each
 * segment is a rollout of its own over its accounts and its venue's events (a lane: engine,
 * analysis, controller, audit log), so a canary that fails on one venue is rolled back there
 * and goes on elsewhere. `parallel`: every segment's rollout starts at its first event;
 * `sequence`: a segment's starts at its first event after the one before it has promoted; a
 * rollback stops the segments after it. `base` gives the files and read options.
 */
export async function runSegmentedReplay(
  base: ReplayConfig,
  mode: PlanSegments['mode'],
  segments: readonly SegmentReplay[],
  hooks: Pick<ReplayHooks, 'onProgress'> = {},
  options: ReplayRunOptions = {},
): Promise<SegmentedReplayResult> {
  for (const segment of segments) validateReplayPlan(segment.config);
  const sources = await openSources(base, options);
  const inputs = await auditedInputs(base);
  const lanes = segments.map(
    (segment) => new ReplayLane(segment.config, segment.hooks ?? {}, inputs),
  );
  const startedAtUs: (number | null)[] = segments.map(() => null);
  // The lanes each venue's events go to: its own segments, then those of every venue.
  const everyVenue = segments.flatMap((segment, i) => (segment.venue === null ? [i] : []));
  const lanesOfVenue = new Map<string, readonly number[]>();
  const lanesOf = (venue: string): readonly number[] => {
    let found = lanesOfVenue.get(venue);
    if (found === undefined) {
      found = [...segments.flatMap((s, i) => (s.venue === venue ? [i] : [])), ...everyVenue];
      lanesOfVenue.set(venue, found);
    }
    return found;
  };
  const unrouted: Record<string, number> = {};
  const mayStart = (i: number): boolean => {
    if (mode === 'parallel' || i === 0) return true;
    const before = lanes[i - 1]!;
    return (
      before.started &&
      before.runner !== null &&
      before.runner.finished &&
      before.runner.outcome === 'promoted'
    );
  };
  await replayEvents(sources, { ...hooks, signal: options.signal }, (event) => {
    const targets = lanesOf(event.exchange);
    if (targets.length === 0) {
      unrouted[event.exchange] = (unrouted[event.exchange] ?? 0) + 1;
      return true;
    }
    for (const i of targets) {
      const lane = lanes[i]!;
      if (!lane.started && mayStart(i)) {
        lane.start(event.tsUs);
        startedAtUs[i] = event.tsUs;
      }
      lane.process(event);
    }
    return true;
  });
  const results: SegmentResult[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const lane = lanes[i]!;
    const result = await lane.finish(sources);
    const notStarted = lane.started ? null : notStartedReason(lane, results[i - 1]);
    const { inputs } = result.report;
    results.push({
      name: segment.name,
      venue: segment.venue,
      // The segment's own report says why it never started, as segments.json does.
      result:
        inputs.segment === undefined
          ? result
          : {
              ...result,
              report: {
                ...result.report,
                inputs: { ...inputs, segment: { ...inputs.segment, notStarted } },
              },
            },
      events: lane.eventsProcessed,
      startedAtUs: startedAtUs[i]!,
      notStarted,
    });
  }
  return { segments: results, unroutedEvents: unrouted };
}

/**
 * Why a lane never started: it had no events, or (in a sequence) the segment before it rolled
 * back or was itself stopped (`stopped`), or had not promoted by the end of the data (`held`).
 * `after` names the segment that rolled back, or the one under way that held the rest: a segment
 * stopped or held because the one before it was is stopped or held by that same segment.
 */
function notStartedReason(lane: ReplayLane, before: SegmentResult | undefined): SegmentNotStarted {
  if (lane.eventsProcessed === 0 || before === undefined)
    return { reason: 'no_events', after: null };
  const stopped =
    before.notStarted?.reason === 'stopped' || before.result.rollout?.outcome === 'rolled_back';
  const reason = stopped ? 'stopped' : 'held';
  const inherited = before.notStarted?.reason === reason ? before.notStarted.after : null;
  return { reason, after: inherited ?? before.name };
}
