import type { TargetPosition } from '../../src/core/strategy.js';

/** Direction of a stance in one symbol: long, flat or short. */
export type Direction = -1 | 0 | 1;

/** Reason codes of the bundled strategies' targets (docs/strategies.md lists their meaning). */
export type BundledReason =
  'entry-long' | 'entry-short' | 'scale-in' | 'exit' | 'take-profit' | 'stop-loss';

/** A new target (only built when the target changes, so allocation stays off the per-event path). */
export function targetPosition(
  symbol: string,
  exposure: number,
  reason: BundledReason,
): TargetPosition {
  return { symbol, exposure: exposure === 0 ? 0 : exposure, reason };
}

/**
 * Signed move of `price` from `entryPrice` in the direction held, in basis points: positive when
 * the position gains, negative when it loses.
 */
export function favourableMoveBps(direction: Direction, entryPrice: number, price: number): number {
  return (direction * (price - entryPrice) * 1e4) / entryPrice;
}
