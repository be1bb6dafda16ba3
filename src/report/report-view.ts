import type { DecisionReason } from '../core/decision.js';
import type { ReportArm, ReportDecision, ReportJson, ReportOutcome } from './report-json.js';

/** One row of the side-by-side table: a label and the two arms' values, as text. */
export interface ArmRow {
  readonly label: string;
  readonly stable: string;
  readonly canary: string;
}

/** A compared metric's latest evidence, as text, with its verdict. */
export interface ComparisonRow {
  readonly metric: string;
  /** Whose evidence: the current step's (`step`) or the whole rollout's (`rollout`). */
  readonly scope: string;
  /** `required` when the step needs it shown non-inferior to advance, else `deterioration`. */
  readonly gate: string;
  readonly unit: string;
  readonly estimate: string;
  /** `[lower, upper]`, a side without a bound yet as `−∞` / `+∞`. */
  readonly bound: string;
  /** The confidence of each bound: `lower %, upper %`. */
  readonly levels: string;
  readonly margin: string;
  /** Canary / stable observations, and the paired buckets (or intervals) they fall in. */
  readonly n: string;
  readonly verdict: 'better' | 'non-inferior' | 'inconclusive' | 'worse' | 'too few data';
  readonly test: string;
}

/** The verdict section: what happened, in a sentence, with the reason that decided it. */
export interface VerdictView {
  readonly outcome: string;
  readonly headline: string;
  readonly finalWeightPct: number | null;
  /** `CODE: message` of the decisive decision, or null (fixed weight, or nothing decided). */
  readonly decisiveReason: string | null;
  /** The decision that decided it (its seq), or null. */
  readonly decisiveSeq: number | null;
  readonly from: string | null;
  readonly to: string | null;
}

const OUTCOME_TEXT: Readonly<Record<ReportOutcome, string>> = {
  fixed_weight: 'fixed weight',
  promoted: 'promoted',
  rolled_back: 'rolled back',
  halted: 'halted',
  in_progress: 'in progress',
};

/** The outcome in words: promoted, rolled back, halted, in progress, fixed weight. */
export function outcomeText(outcome: ReportOutcome): string {
  return OUTCOME_TEXT[outcome];
}

/**
 * The verdict: the outcome, the final weight and the decision that decided it (the last applied
 * non-hold decision; for a halt, the maximum-duration hold; for a run still in progress, the
 * latest decision).
 */
export function verdictOf(report: ReportJson): VerdictView {
  const decisive = decisiveDecision(report);
  const reason = decisive?.reasons[0];
  const canary = report.arms.canary.id;
  const stable = report.arms.stable.id;
  const finalWeightPct = report.rollout?.finalWeightPct ?? null;
  const headline = {
    fixed_weight: `${canary} ran beside ${stable} at a fixed weight of ${weightOf(report)} %; no rollout decisions.`,
    promoted: `${canary} was promoted: every account now trades it.`,
    rolled_back: `${canary} was rolled back: every account trades ${stable} again.`,
    halted: `The rollout of ${canary} halted at ${finalWeightPct ?? 0} % and waits for an operator.`,
    in_progress: `The data ended with the rollout of ${canary} still at ${finalWeightPct ?? 0} %.`,
  }[report.outcome];
  return {
    outcome: outcomeText(report.outcome),
    headline,
    finalWeightPct,
    decisiveReason: reason === undefined ? null : `${reason.code}: ${reason.message}`,
    decisiveSeq: decisive?.seq ?? null,
    from: report.inputs.firstEventAt,
    to: report.inputs.lastEventAt,
  };
}

function weightOf(report: ReportJson): number {
  const plan = report.inputs.plan;
  return plan.type === 'fixed' ? plan.weightPct : 0;
}

function decisiveDecision(report: ReportJson): ReportDecision | undefined {
  const applied = report.decisions.filter((d) => d.disposition === 'applied');
  if (report.outcome === 'halted') {
    const halt = applied.findLast(isHaltAtMaximum);
    if (halt !== undefined) return halt;
  }
  return applied.findLast((d) => d.action !== 'hold') ?? report.decisions.at(-1);
}

/**
 * A decision the timeline and the charts mark: every one but holds (they change nothing and would
 * crowd them), plus the hold a step's maximum duration turns into a halt.
 */
export function isMarkedDecision(decision: ReportDecision): boolean {
  return decision.action !== 'hold' || isHaltAtMaximum(decision);
}

/** The hold a step's maximum duration turns into a halt for an operator. */
function isHaltAtMaximum(decision: ReportDecision): boolean {
  return decision.reasons[0]?.code === 'MAX_DURATION';
}

const count = (n: number): string => n.toLocaleString('en-US');
const fixed = (n: number | null, digits: number, unit = ''): string =>
  n === null ? '–' : `${n.toFixed(digits)}${unit}`;

/**
 * The side-by-side table, stable then canary. Money is the decimal string as computed (exact);
 * statistics are rounded for reading.
 */
export function armRows(report: ReportJson): ArmRow[] {
  const { stable, canary } = report.arms;
  const row = (label: string, f: (arm: ReportArm) => string): ArmRow => ({
    label,
    stable: f(stable),
    canary: f(canary),
  });
  const reasons = new Set([
    ...Object.keys(stable.rejectsByReason),
    ...Object.keys(canary.rejectsByReason),
  ]);
  const rejectRows = [...reasons]
    .filter((r) => (stable.rejectsByReason[r] ?? 0) + (canary.rejectsByReason[r] ?? 0) > 0)
    .map((r) => row(`  rejects: ${r}`, (a) => count(a.rejectsByReason[r] ?? 0)));
  return [
    row('strategy', (a) => a.id),
    row('accounts (at the end)', (a) => count(a.accounts)),
    row('capital (at the end)', (a) => a.capital),
    row('orders', (a) => count(a.orders)),
    row('fills', (a) => count(a.fills)),
    row('fill ratio', (a) => fixed(a.fillRatio === null ? null : a.fillRatio * 100, 2, ' %')),
    row('rejects', (a) => count(a.rejects)),
    ...rejectRows,
    row('strategy errors', (a) => count(a.strategyErrors)),
    row('realized P&L', (a) => a.realizedPnl),
    row('unrealized P&L', (a) => a.unrealizedPnl),
    row('fees', (a) => a.fees),
    row('P&L (attributed)', (a) => a.pnl),
    row('return', (a) => fixed(a.returnPct, 4, ' %')),
    row('Sharpe (annualized)', (a) => fixed(a.sharpe, 2)),
    row('Sortino (annualized)', (a) => fixed(a.sortino, 2)),
    row('max drawdown', (a) => fixed(a.maxDrawdownPct, 4, ' %')),
    row('max drawdown from → to', (a) =>
      a.maxDrawdownStartAt === null || a.maxDrawdownEndAt === null
        ? '–'
        : `${timeOf(a.maxDrawdownStartAt)} → ${timeOf(a.maxDrawdownEndAt)}`,
    ),
    row('closed trades', (a) => count(a.closedTrades)),
    row('win rate', (a) => fixed(a.winRatePct, 2, ' %')),
    row('profit factor', (a) => fixed(a.profitFactor, 3)),
    row(
      'latency p50 / p99',
      (a) => `${fixed(a.latencyMs.p50, 1)} / ${fixed(a.latencyMs.p99, 1)} ms`,
    ),
    row(
      'slippage mean / p95',
      (a) => `${fixed(a.slippageBps.mean, 3)} / ${fixed(a.slippageBps.p95, 3)} bps`,
    ),
  ];
}

/** `HH:MM:SS.mmm` of an ISO time (the date is in the verdict's time range). */
function timeOf(iso: string): string {
  return iso.slice(11, 23);
}

const METRIC_UNITS: Readonly<Record<string, string>> = {
  slippageBps: 'bps',
  latencyMs: 'ms',
  rejectRate: 'fraction of orders',
  edgeBps: 'bps of traded notional',
};

/**
 * The compared metrics' latest evidence, from the last decision that carries per-metric reasons:
 * canary minus stable, with the analysis's verdict (docs/analysis.md, "Verdicts").
 */
export function comparisonRows(report: ReportJson): ComparisonRow[] {
  const latest = report.decisions.findLast((d) => d.reasons.some((r) => r.verdict !== null));
  if (latest === undefined) return [];
  return latest.reasons.filter((r) => r.metric !== null && r.verdict !== null).map(comparisonRow);
}

function comparisonRow(reason: DecisionReason): ComparisonRow {
  const metric = reason.metric ?? '';
  const digits = metric === 'rejectRate' ? 4 : 3;
  const side = (x: number | null, infinite: string): string =>
    x === null ? infinite : x.toFixed(digits);
  const higherIsBetter = metric === 'edgeBps';
  const harm = reason.alpha;
  const safe = reason.alphaNonInferiority ?? reason.alpha;
  const [lowerAlpha, upperAlpha] = higherIsBetter ? [safe, harm] : [harm, safe];
  const pct = (alpha: number | null | undefined): string =>
    alpha === null || alpha === undefined ? '–' : `${formatPercent((1 - alpha) * 100)} %`;
  const clusters =
    reason.clusters === undefined
      ? ''
      : ` in ${count(reason.clusters)} ${metric === 'edgeBps' ? 'intervals' : 'buckets'}`;
  return {
    metric,
    scope: reason.scope ?? '–',
    gate: reason.required === true ? 'required' : 'deterioration',
    unit: reason.unit ?? METRIC_UNITS[metric] ?? '',
    estimate: fixed(reason.estimate, digits),
    bound: reason.ci === null ? '–' : `[${side(reason.ci[0], '−∞')}, ${side(reason.ci[1], '+∞')}]`,
    levels: `${pct(lowerAlpha)}, ${pct(upperAlpha)}`,
    margin: fixed(reason.margin, digits),
    n:
      reason.n === null
        ? '–'
        : `${count(reason.n)} / ${count(reason.nStable ?? reason.n)}${clusters}`,
    verdict: verdictWord(reason),
    test: reason.test ?? '–',
  };
}

/** A percentage for a confidence level: 97.5, 99.88, 99.375 (no trailing zeros). */
function formatPercent(x: number): string {
  return String(Number(x.toFixed(3)));
}

function verdictWord(reason: DecisionReason): ComparisonRow['verdict'] {
  if (reason.code === 'METRIC_TOO_FEW') return 'too few data';
  switch (reason.verdict) {
    case 'worse':
      return 'worse';
    case 'better':
      return 'better';
    case 'non_inferior':
      return 'non-inferior';
    default:
      return 'inconclusive';
  }
}
