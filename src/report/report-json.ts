import type { Decision } from '../core/decision.js';

/** Version of the report.json layout; bumped on any incompatible change (see docs/report-json.md). */
export const REPORT_SCHEMA_VERSION = 1;

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
  /** Lines read but not replayed, by kind (`depthUpdate`, `depthSnapshot`, `other`, …). */
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
  readonly id: string;
  readonly params: unknown;
}

/** What went in: files, seed, salt, plan, accounts, strategies, execution model. */
export interface ReportInputs {
  readonly files: readonly ReportInputFile[];
  readonly events: number;
  readonly firstEventAt: string | null;
  readonly lastEventAt: string | null;
  readonly seed: number;
  readonly salt: string;
  /** A fixed weight for now; rollout plans come with the rollout controller. */
  readonly plan: { readonly type: 'fixed'; readonly weightPct: number };
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
  /** capital + realized + unrealized − fees. */
  readonly equity: string;
  /** (equity − capital) / capital × 100. */
  readonly returnPct: number;
  /** Largest peak-to-trough fall of the arm's sampled equity, % of the peak. */
  readonly maxDrawdownPct: number;
  readonly latencyMs: { readonly p50: number | null; readonly p99: number | null };
  readonly slippageBps: { readonly mean: number | null; readonly p95: number | null };
}

/** The canary's share, now (end of run) and the maximum over the run. */
export interface ReportExposure {
  readonly accounts: number;
  readonly canaryAccounts: number;
  readonly excludedAccounts: number;
  readonly accountSharePct: number;
  readonly capitalSharePct: number;
  readonly maxAccountSharePct: number;
  readonly maxCapitalSharePct: number;
}

/** A decision as report.json carries it: event time as ISO 8601 (`at`) instead of µs. */
export type ReportDecision = Omit<Decision, 'atTsUs'> & { readonly at: string };

/** How the run ended. `fixed_weight`: a run at a fixed canary weight, no rollout decisions. */
export type ReportOutcome = 'fixed_weight';

/** report.json, the data behind every report. Documented in docs/report-json.md. */
export interface ReportJson {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly inputs: ReportInputs;
  readonly arms: { readonly stable: ReportArm; readonly canary: ReportArm };
  readonly exposure: ReportExposure;
  readonly decisions: readonly ReportDecision[];
  readonly outcome: ReportOutcome;
}

/**
 * report.json's text: two-space indented, keys in the order of the types above, a final newline.
 * No wall-clock time or machine-specific value goes in, so the same inputs, seed and salt give
 * byte-identical files.
 */
export function renderReportJson(report: ReportJson): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
