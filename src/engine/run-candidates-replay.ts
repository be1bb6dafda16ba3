import { OneVenuePerSymbol } from './one-venue-per-symbol.js';
import type { DecisionReason } from '../core/decision.js';
import type { PlanMetricName } from '../rollout/index.js';
import { metricDirection } from '../analysis/index.js';
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

/** One candidate of an A/B/n replay: its name and its lane's run. */
export interface CandidateReplay {
  /** `c1`, `c2`, … (its directory, its `--inject` prefix). */
  readonly name: string;
  /**
   * Its lane's run: the lane's accounts (`config.lane`), the candidate as the canary strategy, the
   * plan with α split (`candidateLanePlan`) and `holdPromotion`.
   */
  readonly config: ReplayConfig;
  readonly hooks?: ReplayHooks;
}

/**
 * Where a candidate ended: `promoted`; `not_chosen` (ready and ranked below the winner, or
 * halted undecided when the winner was chosen); `rolled_back` (by its own evidence or a
 * guardrail); `halted` (undecided at a step's maximum, waiting for a person, and no winner
 * chosen); `in_progress` (the data ended while it was still deciding).
 */
export type CandidateStatus = 'promoted' | 'not_chosen' | 'rolled_back' | 'halted' | 'in_progress';

/** A finished candidate: its lane's result, its standing and the evidence it was ranked on. */
export interface CandidateResult {
  readonly name: string;
  readonly result: ReplayResult;
  readonly status: CandidateStatus;
  /**
   * Its latest evidence on the primary metric over the whole rollout (candidate − stable of its
   * lane, with the anytime-valid bounds), or null when it has none.
   */
  readonly evidence: DecisionReason | null;
  /** 1 = the best of the candidates ranked (those that passed every step), else null. */
  readonly rank: number | null;
}

/** An A/B/n replay's results: every candidate, and the one promoted (or null). */
export interface CandidatesReplayResult {
  readonly primaryMetric: PlanMetricName;
  readonly candidates: readonly CandidateResult[];
  /** The candidate promoted, or null (every one rolled back, or the data ended first). */
  readonly winner: string | null;
  /** When the choice was made, or when the last candidate's rollback was done, µs; else null. */
  readonly decidedAtUs: number | null;
}

/** The choice of an A/B/n replay, as it is made: the winner and the candidates rolled back. */
export interface CandidateChoice {
  /** The event time of the choice, µs (candidates.json's `decidedAt`). */
  readonly atUs: number;
  /** The candidate promoted: the best of the ready ones. */
  readonly winner: string;
  /** The other ready candidates, best first, rolled back. */
  readonly notChosen: readonly string[];
  /** The candidates halted undecided (for a person), rolled back too. */
  readonly passedOver: readonly string[];
  /** The ranking as the audit logs carry it (`ranked by edgeBps, candidate − stable: c2 …`). */
  readonly ranking: string;
}

/** What an A/B/n replay reports while it runs. */
export interface CandidatesReplayHooks extends Pick<ReplayHooks, 'onProgress'> {
  /** Called once, when the winner is chosen (not when every candidate was rolled back). */
  readonly onChoice?: (choice: CandidateChoice) => void;
}

/**
 * Replays the files once for an A/B/n rollout (docs/rollout.md, "Several candidates"): each
 * candidate runs in its own lane of the router (its accounts, its stable accounts, its own
 * evidence at α / N), so a candidate shown worse is rolled back alone while the others advance.
 * A candidate that passes every step waits; once none is still deciding (each is ready, rolled
 * back, or halted for a person) and one is ready, the ready one with the best estimate of
 * `primaryMetric` is promoted and the others are rolled back (the ready ones not chosen, and the
 * halted ones: undecided loses to shown safe), each with the ranking in its audit log.
 */
export async function runCandidatesReplay(
  base: ReplayConfig,
  primaryMetric: PlanMetricName,
  candidates: readonly CandidateReplay[],
  hooks: CandidatesReplayHooks = {},
  options: ReplayRunOptions & {
    /** Stop reading once the choice is made and every lane has settled (calibration runs). */
    readonly stopWhenDecided?: boolean;
  } = {},
): Promise<CandidatesReplayResult> {
  for (const candidate of candidates) validateReplayPlan(candidate.config);
  const sources = await openSources(base, options);
  const inputs = await auditedInputs(base);
  const lanes = candidates.map(
    (candidate) => new ReplayLane(candidate.config, candidate.hooks ?? {}, inputs),
  );
  let decidedAtUs: number | null = null;
  let winner: string | null = null;
  const ranks = new Map<string, number>();
  /** Halted candidates rolled back when another was chosen. */
  const passedOver = new Set<string>();
  const venues = new OneVenuePerSymbol();
  const { onChoice, ...eventHooks } = hooks;
  await replayEvents(sources, { ...eventHooks, signal: options.signal }, (event) => {
    venues.check(event);
    for (const lane of lanes) {
      if (!lane.started) lane.start(event.tsUs);
      lane.process(event);
    }
    if (decidedAtUs !== null)
      return !(options.stopWhenDecided === true && lanes.every((l) => l.runner?.finished === true));
    const states = lanes.map(laneState);
    // Wait while a candidate is still deciding; a halted one (undecided at a step's maximum, left
    // to a person) does not hold up the others, unless none of them is ready either.
    if (states.includes('running') || !states.includes('ready')) {
      if (states.every((state) => state === 'rolled_back')) decidedAtUs = event.tsUs;
      return true;
    }
    decidedAtUs = event.tsUs;
    const ranked = rank(
      candidates
        .map((c, i) => ({ name: c.name, lane: lanes[i]! }))
        .filter((_, i) => states[i] === 'ready'),
      primaryMetric,
    );
    ranked.forEach((entry, i) => ranks.set(entry.name, i + 1));
    const best = ranked[0]!;
    winner = best.name;
    const standing = rankingText(ranked, primaryMetric);
    for (const entry of ranked) {
      const runner = entry.lane.runner!;
      if (entry === best)
        runner.operate(
          (c, now) =>
            c.approve(c.pendingProposal!.id, now, `chosen among the candidates (${standing})`),
          event.tsUs,
        );
      else
        runner.operate(
          (c, now) => c.forceRollback(`another candidate was chosen (${standing})`, now),
          event.tsUs,
        );
    }
    candidates.forEach((candidate, i) => {
      if (states[i] !== 'halted') return;
      passedOver.add(candidate.name);
      lanes[i]!.runner!.operate(
        (c, now) =>
          c.forceRollback(
            `undecided (halted for a person) when ${winner} was chosen (${standing})`,
            now,
          ),
        event.tsUs,
      );
    });
    onChoice?.({
      atUs: event.tsUs,
      winner: best.name,
      notChosen: ranked.slice(1).map((entry) => entry.name),
      passedOver: [...passedOver],
      ranking: standing,
    });
    return true;
  });
  const results: CandidateResult[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const name = candidates[i]!.name;
    const lane = lanes[i]!;
    const evidence = latestEvidence(lane, primaryMetric);
    const result = await lane.finish(sources);
    const outcome = result.rollout?.outcome;
    results.push({
      name,
      result,
      status:
        name === winner
          ? 'promoted'
          : ranks.has(name) || passedOver.has(name)
            ? 'not_chosen'
            : outcome === 'rolled_back' || outcome === 'halted'
              ? outcome
              : 'in_progress',
      evidence,
      rank: ranks.get(name) ?? null,
    });
  }
  return { primaryMetric, candidates: results, winner, decidedAtUs };
}

/**
 * A lane's standing: rolled back, ready (its promote waits), halted (undecided at a step's
 * maximum, waiting for a person), or still running.
 */
function laneState(lane: ReplayLane): 'rolled_back' | 'ready' | 'halted' | 'running' {
  const runner = lane.runner;
  if (runner === null) return 'running';
  if (runner.outcome === 'rolled_back') return 'rolled_back';
  const controller = runner.controller;
  if (controller.transition !== null || lane.engine.transitionInProgress) return 'running';
  if (controller.pendingProposal?.action === 'promote') return 'ready';
  if (controller.halted) return 'halted';
  return 'running';
}

/** The latest rollout-wide evidence on `metric` among a lane's decisions, or null. */
function latestEvidence(lane: ReplayLane, metric: PlanMetricName): DecisionReason | null {
  const decisions = lane.runner?.decisions ?? [];
  for (let i = decisions.length - 1; i >= 0; i--) {
    const reason = decisions[i]!.reasons.find((r) => r.metric === metric && r.scope === 'rollout');
    if (reason !== undefined && reason.estimate !== null) return reason;
  }
  return null;
}

interface Ranked {
  readonly name: string;
  readonly lane: ReplayLane;
  readonly evidence: DecisionReason | null;
}

/** Best first by the estimate's direction; no evidence last; ties in candidate order. */
function rank(
  entries: readonly { name: string; lane: ReplayLane }[],
  metric: PlanMetricName,
): Ranked[] {
  const sign = metricDirection(metric) === 'higher-is-better' ? -1 : 1;
  return entries
    .map((entry) => ({ ...entry, evidence: latestEvidence(entry.lane, metric) }))
    .sort((a, b) => {
      const x = a.evidence?.estimate ?? null;
      const y = b.evidence?.estimate ?? null;
      if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
      return sign * (x - y);
    });
}

/** `c2 edgeBps +1.2 [−0.4, 2.9] > c1 +0.3 [−1.1, 1.8]`: the ranking an audit record carries. */
function rankingText(ranked: readonly Ranked[], metric: PlanMetricName): string {
  return `ranked by ${metric}, candidate − stable: ${ranked
    .map(({ name, evidence }) => {
      if (evidence === null || evidence.estimate === null) return `${name} no evidence`;
      const [lo, hi] = evidence.ci ?? [null, null];
      const bound = (x: number | null): string => (x === null ? '–' : x.toPrecision(3));
      return `${name} ${evidence.estimate.toPrecision(3)} [${bound(lo)}, ${bound(hi)}]`;
    })
    .join(', ')}`;
}
