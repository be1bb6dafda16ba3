import { referencePrice, type MarketEvent } from '../../src/core/market-event.js';
import type { AccountView, Strategy, TargetPosition } from '../../src/core/strategy.js';
import { sizeByExposure } from '../shared/size-by-exposure.js';
import {
  favourableMoveBps,
  targetPosition,
  type BundledReason,
  type Direction,
} from '../shared/target-position.js';

/**
 * Resolved settings of the momentum machinery shared by `momentum@1.0.0` and `momentum@2.0.0`
 * (times in µs, thresholds in basis points). The versions differ only in these numbers and in
 * whether the entry threshold adapts to volatility (`volMultiple`).
 */
export interface MomentumSettings {
  readonly id: string;
  /** Time constant of the fast EWMA of the reference price. */
  readonly fastTauUs: number;
  /** Time constant of the slow EWMA of the reference price. */
  readonly slowTauUs: number;
  /** Event time a symbol must be watched (again, after a gap) before the strategy enters. */
  readonly warmupUs: number;
  /** A silence longer than this restarts the signal (EWMAs re-seeded, warm-up again). */
  readonly resetAfterGapUs: number;
  /** Minimum event time between two signal-driven target changes (not applied to stops/targets). */
  readonly minHoldUs: number;
  /** Entry threshold on the trend: fixed (v1), or the floor of the adaptive threshold (v2). */
  readonly entryBps: number;
  /** null: fixed threshold. Otherwise threshold = max(entryBps, volMultiple × noise σ in bps). */
  readonly volMultiple: number | null;
  /** Time constant of the noise variance EWMA (adaptive threshold only). */
  readonly volTauUs: number;
  /** Exit to flat when the trend in the position's favour falls below exitRatio × threshold. */
  readonly exitRatio: number;
  /** Full strength when the trend reaches fullStrengthRatio × threshold (at entry or later). */
  readonly fullStrengthRatio: number;
  /** Take profit when the price moved this far in favour since entry. */
  readonly takeProfitBps: number;
  /** Stop out when the price moved this far against the position since entry. */
  readonly stopLossBps: number;
  /** Exposure at full strength, percent of equity. */
  readonly sizingPct: number;
}

/** Strength levels: half size on entry, full size once the trend is strong (quantized on purpose). */
const HALF = 0.5;
const FULL = 1;

/** Per-symbol state: signal and the arm's stance. Mutable, one object per symbol, never per event. */
class SymbolState {
  // Every number field starts as a number (NaN until the constructor sets it): a field declared
  // bare starts as undefined, and V8 then boxes each float written to it in a new heap object,
  // on every event.
  lastTsUs = Number.NaN;
  /** Reference price of the last event: held until the next one (time-weighted EWMAs). */
  lastPrice = Number.NaN;
  fast = Number.NaN;
  slow = Number.NaN;
  /** EWMA of the squared relative distance of the price from the fast EWMA (bias-corrected by volWeight). */
  noiseVar = 0;
  volWeight = 0;
  warmFromUs = Number.NaN;
  direction: Direction = 0;
  strength = 0;
  entryPrice = 0;
  changedAtUs = Number.NEGATIVE_INFINITY;
  /** Direction barred from re-entry after a take-profit or stop-loss, until the trend re-arms. */
  blocked: Direction = 0;

  constructor(tsUs: number, price: number) {
    this.lastTsUs = tsUs;
    this.lastPrice = price;
    this.fast = price;
    this.slow = price;
    this.warmFromUs = tsUs;
  }
}

/**
 * Trend following on the reference price (trade price or quote mid), in event time:
 *
 * - trend = (fast EWMA − slow EWMA) / slow EWMA, in bps; EWMAs are time-weighted (each price is
 *   held until the next event and decays with elapsed µs), so dense and sparse feeds of the same
 *   market give the same signal;
 * - enter long (short) when the trend exceeds +threshold (−threshold), at half strength, full
 *   strength once it reaches `fullStrengthRatio × threshold` ("scale-in");
 * - exit to flat when the trend fades below `exitRatio × threshold` in the position's favour;
 * - take-profit / stop-loss measured from the arm's own entry reference price; after either, the
 *   same direction is barred until the trend fades (no instant re-entry);
 * - signal-driven changes are at least `minHoldUs` apart (10 s by default), not per tick:
 *   momentum@1.0.0 and 2.0.0 changed target 26 and 21 times in the 11 minutes of the two bundled
 *   BTCUSDT spot files (`replay` of both, report.json's `targetChanges`), and about 100 times an
 *   hour on the bench's generated feeds.
 *
 * One instance per arm; memory is O(symbols).
 */
export class MomentumStrategy implements Strategy {
  readonly id: string;
  readonly #settings: MomentumSettings;

  readonly #symbols = new Map<string, SymbolState>();
  #lastSymbol = '';
  #lastState: SymbolState | undefined = undefined;

  constructor(settings: MomentumSettings) {
    this.id = settings.id;
    this.#settings = settings;
  }

  onMarketEvent(event: MarketEvent): TargetPosition | null {
    const price = referencePrice(event);
    if (!(price > 0) || !Number.isFinite(price)) return null;
    const tsUs = event.tsUs;
    const symbol = event.symbol;
    let state = symbol === this.#lastSymbol ? this.#lastState : this.#symbols.get(symbol);
    if (state === undefined) {
      state = new SymbolState(tsUs, price);
      this.#symbols.set(symbol, state);
      this.#lastSymbol = symbol;
      this.#lastState = state;
      return null;
    }
    this.#lastSymbol = symbol;
    this.#lastState = state;
    const s = this.#settings;

    const dtUs = tsUs - state.lastTsUs;
    if (dtUs > s.resetAfterGapUs) {
      state.fast = price;
      state.slow = price;
      state.warmFromUs = tsUs;
      state.lastTsUs = tsUs;
    } else if (dtUs > 0) {
      const held = state.lastPrice;
      const fastBefore = state.fast;
      state.fast = held + (fastBefore - held) * Math.exp(-dtUs / s.fastTauUs);
      state.slow = held + (state.slow - held) * Math.exp(-dtUs / s.slowTauUs);
      if (s.volMultiple !== null) {
        const deviation = (held - 0.5 * (fastBefore + state.fast)) / held;
        const keep = Math.exp(-dtUs / s.volTauUs);
        const squared = deviation * deviation;
        state.noiseVar = squared + (state.noiseVar - squared) * keep;
        state.volWeight = 1 - (1 - state.volWeight) * keep;
      }
      state.lastTsUs = tsUs;
    }
    state.lastPrice = price;

    if (state.direction !== 0) {
      const moveBps = favourableMoveBps(state.direction, state.entryPrice, price);
      if (moveBps <= -s.stopLossBps) return this.#flatten(state, symbol, tsUs, 'stop-loss', true);
      if (moveBps >= s.takeProfitBps)
        return this.#flatten(state, symbol, tsUs, 'take-profit', true);
    }
    if (tsUs - state.warmFromUs < s.warmupUs) return null;

    const trendBps = ((state.fast - state.slow) / state.slow) * 1e4;
    const thresholdBps = this.#thresholdBps(state);
    const exitBps = thresholdBps * s.exitRatio;
    if (state.blocked !== 0 && state.blocked * trendBps < exitBps) state.blocked = 0;
    if (tsUs - state.changedAtUs < s.minHoldUs) return null;

    if (trendBps > thresholdBps && state.direction !== 1 && state.blocked !== 1) {
      return this.#enter(state, symbol, tsUs, 1, trendBps / thresholdBps);
    }
    if (trendBps < -thresholdBps && state.direction !== -1 && state.blocked !== -1) {
      return this.#enter(state, symbol, tsUs, -1, -trendBps / thresholdBps);
    }
    if (state.direction === 0) return null;
    const favourBps = state.direction * trendBps;
    if (favourBps < exitBps) return this.#flatten(state, symbol, tsUs, 'exit', false);
    if (state.strength < FULL && favourBps >= s.fullStrengthRatio * thresholdBps) {
      state.strength = FULL;
      state.changedAtUs = tsUs;
      return targetPosition(symbol, this.#exposure(state), 'scale-in');
    }
    return null;
  }

  targetQuantity(target: TargetPosition, account: AccountView, price: number): number {
    return sizeByExposure(target, account, price);
  }

  #thresholdBps(state: SymbolState): number {
    const s = this.#settings;
    if (s.volMultiple === null || state.volWeight <= 0) return s.entryBps;
    const sigmaBps = Math.sqrt(state.noiseVar / state.volWeight) * 1e4;
    return Math.max(s.entryBps, s.volMultiple * sigmaBps);
  }

  #exposure(state: SymbolState): number {
    return (state.direction * state.strength * this.#settings.sizingPct) / 100;
  }

  /**
   * Enters at the event's reference price, read back from `state.lastPrice` rather than passed:
   * a float argument of this rare call was boxed on every event (V8 placed the conversion where
   * both calls could use it), a new heap object per event and arm.
   */
  #enter(
    state: SymbolState,
    symbol: string,
    tsUs: number,
    direction: Direction,
    ratio: number,
  ): TargetPosition {
    state.direction = direction;
    state.strength = ratio >= this.#settings.fullStrengthRatio ? FULL : HALF;
    state.entryPrice = state.lastPrice;
    state.changedAtUs = tsUs;
    state.blocked = 0;
    return targetPosition(
      symbol,
      this.#exposure(state),
      direction > 0 ? 'entry-long' : 'entry-short',
    );
  }

  #flatten(
    state: SymbolState,
    symbol: string,
    tsUs: number,
    reason: BundledReason,
    block: boolean,
  ): TargetPosition {
    if (block) state.blocked = state.direction;
    state.direction = 0;
    state.strength = 0;
    state.changedAtUs = tsUs;
    return targetPosition(symbol, 0, reason);
  }
}
