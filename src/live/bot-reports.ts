import type { ExecutionReport } from '../core/execution-report.js';
import { moneyToString } from '../core/money.js';
import type { Order } from '../core/order.js';
import type { BotFill, BotOrder, BotReject, BotStrategyError } from '../embed/bot-report.js';
import type { StrategyErrorInput } from '../metrics/index.js';

/** Longest message a bot report carries (src/embed/bot-report.ts). */
const MAX_MESSAGE_LENGTH = 1000;

/** Event time in µs as the reports' ms (fractions kept: the canary rounds back to µs). */
function msOf(tsUs: number): number {
  return tsUs / 1000;
}

/** The engine's order as a bot reports it, under `orderId` (decimals as exact strings). */
export function botOrderOf(order: Order, orderId: string): BotOrder {
  return {
    type: 'order',
    orderId,
    accountId: order.accountId,
    arm: order.arm,
    symbol: order.symbol,
    side: order.side,
    quantity: moneyToString(order.quantity),
    decisionTsMs: msOf(order.decisionTsUs),
  };
}

/**
 * A fill or reject of the simulated broker as a bot reports it, for the order reported as
 * `orderId`; a fill's id is the order's with `:fill` (the broker fills an order once, in full).
 */
export function botExecutionOf(report: ExecutionReport, orderId: string): BotFill | BotReject {
  const common = {
    orderId,
    accountId: report.accountId,
    arm: report.arm,
    symbol: report.symbol,
    side: report.side,
    quantity: moneyToString(report.quantity),
    decisionTsMs: msOf(report.decisionTsUs),
    tsMs: msOf(report.tsUs),
  };
  if (report.type === 'reject') {
    return {
      type: 'reject',
      ...common,
      reason: report.reason,
      message: report.message.slice(0, MAX_MESSAGE_LENGTH),
    };
  }
  return {
    type: 'fill',
    fillId: `${orderId}:fill`,
    ...common,
    price: moneyToString(report.price),
    fee: moneyToString(report.fee),
    latencyMs: report.latencyMs,
    slippageBps: report.slippageBps,
  };
}

/** A strategy error the engine caught, as a bot reports it. */
export function botStrategyErrorOf(input: StrategyErrorInput): BotStrategyError {
  return {
    type: 'strategy-error',
    arm: input.arm,
    tsMs: msOf(input.tsUs),
    message: input.message.slice(0, MAX_MESSAGE_LENGTH),
  };
}
