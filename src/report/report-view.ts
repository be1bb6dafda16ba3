import type { DecisionReason } from '../core/decision.js';
import type { AuditLineForReport } from './decision-log.js';
import { eventTimeRangeText } from './event-time-range-text.js';
import { formatMoney } from './format-money.js';
import { notStartedText } from './segments-json.js';
import type { ReportArm, ReportDecision, ReportJson, ReportOutcome } from './report-json.js';

/** One row of the side-by-side table: a label and the two arms' values, as text. */
export interface ArmRow {
  readonly label: string;
  readonly stable: string;
  readonly canary: string;
  /**
   * The shadow step's paper book (the canary strategy on paper copies of the stable accounts),
   * when the run had one: `–` where the paper book has no such figure; absent without a shadow step.
   */
  readonly paper?: string;
}

/** The heading of the shadow step's paper-book column. */
export const PAPER_COLUMN = 'canary on paper (shadow step)';

/**
 * How the paper column's money is valued: a paper account is closed with its positions when its
 * shadow step ends, so its unrealized P&L is the one at that moment, not at the end of the data
 * (fills.csv's marks), and it is in no accounts.csv.
 */
export const PAPER_NOTE =
  "Paper P&L: the shadow step's paper books (not in accounts.csv); a paper account's positions are valued at the marks of the moment its shadow step ended and it closed, or at the end of the data while it still trades.";

/**
 * What the latency figures measure: the order's own latency, from its decision to its arrival at
 * the venue (docs/fill-model.md), not to the fill's time, which waits for the next market event.
 */
export const LATENCY_NOTE =
  "Latency: from the decision to the order's arrival at the venue, fills.csv's latency_ms; the fill is booked at the first market event after arrival, so its time in fills.csv can be later.";

/** A compared metric's latest evidence, as text, with its verdict. */
export interface ComparisonRow {
  readonly metric: string;
  /** Whose evidence: the current step's (`step`) or the whole rollout's (`rollout`). */
  readonly scope: string;
  /** `required` when the step needs it shown non-inferior to advance, `dry run (never acts)` for a dry-run metric, else `deterioration`. */
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
  /** What {@link decisiveSeq} is in the audit log: an analysis's `decision`, or an `operator command`. */
  readonly decisiveKind: 'decision' | 'operator command';
  /**
   * For a halt or rollback at a step's maximum duration: what kept the step from passing, from the
   * last analysis before it (the required metrics not shown non-inferior, or the unmet floors);
   * else null.
   */
  readonly blockedBy: string | null;
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

/** A plan's duration in words: whole minutes as "10 min", anything else in seconds ("90 s"). */
export function durationText(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

/**
 * A share of accounts or capital (the canary's exposure), in %, to 2 decimals like the reports'
 * other measured percentages (fill ratio, win rate) and the replay's summary line: `50.00 %`
 * beside `12.35 %`, not `50 %` beside `12.3456 %` (report.json keeps 4 decimals).
 */
export function sharePctText(pct: number): string {
  return `${pct.toFixed(2)} %`;
}

/**
 * The canary's capital-minutes (∫ its starting capital dt, report.json `canaryCapitalMinutes`)
 * for a reader: a whole number, grouped, with its unit.
 */
export function capitalMinutesText(capitalMinutes: number): string {
  return `${Math.round(capitalMinutes).toLocaleString('en-US')} capital-minutes (quote currency × minutes of event time)`;
}

/** The outcome in words: promoted, rolled back, halted, in progress, fixed weight. */
export function outcomeText(outcome: ReportOutcome): string {
  return OUTCOME_TEXT[outcome];
}

/**
 * The verdict: the outcome, the final weight and the decision that decided it (the last applied
 * non-hold decision; for a halt, the maximum-duration hold; for a run still in progress, the
 * latest decision). With the run's audit lines, a promotion or rollback an operator caused (an
 * `approve`, a `force-rollback`: a person's, a script's, an A/B/n rollout's choice of its winner)
 * is decided by that operator record instead.
 */
export function verdictOf(
  report: ReportJson,
  audit: readonly AuditLineForReport[] = [],
): VerdictView {
  const decisive = decisiveDecision(report);
  const halt = report.outcome === 'halted' ? operatorHalt(audit, decisive) : undefined;
  if (halt !== undefined) {
    return {
      ...verdictOf(report),
      decisiveReason: `an operator halted the rollout: ${halt.detail?.code ?? 'OPERATOR'}: ${halt.detail?.message ?? ''}`,
      decisiveSeq: halt.seq,
      decisiveKind: 'operator command',
      blockedBy: null,
    };
  }
  const operator = decisiveOperatorRecord(report, audit);
  const reason = decisive?.reasons[0];
  const canary = report.arms.canary.id;
  const stable = report.arms.stable.id;
  const finalWeightPct = report.rollout?.finalWeightPct ?? null;
  const plan = report.inputs.plan;
  const baselineMs = plan.type === 'plan' ? (plan.baselineMs ?? 0) : 0;
  const inBaseline = report.rollout?.status === 'pending' && baselineMs > 0;
  const segment = report.inputs.segment;
  const notStarted = segment?.notStarted ?? null;
  // An A/B/n candidate's report covers its lane's accounts only (the other lanes are not moved).
  const ofLane = report.inputs.candidate === undefined ? '' : ' of its lane';
  const headline = {
    fixed_weight: `${canary} ran beside ${stable} at a fixed weight of ${weightOf(report)} %; no rollout decisions.`,
    promoted: `${canary} was promoted: every account${ofLane} now trades it.`,
    rolled_back: `${canary} was rolled back: every account${ofLane} trades ${stable} again.`,
    halted: `The rollout of ${canary} halted at ${finalWeightPct ?? 0} % and waits for an operator.`,
    in_progress:
      notStarted !== null
        ? `The rollout of ${canary} never started in segment ${segment?.name ?? ''} (${notStartedText(notStarted)}): its accounts stayed on ${stable}.`
        : inBaseline
          ? `The data ended during the plan's baseline (${baselineMs / 60_000} minutes with every account on ${stable}): the rollout of ${canary} had not started.`
          : `The data ended with the rollout of ${canary} still at ${finalWeightPct ?? 0} %.`,
  }[report.outcome];
  return {
    outcome: notStarted === null ? outcomeText(report.outcome) : 'not started',
    headline,
    finalWeightPct,
    decisiveReason:
      operator !== null
        ? operator.reason
        : reason === undefined
          ? null
          : `${decisive?.disposition === 'proposed' ? 'proposed, waiting for an operator: ' : ''}${reason.code}: ${reason.message}`,
    decisiveSeq: operator?.seq ?? decisive?.seq ?? null,
    decisiveKind: operator?.kind ?? 'decision',
    blockedBy: operator !== null || decisive === undefined ? null : blockedBy(report, decisive),
    from: report.inputs.firstEventAt,
    to: report.inputs.lastEventAt,
  };
}

/**
 * What a step that timed out lacked, from the last analysis decision before the timeout: its
 * required metrics not shown non-inferior (with their verdicts), else its unmet floors.
 */
function blockedBy(report: ReportJson, decisive: ReportDecision): string | null {
  if (!(decisive.reasons[0]?.code.startsWith('MAX_DURATION') ?? false)) return null;
  const before = report.decisions.filter((d) => d.seq < decisive.seq);
  const analysis =
    before.findLast((d) => d.reasons.some((r) => r.verdict !== null)) ?? before.at(-1);
  // A rollback at the maximum decided by the analysis itself carries its own evidence.
  const source = decisive.reasons.some((r) => r.required === true) ? decisive : analysis;
  if (source === undefined) return null;
  const pending = source.reasons
    .filter((r) => r.metric !== null && r.required === true)
    .filter((r) => !(r.verdict === 'non_inferior' || r.verdict === 'better'))
    .map((r) => {
      const where = r.scope === 'rollout' ? ' over the rollout' : '';
      return `${r.metric ?? ''}${where} (${verdictWord(r)})`;
    });
  const at = `at decision ${source.seq}`;
  if (pending.length > 0) return `not shown non-inferior ${at}: ${pending.join(', ')}`;
  const floors = source.reasons.filter((r) => r.code.startsWith('WAIT_'));
  if (floors.length > 0) return `floors unmet ${at}: ${floors.map((r) => r.message).join('; ')}`;
  return null;
}

function weightOf(report: ReportJson): number {
  const plan = report.inputs.plan;
  return plan.type === 'fixed' ? plan.weightPct : 0;
}

/** What decided an outcome an operator command caused: the record, what it is, and why. */
interface OperatorDecided {
  readonly seq: number;
  readonly kind: VerdictView['decisiveKind'];
  readonly reason: string;
}

/**
 * What decided a promotion or a rollback an operator command caused (the last applied `promote`
 * / `rollback` transition's `ref`): the command and its note; for an approve without a note, the
 * proposal it approved; null when the transition's cause is not an operator command.
 */
function decisiveOperatorRecord(
  report: ReportJson,
  audit: readonly AuditLineForReport[],
): OperatorDecided | null {
  const action =
    report.outcome === 'promoted'
      ? 'promote'
      : report.outcome === 'rolled_back'
        ? 'rollback'
        : null;
  if (action === null) return null;
  const transition = audit.findLast(
    (line) =>
      line.kind === 'transition' && line.action === action && line.disposition === 'applied',
  );
  const cause = audit.find((line) => line.seq === transition?.ref);
  if (cause?.kind !== 'operator') return null;
  if (cause.detail !== null)
    return {
      seq: cause.seq,
      kind: 'operator command',
      reason: `${cause.detail.code}: ${cause.detail.message}`,
    };
  const proposal = report.decisions.find((d) => d.seq === cause.ref);
  const why = proposal?.reasons[0];
  if (proposal === undefined || why === undefined)
    return { seq: cause.seq, kind: 'operator command', reason: `${cause.action} by an operator` };
  return {
    seq: proposal.seq,
    kind: 'decision',
    reason: `${why.code}: ${why.message} (approved by operator command ${cause.seq})`,
  };
}

/**
 * The operator's halt that left a halted rollout waiting, from the audit log (operator commands
 * are not among report.json's decisions): the last applied one after the decisive decision.
 */
function operatorHalt(
  audit: readonly AuditLineForReport[],
  decisive: ReportDecision | undefined,
): AuditLineForReport | undefined {
  const halt = audit.findLast(
    (l) => l.kind === 'operator' && l.action === 'halt' && l.disposition === 'applied',
  );
  return halt !== undefined && halt.seq > (decisive?.seq ?? 0) ? halt : undefined;
}

function decisiveDecision(report: ReportJson): ReportDecision | undefined {
  const applied = report.decisions.filter((d) => d.disposition === 'applied');
  if (report.outcome === 'halted') {
    const halt = applied.findLast(isHaltAtMaximum);
    if (halt !== undefined) return halt;
  }
  const lastApplied = applied.findLast((d) => d.action !== 'hold');
  // In manual mode, the proposal still waiting for an operator (nothing applied since), not the
  // analysis's refused re-proposals after it; a rollout that is over has none waiting.
  const over = report.outcome === 'promoted' || report.outcome === 'rolled_back';
  const waiting = over ? undefined : report.decisions.findLast((d) => d.disposition === 'proposed');
  if (waiting !== undefined && (lastApplied === undefined || waiting.seq > lastApplied.seq))
    return waiting;
  return lastApplied ?? report.decisions.at(-1);
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

/**
 * Sharpe and Sortino are annualized from per-interval returns: from a short run the square root of
 * the year multiplies noise into numbers like −810. Below one day of event time the reports show
 * them as `n/a` (report.json keeps the computed values; docs/report-json.md).
 */
export const MIN_ANNUALIZED_RATIO_SPAN_MS = 86_400_000;

/** The run's event-time span, ms (0 without events). */
export function eventSpanMs(report: ReportJson): number {
  const { firstEventAt, lastEventAt } = report.inputs;
  if (firstEventAt === null || lastEventAt === null) return 0;
  return Date.parse(lastEventAt) - Date.parse(firstEventAt);
}

/**
 * What the compared-metrics table shows, under it: a rollout's latest evaluation, or a fixed
 * weight's comparison over the run; and what `n` counts, which is not the arms' totals: the
 * observations in the paired buckets behind each estimate (docs/analysis.md).
 */
export function comparisonNoteText(report: ReportJson): string {
  const what =
    report.inputs.plan.type === 'fixed'
      ? 'Canary minus stable over the run, at the default margins and error rates, for information (nothing acts on a fixed weight): paired by event-time bucket of decision time, 60 s each (returns by interval), anytime-valid bounds, each at its own confidence: the bound that can show harm at the rollback level, the one that can show non-inferiority at its own (docs/analysis.md).'
      : 'Canary minus stable, from the latest evaluation, per metric over the current step and over the whole rollout: paired by event-time bucket (returns by interval), anytime-valid bounds, each at its own confidence: the bound that can show harm at the rollback level, the one that can show non-inferiority at its own (docs/analysis.md).';
  return `${what} n counts the observations in the paired buckets behind the estimate (fills; resolved orders for rejectRate; intervals for edgeBps), not the arms' totals above: a bucket only one arm traded in and left unpaired, the buckets of a change of arms and the bucket still open when the data ended are not in it. Worse = shown worse than stable by more than the margin (any metric, any evidence: rollback); non-inferior = shown not worse by more than it (what a required metric needs to advance); better = shown better.`;
}

/** Why the compared-metrics table is empty, in a sentence (no rollout plan, or no evidence yet). */
export function noComparisonText(report: ReportJson): string {
  if (report.inputs.plan.type === 'fixed') {
    return 'No statistical comparison: one arm had no accounts or no orders to compare.';
  }
  const decisive = decisiveDecision(report);
  if (
    report.outcome === 'rolled_back' &&
    (decisive?.reasons[0]?.code.startsWith('GUARDRAIL_') ?? false)
  ) {
    return 'No statistical comparison: a guardrail rolled back the canary before the first analysis.';
  }
  return 'No statistical comparison yet: the rollout had a plan, but no analysis had evidence before the run ended.';
}

/** Why the decision log is empty: no rollout plan, or (with one) no audit.jsonl beside report.json. */
export function noAuditText(report: ReportJson): string {
  return report.inputs.plan.type === 'fixed'
    ? 'No audit entries: the run had no rollout plan.'
    : 'No audit entries: audit.jsonl is missing or empty, though the run had a rollout plan.';
}

/**
 * The command that reproduces the run and its report files: report.json's `inputs.command` (which
 * leaves output options out, so report.json does not depend on where it was written) with an
 * `--out` directory of the reader's; null when the run did not come from the command line.
 */
export function reproduceText(report: ReportJson): string | null {
  const command = report.inputs.command;
  return command === null ? null : `${command} --out runs/reproduce`;
}

const count = (n: number): string => n.toLocaleString('en-US');
const fixed = (n: number | null, digits: number, unit = ''): string =>
  n === null ? '–' : `${n.toFixed(digits)}${unit}`;

/**
 * The side-by-side table, stable then canary. Money is rounded to cents and grouped for reading
 * (report.json and accounts.csv keep it exact); statistics are rounded; Sharpe and Sortino are
 * `n/a` below {@link MIN_ANNUALIZED_RATIO_SPAN_MS} of event time.
 */
export function armRows(report: ReportJson): ArmRow[] {
  const { stable, canary } = report.arms;
  const longEnough = eventSpanMs(report) >= MIN_ANNUALIZED_RATIO_SPAN_MS;
  const ratio = (x: number | null): string => (longEnough ? fixed(x, 2) : 'n/a');
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
  const rows = [
    row('strategy', (a) => a.id),
    row('accounts (at the end)', (a) => count(a.accounts)),
    row('capital (at the end)', (a) => formatMoney(a.capital)),
    row('orders', (a) => count(a.orders)),
    row('fills', (a) => count(a.fills)),
    row('fill ratio', (a) => fixed(a.fillRatio === null ? null : a.fillRatio * 100, 2, ' %')),
    row('rejects', (a) => count(a.rejects)),
    ...rejectRows,
    row('strategy errors', (a) => count(a.strategyErrors)),
    row('realized P&L', (a) => formatMoney(a.realizedPnl)),
    row('unrealized P&L', (a) => formatMoney(a.unrealizedPnl)),
    row('fees', (a) => formatMoney(a.fees)),
    row('P&L (attributed)', (a) => formatMoney(a.pnl)),
    row('return', (a) => fixed(a.returnPct, 4, ' %')),
    row('Sharpe (annualized)', (a) => ratio(a.sharpe)),
    row('Sortino (annualized)', (a) => ratio(a.sortino)),
    row('max drawdown', (a) => fixed(a.maxDrawdownPct, 4, ' %')),
    row('max drawdown from → to', (a) =>
      a.maxDrawdownStartAt === null || a.maxDrawdownEndAt === null
        ? '–'
        : eventTimeRangeText(a.maxDrawdownStartAt, a.maxDrawdownEndAt, report.inputs),
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
  const shadow = report.shadow;
  if (shadow === null) return rows;
  // The paper book keeps its orders, fills and money: the rest of the canary's figures are real.
  const paper: Readonly<Record<string, string>> = {
    strategy: canary.id,
    'accounts (at the end)': `${count(shadow.paperAccounts)} paper`,
    orders: count(shadow.orders),
    fills: count(shadow.fills),
    'realized P&L': formatMoney(shadow.realizedPnl),
    'unrealized P&L': formatMoney(shadow.unrealizedPnl),
    fees: formatMoney(shadow.fees),
    'P&L (attributed)': formatMoney(shadow.pnl),
  };
  return rows.map((r) => ({ ...r, paper: paper[r.label] ?? '–' }));
}

const METRIC_UNITS: Readonly<Record<string, string>> = {
  slippageBps: 'bps',
  latencyMs: 'ms',
  rejectRate: 'fraction of orders',
  feeBps: 'bps of notional',
  edgeBps: 'bps of traded notional',
};

/**
 * The compared metrics' latest evidence, from the last decision that carries per-metric reasons:
 * canary minus stable, with the analysis's verdict (docs/analysis.md, "Verdicts").
 */
export function comparisonRows(report: ReportJson): ComparisonRow[] {
  const latest = report.decisions.findLast((d) => d.reasons.some((r) => r.verdict !== null));
  // A fixed-weight run has no decisions, but its whole-run comparison (older reports: none).
  const reasons = latest?.reasons ?? report.comparison ?? [];
  return reasons.filter((r) => r.metric !== null && r.verdict !== null).map(comparisonRow);
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
    reason.clusters === undefined ? '' : ` in ${count(reason.clusters)} ${clusterUnit(reason)}`;
  return {
    metric,
    scope: reason.scope ?? '–',
    gate:
      reason.dryRun === true
        ? 'dry run (never acts)'
        : reason.required === true
          ? 'required'
          : 'deterioration',
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

/**
 * What an evidence record's clusters are, as the analysis's own message names them: paired
 * intervals (`edgeBps`), pairing windows when the harm bound came from them (a `paired-windows/…`
 * test), else buckets.
 */
function clusterUnit(reason: DecisionReason): string {
  if (reason.metric === 'edgeBps') return 'intervals';
  return reason.test?.startsWith('paired-windows/') === true ? 'pairing windows' : 'buckets';
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

/** A titled table of the assumptions section: a header and rows of text cells. */
export interface AssumptionTable {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `[dotted key, value]` for every leaf of a JSON value (arrays and scalars are leaves). */
function leaves(value: unknown, prefix = ''): [string, string][] {
  if (isRecord(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) =>
      leaves(v, prefix === '' ? k : `${prefix}.${k}`),
    );
  }
  const text =
    value === null || value === undefined
      ? '–'
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  return [[prefix === '' ? '(value)' : prefix, text]];
}

/**
 * A JSON object as a table: when every value is an object (per arm, per metric), one column per
 * key and one row per (dotted) field; otherwise one row per (dotted) key and its value.
 */
export function objectTable(
  title: string,
  value: unknown,
  keyHeader = 'parameter',
): AssumptionTable {
  if (isRecord(value)) {
    const columns = Object.keys(value);
    if (columns.length > 0 && columns.every((c) => isRecord(value[c]))) {
      const byColumn = columns.map((c) => new Map(leaves(value[c])));
      const fields = [...new Set(byColumn.flatMap((m) => [...m.keys()]))];
      return {
        title,
        header: [keyHeader, ...columns],
        rows: fields.map((f) => [f, ...byColumn.map((m) => m.get(f) ?? '–')]),
      };
    }
  }
  return { title, header: [keyHeader, 'value'], rows: leaves(value) };
}

/**
 * The assumptions a reviewer checks, as tables: the strategies' parameters, the execution model's
 * parameters, the fault injections and, with a plan, its metric policies and guardrail limits.
 */
export function assumptionTables(report: ReportJson): AssumptionTable[] {
  const inputs = report.inputs;
  const execution = isRecord(inputs.execution) ? inputs.execution : {};
  const tables = [
    objectTable(
      'Strategy parameters',
      {
        stable: inputs.strategies.stable.params ?? {},
        canary: inputs.strategies.canary.params ?? {},
      },
      'parameter',
    ),
    objectTable('Execution parameters', execution['parameters'] ?? null),
    objectTable('Fault injections', execution['injections'] ?? null, 'injection'),
  ];
  const plan = inputs.plan;
  if (plan.type === 'plan') {
    tables.push(objectTable('Metric policies', plan.metrics, 'policy'));
    tables.push(objectTable('Guardrails', plan.guardrails, 'limit'));
  }
  return tables;
}

/**
 * Whose accounts and capital the report's shares are of: `its lane's ` in an A/B/n candidate's
 * report (its lane is all it covers), else empty (the book's).
 */
export function shareOf(report: ReportJson): string {
  return report.inputs.candidate === undefined ? '' : "its lane's ";
}

/**
 * A report's title: the canary over stable, and the segment in a segmented replay or the
 * candidate in an A/B/n one.
 */
export function reportTitle(report: ReportJson): string {
  const { segment, candidate } = report.inputs;
  return `Rollout report: ${report.arms.canary.id} over ${report.arms.stable.id}${
    segment === undefined ? '' : `, segment ${segment.name}`
  }${candidate === undefined ? '' : `, candidate ${candidate.name} of ${candidate.candidates}`}`;
}
