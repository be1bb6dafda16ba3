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

  it("takes the order's fields and builds its fee as fee per unit × quantity to 10⁻⁸", () => {
    // 0.06 × 0.01234567 = 0.0007407402, rounded half-even to the venue's 8 places
    expect(fill.fee.toFixed()).toBe('0.00074074');
    expect(fill.fee).toBe(fill.fee);
    expect(fill.quantity).toBe(order.quantity);
    expect(fill.quantityNum).toBe(0.01234567);
    expect(fill.feeNum).toBe(0.00074074);
    expect([fill.orderId, fill.accountId, fill.arm, fill.side, fill.tsUs]).toEqual([
      'stable-7',
      'a1',
      'stable',
      'sell',
      2_500,
    ]);
  });

  it('rounds a fee that ends on half of 10⁻⁸ to the even neighbour', () => {
    const feeOf = (quantity: string): string =>
      new SimulatedFill(
        { ...order, quantity: new Decimal(quantity) },
        0,
        new Decimal('1'),
        new Decimal('0.5'),
        0,
        0,
      ).fee.toFixed();
    expect(feeOf('0.00000001')).toBe('0'); // 0.000000005 → 0
    expect(feeOf('0.00000003')).toBe('0.00000002'); // 0.000000015 → 0.00000002
    expect(feeOf('0.00000005')).toBe('0.00000002'); // 0.000000025 → 0.00000002
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
      fee: '0.00074074',
      latencyMs: 1.5,
      slippageBps: 0.2,
    });
  });
});
