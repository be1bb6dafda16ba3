import type { DecisionReason, GuardrailState } from '../core/decision.js';
import type { ExecutionReport } from '../core/execution-report.js';
import { US_PER_MS, usToIso } from '../core/time.js';
import type { StrategyErrorInput } from '../metrics/metrics-input.js';
import {
  MAX_DRAWDOWN_PCT,
  MAX_GROSS_EXPOSURE_PCT,
  MAX_LOSS_PCT,
  MAX_LOSS_QUOTE,
  MAX_REJECT_RATE,
  MAX_STRATEGY_ERRORS,
  MIN_BATCHES_FOR_REJECT_RATE,
  REJECT_BATCH_GAP_MS,
  REJECT_WINDOW_BATCHES,
} from './analysis-defaults.js';
import { formatNumber } from './format-number.js';
import type { ReasonCode } from './reason-codes.js';

/**
 * Hard limits on the canary, independent of statistics. A limit set to null is off. Loss and
 * drawdown are measured on canary P&L = equity − contributed (contributed = capital plus equity
 * moved in with accounts minus equity moved out), so accounts joining the canary never look like
 * gains or losses.
 */
export interface GuardrailLimits {
  /** Canary loss, quote currency (contributed − equity). Default null (off). */
  readonly maxLossQuote: number | null;
  /** Canary loss, % of canary contributed capital. Default 2. */
  readonly maxLossPct: number | null;
  /** Canary drawdown from the peak of its P&L, % of canary contributed capital. Default 3. */
  readonly maxDrawdownPct: number | null;
  /** Canary gross exposure (Σ |position| × mark), % of canary equity. Default 110. */
  readonly maxGrossExposurePct: number | null;
  /**
   * Canary reject rate over its last `rejectWindowBatches` decision batches: the mean of each
   * batch's rejected fraction (a batch counts once, however many orders it has). Default 0.5.
   */
  readonly maxRejectRate: number | null;
  /** Decision batches the reject rate looks at. Default 5. */
  readonly rejectWindowBatches: number;
  /**
   * The reject rate is judged once the window holds this many decision batches. Default 3: a
   * single burst (one batch emptied by a venue outage) is never judged alone.
   */
  readonly minBatchesForRejectRate: number;
  /** Canary strategy errors (throws, invalid output) allowed. Default 0: the first rolls back. */
  readonly maxStrategyErrors: number | null;
}

/** The defaults of analysis-defaults.ts. */
export const DEFAULT_GUARDRAIL_LIMITS: GuardrailLimits = {
  maxLossQuote: MAX_LOSS_QUOTE,
  maxLossPct: MAX_LOSS_PCT,
  maxDrawdownPct: MAX_DRAWDOWN_PCT,
  maxGrossExposurePct: MAX_GROSS_EXPOSURE_PCT,
  maxRejectRate: MAX_REJECT_RATE,
  rejectWindowBatches: REJECT_WINDOW_BATCHES,
  minBatchesForRejectRate: MIN_BATCHES_FOR_REJECT_RATE,
  maxStrategyErrors: MAX_STRATEGY_ERRORS,
};

/** The canary's numbers the engine passes in at each check (floats, quote currency). */
export interface GuardrailView {
  /** Canary arm equity now. */
  readonly canaryEquity: number;
  /** Canary `contributed` now (ArmTotals.contributed; capital when no account moved). */
  readonly canaryContributed: number;
  /** Canary gross exposure now: Σ |position| × mark over its accounts. */
  readonly canaryGrossExposure: number;
  /**
   * Whose figures these are: a shadow step's paper accounts, or real accounts (the default). The
   * drawdown peak restarts at 0 when it changes: real money's drawdown does not count from a
   * paper high.
   */
  readonly canaryBook?: 'paper' | 'real';
}

/** A breach: the reason (code `GUARDRAIL_*`, naming the record that breached) and every state. */
export interface GuardrailBreach {
  readonly reason: DecisionReason;
  readonly states: readonly GuardrailState[];
}

type GuardrailName =
  | 'canaryLossQuote'
  | 'canaryLossPct'
  | 'canaryDrawdownPct'
  | 'canaryGrossExposurePct'
  | 'canaryRejectRate'
  | 'canaryStrategyErrors';

interface GuardrailSpec {
  readonly name: GuardrailName;
  readonly code: Extract<ReasonCode, `GUARDRAIL_${string}`>;
  readonly unit: string;
  readonly limit: number;
}

/** The guardrails in the order they are reported; the first breached one is "the" breach. */
const SPECS: ReadonlyArray<Omit<GuardrailSpec, 'limit'> & { readonly key: keyof GuardrailLimits }> =
  [
    {
      name: 'canaryLossQuote',
      code: 'GUARDRAIL_CANARY_LOSS_QUOTE',
      unit: 'quote',
      key: 'maxLossQuote',
    },
    { name: 'canaryLossPct', code: 'GUARDRAIL_CANARY_LOSS_PCT', unit: '%', key: 'maxLossPct' },
    {
      name: 'canaryDrawdownPct',
      code: 'GUARDRAIL_CANARY_DRAWDOWN_PCT',
      unit: '%',
      key: 'maxDrawdownPct',
    },
    {
      name: 'canaryGrossExposurePct',
      code: 'GUARDRAIL_CANARY_GROSS_EXPOSURE_PCT',
      unit: '%',
      key: 'maxGrossExposurePct',
    },
    {
      name: 'canaryRejectRate',
      code: 'GUARDRAIL_CANARY_REJECT_RATE',
      unit: 'fraction',
      key: 'maxRejectRate',
    },
    {
      name: 'canaryStrategyErrors',
      code: 'GUARDRAIL_CANARY_STRATEGY_ERRORS',
      unit: 'count',
      key: 'maxStrategyErrors',
    },
  ];

/**
 * Every limit out of its range, as `field: message` pairs (empty when valid): a limit is null or a
 * finite number ≥ 0, a reject rate at most 1, a count of strategy errors whole; the reject window
 * a whole number of batches ≥ 1, judged from 1 to `rejectWindowBatches` of them.
 */
export function guardrailLimitIssues(
  limits: GuardrailLimits,
): { path: keyof GuardrailLimits; message: string }[] {
  const issues: { path: keyof GuardrailLimits; message: string }[] = [];
  for (const { key, unit } of SPECS) {
    const limit = limits[key];
    if (limit === null) continue;
    if (!(Number.isFinite(limit) && limit >= 0))
      issues.push({ path: key, message: `must be a non-negative number or null, got ${limit}` });
    else if (unit === 'fraction' && limit > 1)
      issues.push({ path: key, message: `must be a fraction from 0 to 1 or null, got ${limit}` });
    else if (unit === 'count' && !Number.isSafeInteger(limit))
      issues.push({ path: key, message: `must be a whole number ≥ 0 or null, got ${limit}` });
  }
  const { rejectWindowBatches, minBatchesForRejectRate } = limits;
  const window = Number.isSafeInteger(rejectWindowBatches) && rejectWindowBatches >= 1;
  if (!window)
    issues.push({
      path: 'rejectWindowBatches',
      message: `must be a positive whole number, got ${rejectWindowBatches}`,
    });
  if (
    !Number.isSafeInteger(minBatchesForRejectRate) ||
    minBatchesForRejectRate < 1 ||
    (window && minBatchesForRejectRate > rejectWindowBatches)
  )
    issues.push({
      path: 'minBatchesForRejectRate',
      message: `must be a whole number from 1 to rejectWindowBatches (${rejectWindowBatches}), got ${minBatchesForRejectRate}`,
    });
  return issues;
}

/**
 * The canary's hard guardrails. Feed it every execution report and strategy error (stable ones
 * are ignored) and every equity sample, with the engine's current {@link GuardrailView}: `check`
 * is O(1) and allocates nothing unless a limit is breached. The reject window is a ring buffer of
 * the canary's last `rejectWindowBatches` decision batches (orders and rejects per batch, a batch
 * being the orders of one decision time; EXPIRED rejects at the end of data are not outcomes). The drawdown peak is the highest canary P&L any check or `states` call has seen on
 * the current book (paper in a shadow step, then real). Limits out of range
 * ({@link guardrailLimitIssues}) throw a RangeError.
 *
 * @example
 * const guardrails = new Guardrails({ maxLossPct: 2 });
 * const breach = guardrails.check(view, report);
 * if (breach !== null) rollback(breach.reason, breach.states);
 */
export class Guardrails {
  readonly limits: GuardrailLimits;
  readonly #specs: readonly GuardrailSpec[];
  /** Per batch in the ring: orders and rejects. */
  readonly #batchOrders: Float64Array;
  readonly #batchRejects: Float64Array;
  /** Slot of the current (latest) batch, its decision time, and how many batches the ring holds. */
  #current = 0;
  #currentDecisionUs = Number.NaN;
  #batches = 0;
  #windowCount = 0;
  #strategyErrors = 0;
  #peakPnl = 0;
  #book: 'paper' | 'real' = 'real';

  constructor(limits: Partial<GuardrailLimits> = {}) {
    this.limits = { ...DEFAULT_GUARDRAIL_LIMITS, ...limits };
    const issues = guardrailLimitIssues(this.limits);
    if (issues.length > 0)
      throw new RangeError(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    const specs: GuardrailSpec[] = [];
    for (const { key, ...spec } of SPECS) {
      const limit = this.limits[key];
      if (limit !== null) specs.push({ ...spec, limit });
    }
    this.#specs = specs;
    this.#batchOrders = new Float64Array(this.limits.rejectWindowBatches);
    this.#batchRejects = new Float64Array(this.limits.rejectWindowBatches);
  }

  /**
   * Records `input` (a canary report or strategy error; null for an equity-sample check) and checks
   * every limit against it and `view`. Returns null when nothing is breached, else the first breach.
   */
  check(
    view: GuardrailView,
    input: ExecutionReport | StrategyErrorInput | null,
  ): GuardrailBreach | null {
    if (input !== null && input.arm === 'canary') {
      if (input.type === 'strategy-error') this.#strategyErrors++;
      else if (input.type === 'fill' || input.reason !== 'EXPIRED')
        this.#pushOutcome(input.decisionTsUs, input.type === 'reject');
    }
    this.#updatePeak(view);
    const specs = this.#specs;
    for (let i = 0; i < specs.length; i++) {
      const spec = specs[i]!;
      if (this.#breached(spec, this.#value(spec.name, view))) {
        return { reason: this.#reason(spec, view, input), states: this.states(view) };
      }
    }
    return null;
  }

  /** Every enabled guardrail's reading now, in a fixed order (for a decision's evidence). */
  states(view: GuardrailView): readonly GuardrailState[] {
    this.#updatePeak(view);
    return this.#specs.map((spec) => {
      const value = this.#value(spec.name, view);
      return {
        name: spec.name,
        value,
        limit: spec.limit,
        unit: spec.unit,
        breached: this.#breached(spec, value),
      };
    });
  }

  #pushOutcome(decisionTsUs: number, rejected: boolean): void {
    const size = this.#batchOrders.length;
    // Decisions within REJECT_BATCH_GAP_MS of the batch's first one join it: the strategy's quick
    // successions (a stop then a re-entry) are one moment, which one venue outage can hit whole.
    if (!(Math.abs(decisionTsUs - this.#currentDecisionUs) < REJECT_BATCH_GAP_MS * US_PER_MS)) {
      // A new batch: the oldest leaves the ring once it is full.
      this.#currentDecisionUs = decisionTsUs;
      if (this.#batches > 0) this.#current = (this.#current + 1) % size;
      if (this.#batches === size) {
        this.#windowCount -= this.#batchOrders[this.#current]!;
      } else this.#batches++;
      this.#batchOrders[this.#current] = 0;
      this.#batchRejects[this.#current] = 0;
    }
    const bit = rejected ? 1 : 0;
    this.#batchOrders[this.#current] = this.#batchOrders[this.#current]! + 1;
    this.#batchRejects[this.#current] = this.#batchRejects[this.#current]! + bit;
    this.#windowCount++;
  }

  /** The mean over the window's batches of each batch's reject fraction (0 without batches). */
  #batchRateMean(): number {
    const count = this.#batches;
    if (count === 0) return 0;
    const size = this.#batchOrders.length;
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const slot = (this.#current - k + size) % size;
      const orders = this.#batchOrders[slot]!;
      if (orders > 0) sum += this.#batchRejects[slot]! / orders;
    }
    return sum / count;
  }

  #updatePeak(view: GuardrailView): void {
    const book = view.canaryBook ?? 'real';
    if (book !== this.#book) {
      this.#book = book;
      this.#peakPnl = 0;
    }
    const pnl = view.canaryEquity - view.canaryContributed;
    if (pnl > this.#peakPnl) this.#peakPnl = pnl;
  }

  #breached(spec: GuardrailSpec, value: number): boolean {
    if (spec.name === 'canaryRejectRate' && this.#batches < this.limits.minBatchesForRejectRate) {
      return false;
    }
    return value > spec.limit;
  }

  #value(name: GuardrailName, view: GuardrailView): number {
    const { canaryEquity: equity, canaryContributed: contributed } = view;
    switch (name) {
      case 'canaryLossQuote':
        return contributed - equity;
      case 'canaryLossPct':
        return contributed > 0 ? ((contributed - equity) / contributed) * 100 : 0;
      case 'canaryDrawdownPct':
        return contributed > 0 ? ((this.#peakPnl - (equity - contributed)) / contributed) * 100 : 0;
      case 'canaryGrossExposurePct': {
        const gross = view.canaryGrossExposure;
        if (!(gross > 0)) return 0;
        return equity > 0 ? (gross / equity) * 100 : Number.POSITIVE_INFINITY;
      }
      case 'canaryRejectRate':
        return this.#batchRateMean();
      case 'canaryStrategyErrors':
        return this.#strategyErrors;
    }
  }

  #reason(
    spec: GuardrailSpec,
    view: GuardrailView,
    input: ExecutionReport | StrategyErrorInput | null,
  ): DecisionReason {
    const value = this.#value(spec.name, view);
    const window =
      spec.name === 'canaryRejectRate'
        ? ` over the canary's last ${this.#batches} decision batches (${this.#windowCount} orders)`
        : '';
    return {
      code: spec.code,
      metric: spec.name,
      message:
        `${spec.name} ${formatNumber(value)} ${spec.unit}${window} > limit ${formatNumber(spec.limit)}, ` +
        `on ${describeInput(input)}`,
      estimate: Number.isFinite(value) ? value : null,
      ci: null,
      n: spec.name === 'canaryRejectRate' ? this.#windowCount : null,
      nStable: null,
      margin: spec.limit,
      test: 'guardrail',
      alpha: null,
      verdict: null,
    };
  }
}

function describeInput(input: ExecutionReport | StrategyErrorInput | null): string {
  if (input === null) return 'an equity check';
  const at = usToIso(input.tsUs);
  switch (input.type) {
    case 'strategy-error':
      return `a ${input.arm} strategy error at ${at}: ${input.message}`;
    case 'fill':
      return `${input.arm} fill ${input.orderId} at ${at}`;
    case 'reject':
      return `${input.arm} reject ${input.orderId} (${input.reason}) at ${at}`;
  }
}

/** The reason code of a guardrail by state name: `canaryLossPct` → `GUARDRAIL_CANARY_LOSS_PCT`. */
export function guardrailReasonCode(name: string): string {
  const known = SPECS.find((spec) => spec.name === name);
  if (known !== undefined) return known.code;
  return `GUARDRAIL_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;
}
