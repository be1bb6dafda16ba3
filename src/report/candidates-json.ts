import type { DecisionReason } from '../core/decision.js';
import type { LanesTable } from './lanes-table.js';
import { formatSignificant } from './format-significant.js';

/** Version of the candidates.json layout; bumped on any incompatible change (docs/report-json.md). */
export const CANDIDATES_SCHEMA_VERSION = 1;

/** The evidence a candidate was ranked on: its latest rollout-wide comparison on the primary metric. */
export interface CandidateEvidence {
  readonly metric: string;
  readonly unit: string | null;
  /** Candidate − stable of its lane, in the metric's unit. */
  readonly estimate: number | null;
  /** The anytime-valid bounds [lower, upper] at the lane's error rates, either side null when none yet. */
  readonly ci: readonly [number | null, number | null] | null;
  /** Candidate observations (fills, orders or intervals), and the paired buckets behind them. */
  readonly n: number | null;
  readonly clusters: number | null;
  readonly verdict: string | null;
}

/** One candidate of an A/B/n replay in candidates.json. */
export interface CandidateSummary {
  readonly name: string;
  /** The strategy as given (`--candidate`) and its definition's `name@version`. */
  readonly strategy: { readonly id: string; readonly version: string };
  /** Its lane of the router: index and buckets `[from, to)` (docs/bucketing.md). */
  readonly lane: { readonly index: number; readonly buckets: readonly [number, number] };
  /** Accounts of its lane (its own and their stable controls). */
  readonly accounts: number;
  /**
   * `promoted` (the one chosen), `not_chosen` (passed every step and ranked below it, or halted
   * undecided when it was chosen), `rolled_back` (shown worse, or a guardrail), `halted`
   * (undecided at a step's maximum, waiting for a person, no winner chosen), `in_progress` (the
   * data ended while it was still deciding).
   */
  readonly status: 'promoted' | 'not_chosen' | 'rolled_back' | 'halted' | 'in_progress';
  /** 1 = best of the candidates that passed every step; null for the others. */
  readonly rank: number | null;
  /** Its weight at the end, percent of its lane. */
  readonly finalWeightPct: number;
  readonly decisions: number;
  readonly evidence: CandidateEvidence | null;
  /** Its run directory, relative to candidates.json (`candidates/NAME`), or null without `--out`. */
  readonly dir: string | null;
}

/** candidates.json: an A/B/n replay's summary (docs/report-json.md, "candidates.json"). */
export interface CandidatesJson {
  readonly schemaVersion: typeof CANDIDATES_SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly plan: {
    readonly name: string;
    readonly source: string;
    readonly hash: string;
    /** The metric the survivors are ranked by. */
    readonly primaryMetric: string;
    /** Each lane's error rates are the plan's divided by this (the number of candidates). */
    readonly alphaDividedBy: number;
  };
  readonly inputs: { readonly files: readonly string[] };
  readonly stable: { readonly id: string; readonly version: string };
  /**
   * `promoted` (a winner), `rolled_back` (every candidate), `halted` (none ready, none still
   * deciding, some halted for a person: the choice waits for one), `in_progress` (the data ended
   * while a candidate was still deciding).
   */
  readonly outcome: 'promoted' | 'rolled_back' | 'halted' | 'in_progress';
  readonly winner: string | null;
  /**
   * When the winner was chosen, or (every candidate rolled back) when the last rollback was done
   * (ISO 8601); null otherwise.
   */
  readonly decidedAt: string | null;
  /** In the order given; `rank` orders the survivors. */
  readonly candidates: readonly CandidateSummary[];
}

/** A decision reason as candidates.json carries it. */
export function candidateEvidenceOf(reason: DecisionReason | null): CandidateEvidence | null {
  if (reason === null) return null;
  return {
    metric: reason.metric ?? '',
    unit: reason.unit ?? null,
    estimate: reason.estimate,
    ci: reason.ci,
    n: reason.n,
    clusters: reason.clusters ?? null,
    verdict: reason.verdict,
  };
}

const num = formatSignificant;

/** The candidates' table (candidates.md, candidates.html): a row per candidate, with its rank. */
export function candidatesTable(json: CandidatesJson): LanesTable {
  const winner = json.candidates.find((c) => c.name === json.winner);
  return {
    title: `A/B/n rollout: ${json.plan.name}`,
    verdict:
      winner === undefined
        ? json.outcome === 'halted'
          ? `Outcome: halted. No candidate promoted: none passed every step, and ${json.candidates
              .filter((c) => c.status === 'halted')
              .map((c) => c.name)
              .join(', ')} halted undecided at a step's maximum, waiting for a person.`
          : `Outcome: ${json.outcome}. No candidate promoted.`
        : `Outcome: promoted ${winner.name} (${winner.strategy.id}) at ${json.decidedAt ?? '–'}, the best ${json.plan.primaryMetric} of the candidates that passed every step.`,
    lead: [
      `Stable: ${json.stable.id}. Plan ${json.plan.source}, sha256 ${json.plan.hash}; each candidate in its own lane of the router, compared with its lane's stable accounts at the plan's error rates divided by ${json.plan.alphaDividedBy}; ${json.tool.name} ${json.tool.version}.`,
    ],
    header: [
      'candidate',
      'strategy',
      'lane buckets',
      'accounts',
      'status',
      'rank',
      'final weight (of lane)',
      `${json.plan.primaryMetric}: candidate − stable`,
      'bounds',
    ],
    numeric: [3, 5, 6, 7],
    rows: json.candidates.map((c) => {
      const e = c.evidence;
      return {
        cells: [
          c.name,
          c.strategy.id,
          `${c.lane.buckets[0]}–${c.lane.buckets[1] - 1}`,
          String(c.accounts),
          c.status,
          c.rank === null ? '–' : String(c.rank),
          `${c.finalWeightPct} %`,
          `${num(e?.estimate)}${e?.unit == null ? '' : ` ${e.unit}`}`,
          e?.ci == null ? '–' : `[${num(e.ci[0])}, ${num(e.ci[1])}]`,
        ],
        dir: c.dir,
      };
    }),
    notes: [
      winner === undefined
        ? "Each candidate's report.md, report.html, report.json and audit.jsonl are in its directory."
        : "Each candidate's report.md, report.html, report.json and audit.jsonl are in its directory; the ranking and the choice are in the audit logs (the winner's promote approved, the others rolled back with the ranking as the reason).",
    ],
  };
}
