import type { Arm } from '../../core/arm.js';
import type { FillReport, RejectReason, RejectReport } from '../../core/execution-report.js';
import { Decimal } from '../../core/money.js';
import type { EquitySample, OrderSent, StrategyErrorInput } from '../../metrics/metrics-input.js';

let sequence = 0;

/** An `order` record: `arm` sent an order at `tsUs` (its decision time). */
export const orderSent = (arm: Arm, tsUs: number): OrderSent => ({ type: 'order', tsUs, arm });

/** A fill of an order decided at `decisionTsUs`, reported at `tsUs`. */
export function fillOf(
  arm: Arm,
  decisionTsUs: number,
  tsUs: number,
  slippageBps: number,
  latencyMs = (tsUs - decisionTsUs) / 1000,
): FillReport {
  return {
    type: 'fill',
    orderId: `${arm}-${++sequence}`,
    accountId: 'acct-1',
    arm,
    symbol: 'BTCUSDT',
    side: 'buy',
    quantity: new Decimal('0.01'),
    decisionTsUs,
    tsUs,
    price: new Decimal('60000'),
    fee: new Decimal('0'),
    latencyMs,
    slippageBps,
  };
}

/** A reject of an order decided at `decisionTsUs`, reported at `tsUs`. */
export function rejectOf(
  arm: Arm,
  decisionTsUs: number,
  tsUs: number,
  reason: RejectReason = 'INJECTED',
): RejectReport {
  return {
    type: 'reject',
    orderId: `${arm}-${++sequence}`,
    accountId: 'acct-1',
    arm,
    symbol: 'BTCUSDT',
    side: 'sell',
    quantity: new Decimal('0.01'),
    decisionTsUs,
    tsUs,
    reason,
    message: 'test',
  };
}

/** An equity sample; `contributed` defaults to `capital`. */
export function equityOf(
  arm: Arm,
  tsUs: number,
  equity: number,
  contributed: number,
  capital = contributed,
): EquitySample {
  return { type: 'equity', tsUs, arm, equity, capital, contributed };
}

/** A strategy error record. */
export const strategyErrorOf = (arm: Arm, tsUs: number): StrategyErrorInput => ({
  type: 'strategy-error',
  tsUs,
  arm,
  message: 'boom',
});
