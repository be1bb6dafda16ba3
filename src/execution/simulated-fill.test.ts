import { describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import type { Order } from '../core/order.js';
import { SimulatedFill } from './simulated-fill.js';

const order: Order = {
  orderId: 'stable-7',
  accountId: 'a1',
  arm: 'stable',
  symbol: 'BTCUSDT',
  side: 'sell',
  quantity: new Decimal('0.01234567'),
  decisionTsUs: 1_000,
  decisionPrice: 60000.01,
};

describe('SimulatedFill', () => {
  const fill = new SimulatedFill(
    order,
    2_500,
    new Decimal('60000.00'),
    new Decimal('0.0600000'),
    1.5,
    0.2,
  );

  it("takes the order's fields and builds its fee as fee per unit × quantity, exactly", () => {
    expect(fill.fee.toFixed()).toBe('0.0007407402');
    expect(fill.fee).toBe(fill.fee);
    expect(fill.quantity).toBe(order.quantity);
    expect(fill.quantityNum).toBe(0.01234567);
    expect(fill.feeNum).toBeCloseTo(0.0007407402, 15);
    expect([fill.orderId, fill.accountId, fill.arm, fill.side, fill.tsUs]).toEqual([
      'stable-7',
      'a1',
      'stable',
      'sell',
      2_500,
    ]);
  });

  it('serializes every field as a value', () => {
    expect(JSON.parse(JSON.stringify(fill))).toEqual({
      type: 'fill',
      orderId: 'stable-7',
      accountId: 'a1',
      arm: 'stable',
      symbol: 'BTCUSDT',
      side: 'sell',
      quantity: '0.01234567',
      decisionTsUs: 1_000,
      tsUs: 2_500,
      price: '60000',
      fee: '0.0007407402',
      latencyMs: 1.5,
      slippageBps: 0.2,
    });
  });
});
