import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../core/execution-report.js';
import type { QuoteEvent } from '../core/market-event.js';
import { quoteEvent } from '../../feeds/market-event-factory.js';
import { DEFAULT_EXECUTION_CONFIG, SimulatedBroker } from '../execution/index.js';
import { engineOrderCodec, type RowSlot } from './engine-order-codec.js';
import { EngineOrder, type OrderDecision } from './engine-order.js';

/** A one-unit quote of BTCUSDT, bid `bid` and ask one above. */
const quote = (tsUs: number, bid: number): QuoteEvent =>
  quoteEvent(
    tsUs,
    null,
    'binance',
    'BTCUSDT',
    String(bid),
    bid,
    '1',
    1,
    String(bid + 1),
    bid + 1,
    '1',
    1,
  );

describe('engineOrderCodec', () => {
  // Batches from 32 on coded (the engine's default starts at 2,048), so the broker test codes.
  const codec = engineOrderCodec<RowSlot>(32);
  const rebuilt = (order: EngineOrder<RowSlot>): EngineOrder<RowSlot> =>
    codec.rebuild(
      codec.holder(order),
      codec.shared(order),
      codec.first(order),
      codec.second(order),
    );

  it('rebuilds an order with every field of the one sent (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('buy' as const, 'sell' as const),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 18 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (sequence, side, steps, decimals, row) => {
          const slot = { account: { id: `a${row}` }, row };
          const decision = {
            arm: 'stable' as const,
            symbol: 'ETHUSDT',
            tsUs: 7,
            price: 3000.5,
            decimals,
          };
          const sent = new EngineOrder(sequence, decision, side, steps, slot, row);
          const again = rebuilt(sent);
          expect(again).not.toBe(sent);
          expect(again.toJSON()).toEqual(sent.toJSON());
          expect([again.sequence, again.side, again.steps, again.accountSeq]).toEqual([
            sequence,
            side,
            steps,
            row,
          ]);
          expect(again.slot).toBe(slot);
          expect(again.decision).toBe(decision);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses an order whose accountSeq is not its slot's row", () => {
    const slot = { account: { id: 'a1' }, row: 3 };
    const decision = {
      arm: 'canary' as const,
      symbol: 'BTCUSDT',
      tsUs: 5,
      price: 60000,
      decimals: 8,
    };
    const order = new EngineOrder(1, decision, 'buy', 10, slot, 4);
    expect(() => codec.holder(order)).toThrow(/accountSeq is not its slot's row/);
  });

  it('leaves a broker reporting as one keeping the order objects (property)', () => {
    // Target changes of up to 300 accounts (a sorted run from 32 on) at random times, on jittered
    // latencies, settled by quotes every millisecond or so, then the rest expired.
    const slots = Array.from({ length: 300 }, (_, row) => ({ account: { id: `a${row}` }, row }));
    const changes = fc.array(
      fc.record({
        atMs: fc.integer({ min: 0, max: 200 }),
        accounts: fc.integer({ min: 1, max: 300 }),
        side: fc.constantFrom('buy' as const, 'sell' as const),
      }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(changes, fc.integer({ min: 1, max: 2000 }), (targetChanges, seed) => {
        const settle = (coded: boolean): { reports: unknown[]; orders: unknown[] } => {
          const broker = new SimulatedBroker<EngineOrder<RowSlot>>({
            config: DEFAULT_EXECUTION_CONFIG,
            seed,
            ...(coded ? { inFlightCodec: codec } : {}),
          });
          const reports: unknown[] = [];
          const orders: unknown[] = [];
          const emit = (report: ExecutionReport, order: EngineOrder<RowSlot>): void => {
            reports.push(JSON.parse(JSON.stringify(report)));
            orders.push(order.toJSON());
          };
          const T0 = 1_700_000_000_000_000;
          let sequence = 0;
          const byTime = [...targetChanges].sort((a, b) => a.atMs - b.atMs);
          let next = 0;
          for (let t = T0; t <= T0 + 260_000; t += 997) {
            for (; next < byTime.length && T0 + byTime[next]!.atMs * 1000 <= t; next++) {
              const change = byTime[next]!;
              const decision: OrderDecision = {
                arm: next % 2 === 0 ? 'stable' : 'canary',
                symbol: 'BTCUSDT',
                tsUs: t,
                price: 60_000,
                decimals: 5,
              };
              for (const slot of slots.slice(0, change.accounts)) {
                const order = new EngineOrder(
                  ++sequence,
                  decision,
                  change.side,
                  10 + slot.row,
                  slot,
                  slot.row,
                );
                const rejected = broker.submit(order, t);
                if (rejected !== null) emit(rejected, order);
              }
            }
            broker.onMarketEvent(quote(t, 60_000 + (t % 7)), emit);
          }
          broker.expirePending(T0 + 300_000, emit);
          return { reports, orders };
        };
        const kept = settle(false);
        expect(kept.reports.length).toBe(
          targetChanges.reduce((sum, change) => sum + change.accounts, 0),
        );
        expect(settle(true)).toEqual(kept);
      }),
      { numRuns: 40 },
    );
  });
});
