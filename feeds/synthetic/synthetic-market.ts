import type { MarketEvent, QuoteEvent, TradeEvent } from '../../src/core/market-event.js';
import { SeededRng } from '../../src/core/seeded-rng.js';
import { formatScaledInteger } from './format-scaled-integer.js';
import { PolarNormal } from './polar-normal.js';
import type { ResolvedSyntheticFeedOptions } from './resolve-synthetic-feed-options.js';
import type { VolatilityRegime } from './synthetic-feed-options.js';

/** Annualization: crypto trades 24/7, 365 days. */
const SECONDS_PER_YEAR = 365 * 86_400;
/** A market order walks at most this many price levels; the rest of it is dropped (IOC). */
const MAX_SWEEP_LEVELS = 5;
/** A market order meets at most this many resting orders per level, one trade each. */
const MAX_FILLS_PER_LEVEL = 4;
/** Chance of one more resting order (trade print) at the same level and microsecond. */
const EXTRA_FILL_PROBABILITY = 0.3;
/** Chance that a size-only book update adds liquidity (else it cancels some). */
const SIZE_ADD_PROBABILITY = 0.55;
/** Fresh touch sizes are capped at this multiple of their median. */
const QUOTE_SIZE_CAP_MEDIANS = 1000;
/** The activity factor is piecewise constant on this grid of event time, seconds. */
const FACTOR_STEP_S = 0.5;
/** Bound of the per-step event buffer: a re-quote, then per level its fills and a quote. */
const MAX_EVENTS_PER_STEP = 1 + MAX_SWEEP_LEVELS * (MAX_FILLS_PER_LEVEL + 1);

/** Geometric on {1, 2, …} with the given mean, from a uniform in [0, 1): `logKeep` = ln(1 − 1/mean). */
function geometric(u: number, logKeep: number): number {
  if (logKeep === -Infinity) return 1;
  return 1 + Math.min(1e6, Math.floor(Math.log(1 - u) / logKeep));
}

function logKeepForMean(mean: number): number {
  return mean <= 1 ? -Infinity : Math.log(1 - 1 / mean);
}

/**
 * The synthetic market's state machine: a hidden volatility regime, a self-exciting order flow, a
 * latent mid-price and a one-level book on the tick grid (see docs/synthetic-feed.md). Memory is
 * constant; {@link SyntheticMarket.events} yields events lazily, and {@link SyntheticMarket.regime}
 * tells, between two yields, which regime the last event came from (for research and tests).
 *
 * Most users want {@link syntheticEvents} instead.
 */
export class SyntheticMarket {
  private readonly o: ResolvedSyntheticFeedOptions;
  private readonly rngRegime: SeededRng;
  private readonly rngFactor: SeededRng;
  private readonly rngArrival: SeededRng;
  private readonly rngBook: SeededRng;
  private readonly rngTrade: SeededRng;
  private readonly priceNormal: PolarNormal;
  private readonly sizeNormal: PolarNormal;
  private readonly pricePow: number;
  private readonly sizePow: number;
  private readonly betas: Float64Array;
  private readonly jumps: Float64Array;
  private readonly excitation: Float64Array;
  private readonly branching: number;
  private readonly wideLogKeep: Float64Array;
  private readonly gapLogKeep: Float64Array;

  private regimeIndex: number;
  private regimeEndS = 0;
  private factorLog = 0;
  private factorActivity = 1;
  private factorVariance = 1;
  private nextFactorS = FACTOR_STEP_S;
  private orderRate = 0;
  private quoteRate = 0;
  private meanOrderRate = 0;
  private variancePerSecond = 0;

  private nowS = 0;
  private nextOrderS = 0;
  private nextQuoteS = 0;
  private started = false;

  private mid: number;
  private bid = 0;
  private ask = 0;
  private bidSize = 0;
  private askSize = 0;
  private bidPrice = '';
  private askPrice = '';
  private bidPriceNum = 0;
  private askPriceNum = 0;
  private bidSizeText = '';
  private askSizeText = '';
  private lastSide = 1;
  private tradeSeq = 0;

  private readonly out: MarketEvent[] = new Array<MarketEvent>(MAX_EVENTS_PER_STEP);
  private outLength = 0;

  constructor(options: ResolvedSyntheticFeedOptions) {
    this.o = options;
    const root = new SeededRng(options.seed, 'synthetic-feed');
    this.rngRegime = root.fork('regime');
    this.rngFactor = root.fork('factor');
    this.rngArrival = root.fork('arrival');
    this.rngBook = root.fork('book');
    this.rngTrade = root.fork('trade');
    this.priceNormal = new PolarNormal(root.fork('price'));
    this.sizeNormal = new PolarNormal(root.fork('size'));
    this.pricePow = 10 ** options.priceDecimals;
    this.sizePow = 10 ** options.sizeDecimals;
    const kernels = options.excitation;
    this.betas = Float64Array.from(kernels, (k) => 1000 / k.decayMs);
    this.jumps = Float64Array.from(kernels, (k) => (k.branchingRatio * 1000) / k.decayMs);
    this.excitation = new Float64Array(kernels.length);
    this.branching = kernels.reduce((sum, k) => sum + k.branchingRatio, 0);
    this.wideLogKeep = Float64Array.from(options.regimes, (r) =>
      logKeepForMean(r.wideSpreadMeanTicks),
    );
    this.gapLogKeep = Float64Array.from(options.regimes, (r) =>
      logKeepForMean(r.levelGapMeanTicks),
    );
    this.regimeIndex = options.initialRegimeIndex;
    this.setFactor(options.activityFactorSigma * this.rngFactor.nextNormal());
    this.enterRegime(options.initialRegimeIndex);
    this.setRates();
    this.mid = options.startTicks + 0.5;
    this.setBid(options.startTicks, this.freshQuoteLots());
    this.setAsk(options.startTicks + 1, this.freshQuoteLots());
    this.nextOrderS = this.drawOrderTime();
    this.nextQuoteS = this.drawQuoteTime();
  }

  /** The regime the most recently yielded event was generated in. */
  get regime(): VolatilityRegime {
    return this.o.regimes[this.regimeIndex] as VolatilityRegime;
  }

  /**
   * The events, lazily, until the options' event count or end time. Call once per instance. With
   * `tradesOnly` the quotes are still simulated (the book drives the prints) but not yielded.
   */
  *events(): Generator<MarketEvent, void, undefined> {
    const { eventLimit, endTsUs, tradesOnly } = this.o;
    let emitted = 0;
    for (;;) {
      this.step();
      for (let i = 0; i < this.outLength; i++) {
        const event = this.out[i] as MarketEvent;
        if (tradesOnly && event.type === 'quote') {
          if (event.tsUs >= endTsUs) return;
          continue;
        }
        if (emitted >= eventLimit || event.tsUs >= endTsUs) return;
        emitted++;
        yield event;
      }
    }
  }

  /** Advances to the next thing that happens and leaves its events (possibly none) in `out`. */
  private step(): void {
    this.outLength = 0;
    if (!this.started) {
      this.started = true;
      this.emitQuote(this.o.startTsUs);
      return;
    }
    const orderS = this.nextOrderS;
    const quoteS = this.nextQuoteS;
    const stateS = Math.min(this.regimeEndS, this.nextFactorS);
    if (stateS <= orderS && stateS <= quoteS) {
      // Rates change: draw both arrival times afresh (exact, the processes being Markov).
      this.advance(stateS);
      if (stateS === this.nextFactorS) this.updateFactor();
      else this.switchRegime();
      this.setRates();
      this.nextOrderS = this.drawOrderTime();
      this.nextQuoteS = this.drawQuoteTime();
      return;
    }
    if (orderS <= quoteS) {
      this.advance(orderS);
      const tsUs = this.tsUs();
      if (this.outOfBand()) this.requote(tsUs);
      this.marketOrder(tsUs);
      for (let k = 0; k < this.excitation.length; k++)
        this.excitation[k] = (this.excitation[k] as number) + (this.jumps[k] as number);
      this.nextOrderS = this.drawOrderTime();
    } else {
      this.advance(quoteS);
      const tsUs = this.tsUs();
      if (this.outOfBand()) this.requote(tsUs);
      else this.quoteUpdate(tsUs);
    }
    // Quote intensity follows the order excitation, which decayed (or jumped) since the last draw.
    this.nextQuoteS = this.drawQuoteTime();
  }

  private tsUs(): number {
    return this.o.startTsUs + Math.floor(this.nowS * 1e6);
  }

  private enterRegime(index: number): void {
    const regime = this.o.regimes[index] as VolatilityRegime;
    this.regimeIndex = index;
    this.regimeEndS = this.nowS + this.rngRegime.nextExponential(regime.meanDurationMinutes * 60);
  }

  /** Baseline rates and variance from the regime and the activity factor. */
  private setRates(): void {
    const regime = this.o.regimes[this.regimeIndex] as VolatilityRegime;
    const activity = regime.activity * this.factorActivity;
    this.orderRate = this.o.orderRatePerSecond * activity;
    this.quoteRate = this.o.quoteRatePerSecond * activity;
    this.meanOrderRate = this.orderRate / (1 - this.branching);
    this.variancePerSecond =
      ((regime.annualVolPct / 100) ** 2 / SECONDS_PER_YEAR) * this.factorVariance;
  }

  /**
   * The activity factor: log-factor x, an Ornstein–Uhlenbeck process with stationary standard
   * deviation s; rates scale by exp(x − s²/2) and variance by exp(2x − 2s²), both of mean 1.
   */
  private setFactor(log: number): void {
    const s = this.o.activityFactorSigma;
    this.factorLog = log;
    this.factorActivity = Math.exp(log - (s * s) / 2);
    this.factorVariance = Math.exp(2 * log - 2 * s * s);
  }

  /** One exact Ornstein–Uhlenbeck step of the log activity factor over {@link FACTOR_STEP_S}. */
  private updateFactor(): void {
    const keep = Math.exp(-FACTOR_STEP_S / this.o.activityFactorTimescaleSeconds);
    const noise = this.o.activityFactorSigma * Math.sqrt(1 - keep * keep);
    this.setFactor(this.factorLog * keep + noise * this.rngFactor.nextNormal());
    this.nextFactorS += FACTOR_STEP_S;
  }

  private switchRegime(): void {
    const next = (this.o.regimes[this.regimeIndex] as VolatilityRegime).next;
    const u = this.rngRegime.nextFloat();
    let index = next.length - 1;
    let cumulative = 0;
    for (let j = 0; j < next.length; j++) {
      cumulative += next[j] as number;
      if (u < cumulative) {
        index = j;
        break;
      }
    }
    this.enterRegime(index);
  }

  /**
   * Moves time to `toS`: the order excitation decays, and the latent mid takes a log-normal step
   * whose variance mixes clock time with the order intensity integrated over the interval.
   */
  private advance(toS: number): void {
    const dt = toS - this.nowS;
    this.nowS = toS;
    if (dt <= 0) return;
    let activity = this.orderRate * dt;
    for (let k = 0; k < this.excitation.length; k++) {
      const beta = this.betas[k] as number;
      const e = this.excitation[k] as number;
      const decay = Math.exp(-beta * dt);
      activity += (e * (1 - decay)) / beta;
      this.excitation[k] = e * decay;
    }
    const share = this.o.activityVolShare;
    const variance =
      this.variancePerSecond * ((1 - share) * dt + (share * activity) / this.meanOrderRate);
    this.mid *= Math.exp(Math.sqrt(variance) * this.priceNormal.next() - variance / 2);
  }

  /** First arrival of a Poisson rate plus decaying exponentials (Dassios–Zhao, exact). */
  private firstArrival(baseRate: number, excitationScale: number): number {
    const rng = this.rngArrival;
    let t = this.nowS + rng.nextExponential(1 / baseRate);
    for (let k = 0; k < this.excitation.length; k++) {
      const e = (this.excitation[k] as number) * excitationScale;
      if (e <= 0) continue;
      const beta = this.betas[k] as number;
      const d = 1 + (beta * Math.log(1 - rng.nextFloat())) / e;
      if (d > 0) {
        const candidate = this.nowS - Math.log(d) / beta;
        if (candidate < t) t = candidate;
      }
    }
    return t;
  }

  private drawOrderTime(): number {
    return this.firstArrival(this.orderRate, 1);
  }

  private drawQuoteTime(): number {
    return this.firstArrival(this.quoteRate, this.o.quotesPerExcitation);
  }

  private bandTicks(): number {
    return this.o.requoteBandBps * 1e-4 * this.mid;
  }

  private outOfBand(): boolean {
    const band = this.bandTicks();
    return this.mid < this.bid - band || this.mid > this.ask + band;
  }

  private targetSpread(): number {
    const regime = this.o.regimes[this.regimeIndex] as VolatilityRegime;
    if (this.rngBook.nextFloat() >= regime.wideSpreadProbability) return 1;
    return 1 + geometric(this.rngBook.nextFloat(), this.wideLogKeep[this.regimeIndex] as number);
  }

  private levelGap(): number {
    return geometric(this.rngBook.nextFloat(), this.gapLogKeep[this.regimeIndex] as number);
  }

  /** Makers re-centre the book on the latent mid with a freshly drawn target spread. */
  private requote(tsUs: number): void {
    const spread = this.targetSpread();
    const bid = Math.max(1, Math.floor(this.mid + 0.5 - spread / 2));
    const ask = bid + spread;
    if (bid === this.bid && ask === this.ask) {
      this.quoteUpdate(tsUs);
      return;
    }
    if (bid !== this.bid) this.setBid(bid, this.freshQuoteLots());
    if (ask !== this.ask) this.setAsk(ask, this.freshQuoteLots());
    this.emitQuote(tsUs);
  }

  /**
   * A quote-only update inside the band: a too-wide spread is refilled on the side farther from
   * the latent mid; otherwise one side's size changes (an add or a cancel, which may empty the
   * level and move that side away by a gap).
   */
  private quoteUpdate(tsUs: number): void {
    const rng = this.rngBook;
    const target = this.targetSpread();
    if (this.ask - this.bid > target) {
      if (this.ask - this.mid >= this.mid - this.bid)
        this.setAsk(this.bid + target, this.freshQuoteLots());
      else this.setBid(this.ask - target, this.freshQuoteLots());
    } else {
      const onBid = rng.nextFloat() < 0.5;
      const add = rng.nextFloat() < SIZE_ADD_PROBABILITY;
      const lots = this.tradeLots(rng);
      if (onBid) {
        const size = add ? this.bidSize + lots : this.bidSize - lots;
        if (size > 0) this.setBidSize(size);
        else this.setBid(Math.max(1, this.bid - this.levelGap()), this.freshQuoteLots());
      } else {
        const size = add ? this.askSize + lots : this.askSize - lots;
        if (size > 0) this.setAskSize(size);
        else this.setAsk(this.ask + this.levelGap(), this.freshQuoteLots());
      }
    }
    this.emitQuote(tsUs);
  }

  /**
   * A market order: its side persists from the last one or leans towards the latent mid; it
   * fills at the touch (one or more prints), walks emptied levels (a quote after each), leaves a
   * quote showing the book after it, and pushes the latent mid by its impact.
   */
  private marketOrder(tsUs: number): void {
    const rng = this.rngTrade;
    let side = this.lastSide;
    if (rng.nextFloat() >= this.o.sidePersistence) {
      const halfWidth = this.bandTicks() + (this.ask - this.bid) / 2;
      const lean = (this.mid - (this.bid + this.ask) / 2) / halfWidth;
      const buyProbability = 0.5 + 0.5 * Math.max(-1, Math.min(1, lean));
      side = rng.nextFloat() < buyProbability ? 1 : -1;
    }
    let remaining = this.tradeLots(rng);
    let executed = 0;
    for (let level = 1; ; level++) {
      const touch = side > 0 ? this.askSize : this.bidSize;
      const take = remaining < touch ? remaining : touch;
      this.emitFills(tsUs, side, take);
      remaining -= take;
      executed += take;
      if (take < touch) {
        if (side > 0) this.setAskSize(touch - take);
        else this.setBidSize(touch - take);
        this.emitQuote(tsUs);
        break;
      }
      if (side > 0) this.setAsk(this.ask + this.levelGap(), this.freshQuoteLots());
      else this.setBid(Math.max(1, this.bid - this.levelGap()), this.freshQuoteLots());
      this.emitQuote(tsUs);
      if (remaining === 0 || level === MAX_SWEEP_LEVELS) break;
    }
    const impact = this.o.impactBpsPerSqrtUnit * 1e-4 * Math.sqrt(executed / this.sizePow);
    this.mid *= side > 0 ? 1 + impact : 1 / (1 + impact);
    this.lastSide = side;
  }

  /** `lots` taken at the touch, split among one or more resting orders: one print each. */
  private emitFills(tsUs: number, side: number, lots: number): void {
    const rng = this.rngTrade;
    let fills = 1;
    while (fills < MAX_FILLS_PER_LEVEL && fills < lots && rng.nextFloat() < EXTRA_FILL_PROBABILITY)
      fills++;
    let rest = lots;
    for (let i = fills - 1; i > 0; i--) {
      const part = 1 + Math.floor(rng.nextFloat() * (rest - i));
      this.emitTrade(tsUs, side, part);
      rest -= part;
    }
    this.emitTrade(tsUs, side, rest);
  }

  /** Market-order size in lots: log-normal body, Pareto tail, capped. */
  private tradeLots(rng: SeededRng): number {
    const o = this.o;
    let size: number;
    if (rng.nextFloat() < o.tradeSizeTailProbability)
      size = o.tradeSizeTailMin * Math.pow(1 - rng.nextFloat(), -1 / o.tradeSizeTailAlpha);
    else size = o.tradeSizeMedian * Math.exp(o.tradeSizeSigma * this.sizeNormal.next());
    if (size > o.tradeSizeMax) size = o.tradeSizeMax;
    return Math.max(1, Math.round(size * this.sizePow));
  }

  private freshQuoteLots(): number {
    const o = this.o;
    const size = Math.min(
      o.quoteSizeMedian * Math.exp(o.quoteSizeSigma * this.sizeNormal.next()),
      o.quoteSizeMedian * QUOTE_SIZE_CAP_MEDIANS,
    );
    return Math.max(1, Math.round(size * this.sizePow));
  }

  private setBid(ticks: number, lots: number): void {
    if (ticks !== this.bid) {
      const scaled = ticks * this.o.tickUnits;
      this.bid = ticks;
      this.bidPrice = formatScaledInteger(scaled, this.o.priceDecimals);
      this.bidPriceNum = scaled / this.pricePow;
    }
    this.setBidSize(lots);
  }

  private setAsk(ticks: number, lots: number): void {
    if (ticks !== this.ask) {
      const scaled = ticks * this.o.tickUnits;
      this.ask = ticks;
      this.askPrice = formatScaledInteger(scaled, this.o.priceDecimals);
      this.askPriceNum = scaled / this.pricePow;
    }
    this.setAskSize(lots);
  }

  private setBidSize(lots: number): void {
    this.bidSize = lots;
    this.bidSizeText = formatScaledInteger(lots, this.o.sizeDecimals);
  }

  private setAskSize(lots: number): void {
    this.askSize = lots;
    this.askSizeText = formatScaledInteger(lots, this.o.sizeDecimals);
  }

  private emitQuote(tsUs: number): void {
    const quote: QuoteEvent = {
      type: 'quote',
      tsUs,
      exchangeTsUs: null,
      exchange: this.o.exchange,
      symbol: this.o.symbol,
      bidPrice: this.bidPrice,
      bidPriceNum: this.bidPriceNum,
      bidSize: this.bidSizeText,
      bidSizeNum: this.bidSize / this.sizePow,
      askPrice: this.askPrice,
      askPriceNum: this.askPriceNum,
      askSize: this.askSizeText,
      askSizeNum: this.askSize / this.sizePow,
    };
    this.out[this.outLength++] = quote;
  }

  private emitTrade(tsUs: number, side: number, lots: number): void {
    const buy = side > 0;
    const trade: TradeEvent = {
      type: 'trade',
      tsUs,
      exchangeTsUs: null,
      exchange: this.o.exchange,
      symbol: this.o.symbol,
      id: String(++this.tradeSeq),
      side: buy ? 'buy' : 'sell',
      price: buy ? this.askPrice : this.bidPrice,
      priceNum: buy ? this.askPriceNum : this.bidPriceNum,
      size: formatScaledInteger(lots, this.o.sizeDecimals),
      sizeNum: lots / this.sizePow,
    };
    this.out[this.outLength++] = trade;
  }
}
