import type { TradeEvent } from '../../core/market-event.js';
import { SeededRng } from '../../core/seeded-rng.js';
import { createCanary, type Canary, type CanaryOptions } from '../create-canary.js';
import type { RecordResult } from '../report-rejection.js';
import { PLAN_PRESETS } from '../../rollout/index.js';

/** The routing salt of {@link testCanary}. */
export const TEST_SALT = 'bot-driver';
export const T0_MS = 1_723_161_600_000; // 2024-08-09T00:00:00Z
export const ACCOUNTS = Array.from({ length: 200 }, (_, i) => ({
  id: `acct-${String(i + 1).padStart(4, '0')}`,
  capital: '10000',
}));

/**
 * `aggressive` with 10-minute maxima: with 200 accounts the 5 % step has ~10 canary accounts, and
 * showing their reject rate within its 1.5 pp margin takes longer than the preset's 3 minutes.
 */
export const TEST_PLAN = {
  ...PLAN_PRESETS.aggressive,
  steps: PLAN_PRESETS.aggressive.steps.map((step) => ({ ...step, maxDurationMs: 600_000 })),
};

/**
 * {@link TEST_PLAN} with a trading calendar: a "funding" blackout every day from 00:00 to 00:10
 * UTC, so a drive from {@link T0_MS} (00:00) starts inside it.
 */
export const TEST_PLAN_WITH_BLACKOUT = {
  ...TEST_PLAN,
  calendar: {
    timeZone: 'UTC',
    blackouts: [{ name: 'funding', daily: { from: '00:00', to: '00:10' } }],
  },
};

/** A canary over {@link ACCOUNTS} with the test plan. */
export function testCanary(extra: Partial<CanaryOptions> = {}): Canary {
  return createCanary({
    stable: 'bot@1.0.0',
    canary: 'bot@2.0.0',
    plan: TEST_PLAN,
    salt: TEST_SALT,
    accounts: ACCOUNTS,
    ...extra,
  });
}

export function trade(tsMs: number, price: number): TradeEvent {
  return {
    type: 'trade',
    tsUs: Math.round(tsMs * 1000),
    exchangeTsUs: null,
    exchange: 'binance',
    symbol: 'BTCUSDT',
    id: null,
    side: null,
    price: String(price),
    priceNum: price,
    size: '1',
    sizeNum: 1,
  };
}

/**
 * A bot in miniature: every 10 s of event time each account trades (a buy, then a sell 10 s
 * later): all orders of the decision first, then their fills 20 ms later, as a bot with an
 * asynchronous broker reports them (docs/embedding.md), with seeded latency and slippage; the
 * canary's slippage is `canarySlippageBps` worse. Runs `minutes` of event time from `startMs`, or
 * until `stopWhen` or the rollout ends; returns the event time it stopped at, ms.
 */
export function drive(
  canary: Canary,
  minutes: number,
  canarySlippageBps = 0,
  stopWhen: (canary: Canary) => boolean = () => false,
  startMs = T0_MS,
): number {
  const rng = new SeededRng(1);
  let seq = 0;
  let t = 0;
  for (; t < minutes * 60_000; t += 10_000) {
    const nowMs = startMs + t;
    canary.onMarketEvent(trade(nowMs, 60_000));
    const status = canary.state.status;
    if (status === 'promoted' || status === 'rolled_back' || stopWhen(canary)) break;
    const side = (t / 10_000) % 2 === 0 ? 'buy' : 'sell';
    const sent = ACCOUNTS.map((account) => {
      const order = {
        orderId: `o-${startMs}-${++seq}`,
        accountId: account.id,
        arm: canary.route(account.id),
        symbol: 'BTCUSDT',
        side,
        quantity: '0.001',
        decisionTsMs: nowMs,
      } as const;
      expectAccepted(canary.record({ type: 'order', ...order }));
      return order;
    });
    for (const order of sent) {
      expectAccepted(
        canary.record({
          type: 'fill',
          ...order,
          fillId: `f-${order.orderId}`,
          price: '60000',
          fee: '0.06',
          tsMs: nowMs + 20,
          latencyMs: 20 + rng.nextNormal(),
          slippageBps: rng.nextNormal() * 0.5 + (order.arm === 'canary' ? canarySlippageBps : 0),
        }),
      );
    }
  }
  return startMs + t;
}

function expectAccepted(result: RecordResult): void {
  if (!result.accepted) {
    throw new Error(
      `the driver's report was refused: ${result.rejection.code}: ${result.rejection.message}`,
    );
  }
}
