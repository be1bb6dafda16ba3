import type { DecisionReason, GuardrailState } from '../core/decision.js';
import type { ExecutionReport } from '../core/execution-report.js';
import { usToIso } from '../core/time.js';
import type { StrategyErrorInput } from '../metrics/metrics-input.js';
import {
  MAX_DRAWDOWN_PCT,
  MAX_GROSS_EXPOSURE_PCT,
  MAX_LOSS_PCT,
  MAX_LOSS_QUOTE,
  MAX_REJECT_RATE,
  MAX_STRATEGY_ERRORS,
  MIN_ORDERS_FOR_REJECT_RATE,
  REJECT_WINDOW,
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
  /** Canary reject rate over its last `rejectWindow` orders, a fraction. Default 0.25. */
  readonly maxRejectRate: number | null;
  /** Orders the reject rate looks at (a ring buffer of this size). Default 200. */
  readonly rejectWindow: number;
  /** The reject rate is judged once the window holds this many orders. Default 50. */
  readonly minOrdersForRejectRate: number;
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
  rejectWindow: REJECT_WINDOW,
  minOrdersForRejectRate: MIN_ORDERS_FOR_REJECT_RATE,
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

function checkLimits(limits: GuardrailLimits): void {
  for (const spec of SPECS) {
    const limit = limits[spec.key];
    if (limit !== null && !(limit >= 0 && Number.isFinite(limit))) {
      throw new RangeError(`${spec.key} must be a non-negative number or null, got ${limit}`);
    }
  }
  const { rejectWindow, minOrdersForRejectRate } = limits;
  if (!Number.isSafeInteger(rejectWindow) || rejectWindow < 1) {
    throw new RangeError(`rejectWindow must be a positive whole number, got ${rejectWindow}`);
  }
  if (
    !Number.isSafeInteger(minOrdersForRejectRate) ||
    minOrdersForRejectRate < 1 ||
    minOrdersForRejectRate > rejectWindow
  ) {
    throw new RangeError(
      `minOrdersForRejectRate must be a whole number in [1, rejectWindow], got ${minOrdersForRejectRate}`,
    );
  }
}

/**
 * The canary's hard guardrails. Feed it every execution report and strategy error (stable ones
 * are ignored) and every equity sample, with the engine's current {@link GuardrailView}: `check`
 * is O(1) and allocates nothing unless a limit is breached. The reject window is a ring buffer of
 * the canary's last `rejectWindow` order outcomes (EXPIRED rejects at the end of data are not
 * outcomes). The drawdown peak is the highest canary P&L any check or `states` call has seen on
 * the current book (paper in a shadow step, then real).
 *
 * @example
 * const guardrails = new Guardrails({ maxLossPct: 2 });
 * const breach = guardrails.check(view, report);
 * if (breach !== null) rollback(breach.reason, breach.states);
 */
export class Guardrails {
  readonly limits: GuardrailLimits;
  readonly #specs: readonly GuardrailSpec[];
  readonly #window: Uint8Array;
  #windowNext = 0;
  #windowCount = 0;
  #windowRejects = 0;
  #strategyErrors = 0;
  #peakPnl = 0;
  #book: 'paper' | 'real' = 'real';

  constructor(limits: Partial<GuardrailLimits> = {}) {
    this.limits = { ...DEFAULT_GUARDRAIL_LIMITS, ...limits };
    checkLimits(this.limits);
    const specs: GuardrailSpec[] = [];
    for (const { key, ...spec } of SPECS) {
      const limit = this.limits[key];
      if (limit !== null) specs.push({ ...spec, limit });
    }
    this.#specs = specs;
    this.#window = new Uint8Array(this.limits.rejectWindow);
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
        this.#pushOutcome(input.type === 'reject');
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

  #pushOutcome(rejected: boolean): void {
    const window = this.#window;
    const bit = rejected ? 1 : 0;
    if (this.#windowCount === window.length) this.#windowRejects -= window[this.#windowNext]!;
    else this.#windowCount++;
    window[this.#windowNext] = bit;
    this.#windowRejects += bit;
    this.#windowNext = (this.#windowNext + 1) % window.length;
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
    if (
      spec.name === 'canaryRejectRate' &&
      this.#windowCount < this.limits.minOrdersForRejectRate
    ) {
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
        return this.#windowCount > 0 ? this.#windowRejects / this.#windowCount : 0;
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
      spec.name === 'canaryRejectRate' ? ` over the last ${this.#windowCount} canary orders` : '';
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
