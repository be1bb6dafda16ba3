import { referencePrice, type MarketEvent } from '../../src/core/market-event.js';
import type { AccountView, Strategy, TargetPosition } from '../../src/core/strategy.js';
import { sizeByExposure } from '../shared/size-by-exposure.js';
import {
  favourableMoveBps,
  targetPosition,
  type BundledReason,
  type Direction,
} from '../shared/target-position.js';

/** Resolved settings of {@link MeanReversionStrategy} (times in µs, levels in σ or bps). */
export interface MeanReversionSettings {
  readonly id: string;
  /** Time constant of the mean: a time-weighted EWMA of the reference price. */
  readonly meanTauUs: number;
  /** Time constant of the variance of the price around the mean. */
  readonly volTauUs: number;
  /** Event time a symbol must be watched (again, after a gap) before the strategy enters. */
  readonly warmupUs: number;
  /** A silence longer than this restarts the signal (mean re-seeded, warm-up again). */
  readonly resetAfterGapUs: number;
  /** Minimum event time between two signal-driven target changes (not applied to the stop). */
  readonly minHoldUs: number;
  /** Fade when the price is more than entryZ σ from the mean. */
  readonly entryZ: number;
  /** Exit when the price is back within exitZ σ of the mean (or past it). */
  readonly exitZ: number;
  /** Floor of σ, bps of the mean: keeps z finite on a flat tape. */
  readonly minSigmaBps: number;
  /** Stop out when the price moved this far against the position since entry. */
  readonly stopLossBps: number;
  /** Exposure, percent of equity. */
  readonly sizingPct: number;
}

class SymbolState {
  // Every number field starts as a number (NaN until the constructor sets it): a field declared
  // bare starts as undefined, and V8 then boxes each float written to it in a new heap object,
  // on every event.
  lastTsUs = Number.NaN;
  lastPrice = Number.NaN;
  mean = Number.NaN;
  /** EWMA of the squared relative deviation from the mean (bias-corrected by volWeight). */
  deviationVar = 0;
  volWeight = 0;
  warmFromUs = Number.NaN;
  direction: Direction = 0;
  entryPrice = 0;
  changedAtUs = Number.NEGATIVE_INFINITY;
  /** Direction barred from re-entry after a stop-loss, until the price is back near the mean. */
  blocked: Direction = 0;

  constructor(tsUs: number, price: number) {
    this.lastTsUs = tsUs;
    this.lastPrice = price;
    this.mean = price;
    this.warmFromUs = tsUs;
  }
}

/**
 * Fades stretches away from a time-decayed mean, in event time:
 *
 * - z = (price − mean) / σ, where the mean is a time-weighted EWMA of the reference price and σ the
 *   time-weighted RMS of the price's relative distance from it (floored at `minSigmaBps`);
 * - z > +entryZ: go short; z < −entryZ: go long (one exposure level, `sizingPct` of equity);
 * - exit to flat once the price is back within `exitZ` σ of the mean;
 * - stop-loss measured from the arm's own entry reference price; after a stop the same direction is
 *   barred until the price has been back near the mean;
 * - signal-driven changes are at least `minHoldUs` apart.
 *
 * One instance per arm; memory is O(symbols).
 */
export class MeanReversionStrategy implements Strategy {
  readonly id: string;
  readonly #settings: MeanReversionSettings;
  readonly #symbols = new Map<string, SymbolState>();
  #lastSymbol = '';
  #lastState: SymbolState | undefined = undefined;

  constructor(settings: MeanReversionSettings) {
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
      state.mean = price;
      state.warmFromUs = tsUs;
      state.lastTsUs = tsUs;
    } else if (dtUs > 0) {
      const held = state.lastPrice;
      const meanBefore = state.mean;
      state.mean = held + (meanBefore - held) * Math.exp(-dtUs / s.meanTauUs);
      const deviation = (held - 0.5 * (meanBefore + state.mean)) / held;
      const squared = deviation * deviation;
      const keep = Math.exp(-dtUs / s.volTauUs);
      state.deviationVar = squared + (state.deviationVar - squared) * keep;
      state.volWeight = 1 - (1 - state.volWeight) * keep;
      state.lastTsUs = tsUs;
    }
    state.lastPrice = price;

    if (state.direction !== 0) {
      const moveBps = favourableMoveBps(state.direction, state.entryPrice, price);
      if (moveBps <= -s.stopLossBps) return this.#flatten(state, symbol, tsUs, 'stop-loss', true);
    }
    if (tsUs - state.warmFromUs < s.warmupUs) return null;

    const sigma =
      state.volWeight > 0
        ? Math.max(Math.sqrt(state.deviationVar / state.volWeight), s.minSigmaBps * 1e-4)
        : s.minSigmaBps * 1e-4;
    const z = (price - state.mean) / state.mean / sigma;
    if (state.blocked !== 0 && state.blocked * z >= -s.exitZ) state.blocked = 0;
    if (tsUs - state.changedAtUs < s.minHoldUs) return null;

    if (z > s.entryZ && state.direction !== -1 && state.blocked !== -1) {
      return this.#enter(state, symbol, tsUs, -1);
    }
    if (z < -s.entryZ && state.direction !== 1 && state.blocked !== 1) {
      return this.#enter(state, symbol, tsUs, 1);
    }
    // Long (price was below the mean) exits once z ≥ −exitZ; short once z ≤ +exitZ.
    if (state.direction !== 0 && state.direction * z >= -s.exitZ) {
      return this.#flatten(state, symbol, tsUs, 'exit', false);
    }
    return null;
  }

  targetQuantity(target: TargetPosition, account: AccountView, price: number): number {
    return sizeByExposure(target, account, price);
  }

  /** Enters at the event's price, read back from `state.lastPrice` (see momentum's `#enter`). */
  #enter(state: SymbolState, symbol: string, tsUs: number, direction: Direction): TargetPosition {
    state.direction = direction;
    state.entryPrice = state.lastPrice;
    state.changedAtUs = tsUs;
    state.blocked = 0;
    const exposure = (direction * this.#settings.sizingPct) / 100;
    return targetPosition(symbol, exposure, direction > 0 ? 'entry-long' : 'entry-short');
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
    state.changedAtUs = tsUs;
    return targetPosition(symbol, 0, reason);
  }
}
