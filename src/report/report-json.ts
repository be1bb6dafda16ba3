import type { Decision, DecisionReason } from '../core/decision.js';
import { usToIso } from '../core/time.js';
import type { ReportSeries } from './report-series.js';
import type { SegmentNotStarted } from './segments-json.js';

/** Version of the report.json layout; bumped on any incompatible change (see docs/report-json.md). */
export const REPORT_SCHEMA_VERSION = 4;

/** One input file as the run read it. */
export interface ReportInputFile {
  /** As given on the command line. */
  readonly path: string;
  readonly format: string;
  /** Hex sha256 of the file's bytes as stored (compressed if gzipped). */
  readonly sha256: string;
  readonly bytes: number;
  readonly lines: number;
  readonly events: number;
  readonly trades: number;
  readonly quotes: number;
  /**
   * Lines read but not replayed, by kind (`depthUpdate`, `depthSnapshot`, `other`, …;
   * `droppedQuote`: quotes dropped by `--trades-only`).
   */
  readonly skipped: Readonly<Record<string, number>>;
  /** Bad lines skipped under `--on-bad-line skip` (0 otherwise: a bad line stops the run). */
  readonly badLines: number;
  /** Events whose time went back a little and was clamped (docs/feed-formats.md). */
  readonly outOfOrder: number;
  readonly firstEventAt: string | null;
  readonly lastEventAt: string | null;
}

/** A strategy as configured for one arm. */
export interface ReportStrategy {
  /** As given: a bundled id, or a module's path. */
  readonly id: string;
  /** The definition's own `name@version` (what the module says it is). */
  readonly version: string;
  /** sha256 of the module file (hex), or null for a bundled strategy. */
  readonly sha256: string | null;
  readonly params: unknown;
}

/** A run at a fixed canary weight. */
export interface ReportFixedWeight {
  readonly type: 'fixed';
  readonly weightPct: number;
}

/** A run that followed a rollout plan. */
export interface ReportPlan {
  readonly type: 'plan';
  readonly name: string;
  /** Where it comes from: the seed documents of a preset, or the plan file. */
  readonly source: string;
  /** sha256 of the plan's canonical JSON (the same plan gives the same hash). */
  readonly hash: string;
  /** Durations were multiplied by this (`--plan-time-scale`). */
  readonly timeScale: number;
  readonly mode: 'auto' | 'manual';
  readonly positions: 'flatten' | 'handoff';
  /** The plan as run: steps, metric policies, guardrail limits, onMaxDuration. */
  readonly steps: readonly unknown[];
  readonly metrics: unknown;
  readonly guardrails: Readonly<Record<string, number>>;
  readonly onMaxDuration: string;
  /**
   * Event time before the first step with every account on stable, ms (0: none); added within
   * schema 4, older files lack it.
   */
  readonly baselineMs?: number;
  /** The plan's trading calendar as written in it (docs/rollout.md); absent when it has none. */
  readonly calendar?: ReportCalendar;
}

/** A plan's trading calendar in report.json: the plan file's `calendar` field as run. */
export interface ReportCalendar {
  readonly timeZone: string;
  readonly sessions?: readonly {
    readonly days: readonly string[];
    readonly open: string;
    readonly close: string;
  }[];
  readonly blackouts?: readonly (
    | {
        readonly name: string;
        readonly daily: { readonly from: string; readonly to: string };
        readonly days?: readonly string[];
      }
    | { readonly name: string; readonly from: string; readonly to: string }
  )[];
  readonly durations?: 'event-time' | 'open';
}

/** What went in: files, seed, salt, plan, accounts, strategies, execution model. */
export interface ReportInputs {
  readonly files: readonly ReportInputFile[];
  readonly events: number;
  readonly firstEventAt: string | null;
  readonly lastEventAt: string | null;
  readonly seed: number;
  readonly salt: string;
  /** A fixed canary weight, or the rollout plan the run followed (docs/rollout.md). */
  readonly plan: ReportFixedWeight | ReportPlan;
  readonly accounts: {
    readonly source: string;
    readonly count: number;
    /** Decimal string, quote currency. */
    readonly capital: string;
  };
  readonly strategies: { readonly stable: ReportStrategy; readonly canary: ReportStrategy };
  /** The fill model's assumptions and parameters, and the fault injections per arm. */
  readonly execution: unknown;
  readonly onBadLine: 'fail' | 'skip';
  /** Event-time interval of equity sampling (returns, drawdown), ms. */
  readonly sampleIntervalMs: number;
  /**
   * The command that reproduces these results, as typed (output options such as `--out`, `--json`
   * and `--no-progress` left out: they change where results go, not what they are); null when
   * the run did not come from the command line.
   */
  readonly command: string | null;
  /**
   * One segment of a segmented replay (docs/rollout.md, "Segments"): its name, its venue (null:
   * every venue) and the events it traded of the `events` read. Absent for a run without
   * segments (added within schema 4).
   */
  readonly segment?: ReportSegment;
  /**
   * One candidate's lane of an A/B/n replay (docs/rollout.md, "Several candidates"): its name
   * (`c1`…), its lane's index and the number of candidates. Absent otherwise (added within
   * schema 4).
   */
  readonly candidate?: ReportCandidate;
}

/** The candidate a report.json is about, in an A/B/n replay: its lane of the router. */
export interface ReportCandidate {
  /** `c1`, `c2`, … in `--candidate` order. */
  readonly name: string;
  /** Its lane of the router (0-based; docs/bucketing.md, "Several candidates"). */
  readonly lane: number;
  /** The number of candidates (lanes); each lane's error rates are the plan's divided by it. */
  readonly candidates: number;
}

/** The segment a report.json is about, in a segmented replay. */
export interface ReportSegment {
  readonly name: string;
  readonly venue: string | null;
  /** Market events this segment traded (its venue's). */
  readonly events: number;
  /**
   * Why the segment's rollout never started (no events of its venue; in a sequence, an earlier
   * segment rolled back or had not promoted), or null when it started. Absent in report.json
   * written before it was added (within schema 4).
   */
  readonly notStarted?: SegmentNotStarted | null;
}

/** One arm's results. Money as decimal strings (quote currency); statistics as numbers. */
export interface ReportArm {
  readonly id: string;
  readonly accounts: number;
  readonly capital: string;
  readonly orders: number;
  readonly fills: number;
  readonly rejects: number;
  readonly rejectsByReason: Readonly<Record<string, number>>;
  readonly strategyErrors: number;
  /** Target changes the strategy made (each one turns into orders for the arm's accounts). */
  readonly targetChanges: number;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  readonly fees: string;
  /**
   * Everything the arm earned, `realizedPnl + unrealizedPnl − fees`. P&L figures are attributed to
   * the arm they were earned on (accounts that moved left theirs behind, docs/accounting.md).
   */
  readonly pnl: string;
  /** Equity of the accounts on the arm at the end. */
  readonly equity: string;
  /** Orders not sent because they were worth less than the venue's minimum (dust). */
  readonly ordersBelowMinNotional: number;
  /**
   * The arm's return over the run, % (compounded per sampling interval, so accounts moving in or
   * out are flows, not gains or losses; real accounts only, a shadow step's paper trading is in
   * `shadow`).
   */
  readonly returnPct: number;
  /** Largest peak-to-trough fall of the arm's sampled equity, % of the peak. */
  readonly maxDrawdownPct: number;
  /** Event times of that drawdown's peak and trough (ISO), or null without a drawdown. */
  readonly maxDrawdownStartAt: string | null;
  readonly maxDrawdownEndAt: string | null;
  /** `fills / orders`, or null without orders. */
  readonly fillRatio: number | null;
  /**
   * Annualized Sharpe and Sortino ratios of the per-interval returns (intervals with capital at
   * risk; risk-free rate 0; × √(intervals per 365-day year)); null with fewer than two intervals
   * or no dispersion (no downside, for Sortino).
   */
  readonly sharpe: number | null;
  readonly sortino: number | null;
  /** Fills that reduced, closed or flipped a position (docs/accounting.md). */
  readonly closedTrades: number;
  /** Closed trades with a positive P&L before fees, % of closed trades; null without any. */
  readonly winRatePct: number | null;
  /** Σ P&L of winning closed trades / Σ |P&L| of losing ones (before fees); null without losses. */
  readonly profitFactor: number | null;
  readonly latencyMs: { readonly p50: number | null; readonly p99: number | null };
  readonly slippageBps: { readonly mean: number | null; readonly p95: number | null };
}

/** The canary's share of real accounts and capital (paper excluded): at the end and at most. */
export interface ReportExposure {
  readonly accounts: number;
  readonly canaryAccounts: number;
  readonly excludedAccounts: number;
  readonly accountSharePct: number;
  readonly capitalSharePct: number;
  readonly maxAccountSharePct: number;
  readonly maxCapitalSharePct: number;
  /** ∫ canary capital dt over the run, quote currency × minutes. */
  readonly canaryCapitalMinutes: number;
}

/** The shadow step's paper trading: the canary strategy on copies of the stable accounts. */
export interface ReportShadow {
  readonly paperAccounts: number;
  readonly orders: number;
  readonly fills: number;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  readonly fees: string;
  readonly pnl: string;
}

/** Where the rollout ended. */
export interface ReportRollout {
  readonly status: 'pending' | 'shadow' | 'step' | 'promoted' | 'rolled_back';
  readonly halted: boolean;
  readonly stepIndex: number | null;
  readonly finalWeightPct: number;
  /** The audit log beside report.json (`audit.jsonl`), or null when none was written. */
  readonly auditLog: string | null;
  readonly auditRecords: number;
  readonly deployments: readonly unknown[];
}

/** A decision as report.json carries it: event time as ISO 8601 (`at`) instead of µs. */
export type ReportDecision = Omit<Decision, 'atTsUs'> & { readonly at: string };

/** A decision in report.json's form (keys in the documented order). */
export function reportDecisionOf(decision: Decision): ReportDecision {
  return {
    seq: decision.seq,
    at: usToIso(decision.atTsUs),
    action: decision.action,
    fromWeightPct: decision.fromWeightPct,
    toWeightPct: decision.toWeightPct,
    stepIndex: decision.stepIndex,
    disposition: decision.disposition,
    reasons: decision.reasons,
    guardrails: decision.guardrails,
  };
}

/**
 * How the run ended: `fixed_weight` (no rollout), `promoted`, `rolled_back`, `halted` (waiting for a
 * person), or `in_progress` (the data ended before the rollout did).
 */
export type ReportOutcome = 'fixed_weight' | 'promoted' | 'rolled_back' | 'halted' | 'in_progress';

/** report.json, the data behind every report. Documented in docs/report-json.md. */
export interface ReportJson {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly inputs: ReportInputs;
  readonly arms: { readonly stable: ReportArm; readonly canary: ReportArm };
  readonly exposure: ReportExposure;
  /** The shadow step's paper results, or null without a shadow step. */
  readonly shadow: ReportShadow | null;
  readonly rollout: ReportRollout | null;
  readonly decisions: readonly ReportDecision[];
  /**
   * A fixed-weight run's comparison: each compared metric's evidence over the run's closed
   * buckets (the one still open when the data ended is not in it), judged at the default margins
   * and error rates (nothing acts on it). Null with a plan: every decision carries its evidence.
   */
  readonly comparison: readonly DecisionReason[] | null;
  readonly outcome: ReportOutcome;
  /** The charts' data: equity curves, exposure steps, distributions. */
  readonly series: ReportSeries;
}

/**
 * report.json's text: two-space indented, keys in the order of the types above, a final newline.
 * No wall-clock time or machine-specific value goes in, so the same inputs, seed and salt give
 * byte-identical files.
 */
export function renderReportJson(report: ReportJson): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
