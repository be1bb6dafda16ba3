import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import { EngineOrder, type OrderSlot } from './engine-order.js';

const order = (steps: number, decimals: number): EngineOrder<OrderSlot> =>
  new EngineOrder(
    1,
    { arm: 'canary', symbol: 'BTCUSDT', tsUs: 5, price: 60000, decimals },
    'buy',
    steps,
    { account: { id: 'a1' } },
    0,
  );

describe('EngineOrder', () => {
  it('its quantity, float and raw units are the same number (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 12 }),
        (steps, decimals) => {
          const o = order(steps, decimals);
          const exact = new Decimal(steps).dividedBy(new Decimal(10).pow(decimals));
          expect(o.quantity.equals(exact)).toBe(true);
          // The float is the correctly rounded value of the decimal, as Number() reads it.
          expect(o.quantityNum).toBe(Number(exact.toFixed()));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('builds its decimal when read, and serializes as a plain order', () => {
    const o = order(12345, 4);
    expect(o.quantity.toFixed()).toBe('1.2345');
    expect(JSON.parse(JSON.stringify(o))).toEqual({
      orderId: 'canary-1',
      accountId: 'a1',
      arm: 'canary',
      symbol: 'BTCUSDT',
      side: 'buy',
      quantity: '1.2345',
      decisionTsUs: 5,
      decisionPrice: 60000,
    });
    expect(o.accountId).toBe('a1');
  });
});
