import type { InFlightOrderCodec } from '../execution/index.js';
import { EngineOrder, type OrderDecision, type OrderSlot } from './engine-order.js';

/** What the codec needs of the engine's record of an account: its row, every order's `accountSeq`. */
export interface RowSlot extends OrderSlot {
  readonly row: number;
}

/**
 * Batches of fewer orders keep them as objects: the 1,000-account bench replay's (900 and 100
 * orders) cost a collection little, and coding every order saved it nothing (`node
 * dist/bench/replay-runs.js --root DIR`, the README's "Architecture"). With the bench's 10 %
 * canary, the stable arm's target changes are coded from about 2,300 accounts on.
 */
export const ENGINE_CODEC_MIN_BATCH = 2048;

/**
 * The engine's orders as its broker keeps them in flight (in-flight-order-codec.ts): the slot (the
 * account's record, as long-lived as the account), the decision (one per target change), the
 * arm's order sequence number and the signed steps (a buy positive). The rebuilt order has every
 * field of the one sent; its `accountSeq` is the slot's row, as the engine sends every order (a
 * push of any other order throws). Only batches of `minBatch` orders or more are coded.
 */
export function engineOrderCodec<Slot extends RowSlot>(
  minBatch = ENGINE_CODEC_MIN_BATCH,
): InFlightOrderCodec<EngineOrder<Slot>> {
  return {
    minBatch,
    holder: (order) => {
      if (order.accountSeq !== order.slot.row) {
        throw new RangeError(`order ${order.orderId}: accountSeq is not its slot's row`);
      }
      return order.slot;
    },
    shared: (order) => order.decision,
    first: (order) => order.sequence,
    second: (order) => (order.side === 'buy' ? order.steps : -order.steps),
    rebuild: (holder, shared, first, second) =>
      new EngineOrder(
        first,
        shared as OrderDecision,
        second > 0 ? 'buy' : 'sell',
        Math.abs(second),
        holder as Slot,
        (holder as Slot).row,
      ),
  };
}
