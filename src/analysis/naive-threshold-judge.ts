import type { MetricsInput } from '../metrics/metrics-input.js';
import { formatNumber } from './format-number.js';
import type { ReasonCode } from './reason-codes.js';

/** Seed 004's `CanaryThresholds` defaults (traffic steps aside). */
export interface NaiveThresholds {
  /** Canary orders (resolved) before any verdict. Seed: `min_requests` 100. */
  readonly minOrders: number;
  /** Roll back when canary fill rate is more than this many percentage points below stable's. Seed: 1. */
  readonly maxFillRateDropPp: number;
  /** Roll back when canary mean latency is more than this % above stable's. Seed: 20. */
  readonly maxLatencyIncreasePct: number;
  /** Roll back when canary mean slippage exceeds stable's by more than this, bps. Seed: 0.5. */
  readonly maxSlippageIncreaseBps: number;
  /** Roll back when canary P&L per order < this × stable's (stable's positive). Seed: 0.8. */
  readonly minPnlRatio: number;
}

/** Seed 004's defaults. */
export const SEED_004_THRESHOLDS: NaiveThresholds = {
  minOrders: 100,
  maxFillRateDropPp: 1,
  maxLatencyIncreasePct: 20,
  maxSlippageIncreaseBps: 0.5,
  minPnlRatio: 0.8,
};

/** One arm's raw numbers as the naive judge sees them. */
export interface NaiveArmNumbers {
  /** Resolved orders: fills plus rejects other than EXPIRED. */
  readonly orders: number;
  readonly fillRatePct: number;
  /** Mean over fills, ms (0 without fills). */
  readonly meanLatencyMs: number;
  /** Mean over fills, bps (0 without fills). */
  readonly meanSlippageBps: number;
  /** Equity − contributed at the arm's latest equity sample, quote currency. */
  readonly pnl: number;
  /** `pnl / orders` (0 without orders). */
  readonly pnlPerOrder: number;
}

/** The naive judge's verdict: `wait` (too few orders), `rollback` or `advance`, with its numbers. */
export interface NaiveVerdict {
  readonly action: 'wait' | 'rollback' | 'advance';
  readonly code: Extract<ReasonCode, `NAIVE_${string}`>;
  readonly message: string;
  readonly stable: NaiveArmNumbers;
  readonly canary: NaiveArmNumbers;
}

/**
 * The baseline: seed 004's `TradingCanaryAnalyzer.analyze` rules on raw cumulative deltas, with no
 * notion of noise. Checks in the seed's order: min orders → fill rate → latency → slippage → P&L
 * per order → advance. Differences from the seed, all forced by our data: orders are resolved
 * orders (a fill or a non-EXPIRED reject, as the seed records an order with its outcome); latency
 * and slippage are means over fills (a reject has neither); P&L is flow-adjusted
 * (equity − contributed). Same `record` stream as {@link ArmComparison}; O(1) per record.
 */
export class NaiveThresholdJudge {
  readonly thresholds: NaiveThresholds;
  // Per arm (0 stable, 1 canary).
  readonly #orders: [number, number] = [0, 0];
  readonly #fills: [number, number] = [0, 0];
  readonly #latencySumMs: [number, number] = [0, 0];
  readonly #slippageSumBps: [number, number] = [0, 0];
  readonly #pnl: [number, number] = [0, 0];

  constructor(thresholds: Partial<NaiveThresholds> = {}) {
    this.thresholds = { ...SEED_004_THRESHOLDS, ...thresholds };
  }

  /** Consumes one record of the engine's metrics stream. */
  record(input: MetricsInput): void {
    if (input.type === 'membership') return;
    const index = input.arm === 'canary' ? 1 : 0;
    switch (input.type) {
      case 'fill':
        this.#orders[index]++;
        this.#fills[index]++;
        this.#latencySumMs[index] += input.latencyMs;
        this.#slippageSumBps[index] += input.slippageBps;
        return;
      case 'reject':
        if (input.reason !== 'EXPIRED') this.#orders[index]++;
        return;
      case 'equity':
        this.#pnl[index] = input.equity - (input.contributed ?? input.capital);
        return;
      case 'order':
      case 'strategy-error':
        return;
    }
  }

  /** The verdict on everything recorded so far. */
  evaluate(): NaiveVerdict {
    const t = this.thresholds;
    const stable = this.#numbers(0);
    const canary = this.#numbers(1);
    const verdict = (
      action: NaiveVerdict['action'],
      code: NaiveVerdict['code'],
      message: string,
    ): NaiveVerdict => ({
      action,
      code,
      message,
      stable,
      canary,
    });
    if (canary.orders < t.minOrders) {
      return verdict(
        'wait',
        'NAIVE_MIN_ORDERS',
        `${canary.orders} canary orders, minimum ${t.minOrders}`,
      );
    }
    if (stable.fillRatePct - canary.fillRatePct > t.maxFillRateDropPp) {
      return verdict(
        'rollback',
        'NAIVE_FILL_RATE',
        `fill rate stable ${formatNumber(stable.fillRatePct)} % vs canary ${formatNumber(canary.fillRatePct)} %`,
      );
    }
    if (stable.meanLatencyMs > 0) {
      const increasePct =
        ((canary.meanLatencyMs - stable.meanLatencyMs) / stable.meanLatencyMs) * 100;
      if (increasePct > t.maxLatencyIncreasePct) {
        return verdict(
          'rollback',
          'NAIVE_LATENCY',
          `latency +${formatNumber(increasePct)} %: stable ${formatNumber(stable.meanLatencyMs)} ms vs canary ${formatNumber(canary.meanLatencyMs)} ms`,
        );
      }
    }
    if (canary.meanSlippageBps - stable.meanSlippageBps > t.maxSlippageIncreaseBps) {
      return verdict(
        'rollback',
        'NAIVE_SLIPPAGE',
        `slippage stable ${formatNumber(stable.meanSlippageBps)} bps vs canary ${formatNumber(canary.meanSlippageBps)} bps`,
      );
    }
    if (stable.orders > 0 && canary.orders > 0 && stable.pnlPerOrder > 0) {
      const ratio = canary.pnlPerOrder / stable.pnlPerOrder;
      if (ratio < t.minPnlRatio) {
        return verdict(
          'rollback',
          'NAIVE_PNL_PER_ORDER',
          `P&L per order stable ${formatNumber(stable.pnlPerOrder)} vs canary ${formatNumber(canary.pnlPerOrder)} (ratio ${formatNumber(ratio)})`,
        );
      }
    }
    return verdict('advance', 'NAIVE_PASS', 'every threshold passed');
  }

  #numbers(index: 0 | 1): NaiveArmNumbers {
    const orders = this.#orders[index];
    const fills = this.#fills[index];
    const pnl = this.#pnl[index];
    return {
      orders,
      fillRatePct: orders > 0 ? (fills / orders) * 100 : 0,
      meanLatencyMs: fills > 0 ? this.#latencySumMs[index] / fills : 0,
      meanSlippageBps: fills > 0 ? this.#slippageSumBps[index] / fills : 0,
      pnl,
      pnlPerOrder: orders > 0 ? pnl / orders : 0,
    };
  }
}
