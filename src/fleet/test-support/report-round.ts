import { ACCOUNTS, T0_MS } from '../../embed/test-support/bot-driver.js';
import type { CanaryAgent } from '../canary-agent.js';

/**
 * One round of a bot in the agent tests: an order and its fill for every account, on the arm
 * the agent routes it to, `round` seconds after T0 (buys on even rounds, sells on odd ones).
 * Returns the number of fills reported.
 */
export function reportRound(agent: CanaryAgent, round: number): number {
  const tsMs = T0_MS + round * 1000;
  for (const account of ACCOUNTS) {
    const order = {
      orderId: `o-${round}-${account.id}`,
      accountId: account.id,
      arm: agent.route(account.id),
      symbol: 'BTCUSDT',
      side: round % 2 === 0 ? 'buy' : 'sell',
      quantity: '0.001',
      decisionTsMs: tsMs,
    } as const;
    agent.report({ type: 'order', ...order });
    agent.report({
      type: 'fill',
      ...order,
      fillId: `f-${order.orderId}`,
      price: '60000',
      fee: '0.06',
      tsMs: tsMs + 20,
      latencyMs: 20,
      slippageBps: 0,
    });
  }
  return ACCOUNTS.length;
}
