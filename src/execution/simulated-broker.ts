import { decimalToFloat } from '../core/decimal-to-float.js';
import type { Arm } from '../core/arm.js';
import { ConfigError } from '../core/errors.js';
import type {
  ExecutionReport,
  FillReport,
  RejectReason,
  RejectReport,
} from '../core/execution-report.js';
import type { MarketEvent } from '../core/market-event.js';
import { Decimal, moneyToString } from '../core/money.js';
import type { Order } from '../core/order.js';
import { SeededRng } from '../core/seeded-rng.js';
import { usToIso } from '../core/time.js';
import { assertValidExecutionConfig, type ExecutionConfig } from './execution-config.js';
import { formatFaultInjection, NO_INJECTIONS, type FaultInjection } from './fault-injection.js';
import { describeFillModel, type FillModelDescription } from './fill-model-description.js';
import { LatencySampler } from './latency-sampler.js';
import { OrderHeap, type PendingOrder } from './order-heap.js';

/**
 * Asked at arrival, after every other check: can the order's account take this fill (at
 * `fillPrice`, quote per base)? False rejects it with `INSUFFICIENT_BUYING_POWER`. The ledger
 * provides it; the broker knows nothing of accounts.
 */
export type BuyingPowerCheck = (order: Order, fillPrice: Decimal) => boolean;

/** What a {@link SimulatedBroker} is built from. */
export interface SimulatedBrokerOptions {
  readonly config: ExecutionConfig;
  /** Faults per arm (from `parseInjectSpecs`); none when omitted. */
  readonly injections?: Readonly<Record<Arm, FaultInjection>>;
  /** Run seed: the latency and reject streams of each arm derive from it. */
  readonly seed: number;
  /** Buying-power check; every order passes when omitted. */
  readonly buyingPower?: BuyingPowerCheck;
}

const ARM_INDEX: Readonly<Record<Arm, number>> = { stable: 0, canary: 1 };
const SIDE_BUY = 0;
const SIDE_SELL = 1;

function assertValidInjection(arm: Arm, injection: FaultInjection, floorMs: number): void {
  const { latencyMs, slippageBps, rejectPct } = injection;
  const spec = formatFaultInjection(arm, injection);
  const fail = (problem: string): ConfigError =>
    new ConfigError('E_INJECT_SPEC', `bad --inject for ${arm} ("${spec}"): ${problem}`);
  if (!Number.isFinite(latencyMs) || !Number.isFinite(slippageBps) || !Number.isFinite(rejectPct))
    throw fail('values must be finite numbers');
  if (floorMs < 0)
    throw fail(
      `latency ${latencyMs}ms would make the minimum latency ${floorMs}ms negative (base ${floorMs - latencyMs}ms)`,
    );
  if (!(Math.abs(slippageBps) < 10_000)) throw fail('slippage must stay within (-10000, 10000) bp');
  if (!(rejectPct >= 0 && rejectPct <= 100)) throw fail('rejects must be within [0, 100]%');
}

/**
 * The simulated venue: market orders wait a seeded latency, then fill in full at the first market
 * event of their symbol at or after arrival (buy at the ask, sell at the bid, or at a trade's
 * price), paying a fee in bps of notional, unless a reject check stops them. docs/fill-model.md
 * lists every assumption; {@link SimulatedBroker.describeFillModel} gives them as JSON.
 *
 * Deterministic: the same orders submitted in the same order with the same seed give identical
 * reports. Cost per market event is O(1) when nothing is due for its symbol.
 *
 * @example
 * const broker = new SimulatedBroker({ config: DEFAULT_EXECUTION_CONFIG, seed: 7 });
 * const rejected = broker.submit(order, event.tsUs); // null: accepted, pending
 * broker.onMarketEvent(nextEvent, (report) => ledger.apply(report));
 * broker.expirePending(lastEvent.tsUs, (report) => ledger.apply(report)); // end of data
 */
export class SimulatedBroker {
  readonly #config: ExecutionConfig;
  readonly #injections: Readonly<Record<Arm, FaultInjection>>;
  readonly #buyingPower: BuyingPowerCheck | null;
  readonly #latency: readonly LatencySampler[];
  readonly #rejectRng: readonly SeededRng[];
  readonly #rejectProbability: readonly number[];
  /** Fee as a fraction of notional. */
  readonly #feeRate: Decimal;
  /** Per arm × side (`arm * 2 + side`): the price factor of injected slippage, or null for none. */
  readonly #slippageFactor: readonly (Decimal | null)[];
  readonly #heaps = new Map<string, OrderHeap>();
  #pending = 0;
  #seq = 0;
  // Per-event price cache, reset only when something is due: base price per side, then the fill
  // price (and its float) per arm × side. No allocation for events with nothing due.
  readonly #basePrice: (Decimal | null)[] = [null, null];
  readonly #fillPrice: (Decimal | null)[] = [null, null, null, null];
  readonly #fillPriceNum: number[] = [0, 0, 0, 0];
  /** Fee per base unit at each slot's fill price: one multiplication per fill instead of two. */
  readonly #feePerUnit: (Decimal | null)[] = [null, null, null, null];
  // Orders of one decision share its price: the last decision price as a Decimal, reused.
  #decisionPriceNum = Number.NaN;
  readonly #minNotionalNum: number;
  #decisionPrice: Decimal | null = null;

  /** @throws ConfigError `E_INJECT_SPEC` when an injection is out of range for the config. */
  constructor(options: SimulatedBrokerOptions) {
    const { config, seed } = options;
    assertValidExecutionConfig(config);
    const injections = options.injections ?? NO_INJECTIONS;
    this.#config = config;
    this.#minNotionalNum = decimalToFloat(config.minNotional);
    this.#injections = injections;
    this.#buyingPower = options.buyingPower ?? null;
    const arms: readonly Arm[] = ['stable', 'canary'];
    this.#latency = arms.map((arm) => {
      const sampler = new LatencySampler(
        config.latency[arm],
        injections[arm].latencyMs,
        new SeededRng(seed, `execution/latency/${arm}`),
        1 + injections[arm].latencyPct / 100,
      );
      assertValidInjection(arm, injections[arm], sampler.floorMs);
      return sampler;
    });
    this.#rejectRng = arms.map((arm) => new SeededRng(seed, `execution/reject/${arm}`));
    this.#rejectProbability = arms.map((arm) => injections[arm].rejectPct / 100);
    this.#feeRate = new Decimal(String(config.feeBps)).dividedBy(10_000);
    this.#slippageFactor = arms.flatMap((arm) => {
      const bps = injections[arm].slippageBps;
      if (bps === 0) return [null, null];
      const fraction = new Decimal(String(bps)).dividedBy(10_000);
      return [new Decimal(1).plus(fraction), new Decimal(1).minus(fraction)];
    });
  }

  /** Orders accepted and not yet settled. */
  get pendingCount(): number {
    return this.#pending;
  }

  /**
   * Submits a market order at event time `nowUs` (normally its decision time). Returns a
   * `MIN_NOTIONAL` reject stamped `nowUs` when `quantity × decisionPrice` is below the minimum;
   * otherwise null: the order is pending and settles at a later {@link onMarketEvent}. Draws the
   * order's latency and injected-reject coin first, whatever the outcome. O(log pending).
   *
   * @throws RangeError when `decisionPrice` is not a positive finite number (an engine bug).
   */
  submit(order: Order, nowUs: number): RejectReport | null {
    if (!(order.decisionPrice > 0 && Number.isFinite(order.decisionPrice)))
      throw new RangeError(`order ${order.orderId}: decisionPrice must be > 0`);
    const arm = ARM_INDEX[order.arm];
    const latencyMs = this.#latency[arm]!.nextMs();
    const injectedReject = this.#rejectRng[arm]!.nextFloat() < this.#rejectProbability[arm]!;
    const minNotional = this.#config.minNotional;
    // Decided in floats unless within a relative 1e-9 of the minimum, then exactly (decimals).
    const notionalNum = decimalToFloat(order.quantity) * order.decisionPrice;
    if (!minNotional.isZero() && notionalNum < this.#minNotionalNum * (1 + 1e-9)) {
      const decisionPrice = this.#decisionPriceDecimal(order.decisionPrice);
      const notional = order.quantity.times(decisionPrice);
      if (notional.lessThan(minNotional)) {
        return reject(
          order,
          nowUs,
          'MIN_NOTIONAL',
          `notional ${moneyToString(notional)} = ${moneyToString(order.quantity)} × ${moneyToString(decisionPrice)} is below the minimum ${moneyToString(minNotional)}`,
        );
      }
    }
    let heap = this.#heaps.get(order.symbol);
    if (heap === undefined) {
      heap = new OrderHeap();
      this.#heaps.set(order.symbol, heap);
    }
    heap.push({
      order,
      arrivalUs: nowUs + Math.round(latencyMs * 1000),
      seq: this.#seq++,
      injectedReject,
    });
    this.#pending++;
    return null;
  }

  /**
   * Settles every order of `event.symbol` that has arrived by `event.tsUs` (arrival <= event
   * time), in (arrival, submission) order, passing each fill or reject to `emit` before checking
   * the next. O(1) when nothing is due. `emit` may submit new orders (they settle here too if
   * already due) but must not call `onMarketEvent` or `expirePending` itself.
   */
  onMarketEvent(event: MarketEvent, emit: (report: ExecutionReport) => void): void {
    if (this.#pending === 0) return;
    const heap = this.#heaps.get(event.symbol);
    if (heap === undefined || heap.peekArrivalUs() > event.tsUs) return;
    this.#basePrice[SIDE_BUY] = null;
    this.#basePrice[SIDE_SELL] = null;
    this.#fillPrice.fill(null);
    this.#feePerUnit.fill(null);
    while (heap.peekArrivalUs() <= event.tsUs) {
      const entry = heap.pop()!;
      this.#pending--;
      emit(this.#settle(entry, event));
    }
  }

  /**
   * End of data: rejects every order still pending with `EXPIRED`, stamped `nowUs`, in
   * (arrival, submission) order.
   */
  expirePending(nowUs: number, emit: (report: ExecutionReport) => void): void {
    const all: PendingOrder[] = [];
    for (const heap of this.#heaps.values()) {
      for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) all.push(entry);
    }
    this.#pending = 0;
    all.sort((a, b) => a.arrivalUs - b.arrivalUs || a.seq - b.seq);
    for (const { order, arrivalUs } of all) {
      const message =
        arrivalUs > nowUs
          ? `the data ended at ${usToIso(nowUs)}, before the order's arrival at ${usToIso(arrivalUs)}`
          : `no ${order.symbol} market event at or after the order's arrival at ${usToIso(arrivalUs)} before the data ended at ${usToIso(nowUs)}`;
      emit(reject(order, nowUs, 'EXPIRED', message));
    }
  }

  /** The fill model's assumptions, parameters and injections as plain JSON, for report.json. */
  describeFillModel(): FillModelDescription {
    return describeFillModel(this.#config, this.#injections);
  }

  #settle(entry: PendingOrder, event: MarketEvent): ExecutionReport {
    const { order } = entry;
    if (entry.injectedReject) {
      return reject(
        order,
        event.tsUs,
        'INJECTED',
        `fault injection rejected the order at arrival (${order.arm} rejects=+${this.#injections[order.arm].rejectPct}%)`,
      );
    }
    const side = order.side === 'buy' ? SIDE_BUY : SIDE_SELL;
    const slot = ARM_INDEX[order.arm] * 2 + side;
    const price = this.#fillPrice[slot] ?? this.#priceFor(event, slot, side);
    const priceNum = this.#fillPriceNum[slot]!;
    const decision = order.decisionPrice;
    const slippageBps =
      side === SIDE_BUY
        ? ((priceNum - decision) / decision) * 1e4
        : ((decision - priceNum) / decision) * 1e4;
    const band = this.#config.protectionBandBps;
    if (slippageBps > band) {
      return reject(
        order,
        event.tsUs,
        'PRICE_PROTECTION',
        `${order.side} fill price ${moneyToString(price)} is ${slippageBps.toFixed(2)} bps worse than the decision price ${decision}, past the ${band} bps protection band`,
      );
    }
    if (this.#buyingPower !== null && !this.#buyingPower(order, price)) {
      return reject(
        order,
        event.tsUs,
        'INSUFFICIENT_BUYING_POWER',
        `account ${order.accountId} cannot take a ${order.side} of ${moneyToString(order.quantity)} ${order.symbol} at ${moneyToString(price)} (notional ${moneyToString(price.times(order.quantity))})`,
      );
    }
    const fill: FillReport = {
      type: 'fill',
      orderId: order.orderId,
      accountId: order.accountId,
      arm: order.arm,
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      decisionTsUs: order.decisionTsUs,
      tsUs: event.tsUs,
      price,
      fee: (this.#feePerUnit[slot] ??= price.times(this.#feeRate)).times(order.quantity),
      latencyMs: (entry.arrivalUs - order.decisionTsUs) / 1000,
      slippageBps,
    };
    return fill;
  }

  #decisionPriceDecimal(price: number): Decimal {
    if (price !== this.#decisionPriceNum || this.#decisionPrice === null) {
      this.#decisionPriceNum = price;
      this.#decisionPrice = new Decimal(String(price));
    }
    return this.#decisionPrice;
  }

  /** Builds (once per event) the fill price of one arm × side slot and its float. */
  #priceFor(event: MarketEvent, slot: number, side: number): Decimal {
    let base = this.#basePrice[side] ?? null;
    const baseNum =
      event.type === 'trade'
        ? event.priceNum
        : side === SIDE_BUY
          ? event.askPriceNum
          : event.bidPriceNum;
    if (base === null) {
      base = new Decimal(
        event.type === 'trade' ? event.price : side === SIDE_BUY ? event.askPrice : event.bidPrice,
      );
      this.#basePrice[side] = base;
    }
    const factor = this.#slippageFactor[slot] ?? null;
    const price = factor === null ? base : base.times(factor);
    this.#fillPrice[slot] = price;
    this.#fillPriceNum[slot] = factor === null ? baseNum : price.toNumber();
    return price;
  }
}

function reject(order: Order, tsUs: number, reason: RejectReason, message: string): RejectReport {
  return {
    type: 'reject',
    orderId: order.orderId,
    accountId: order.accountId,
    arm: order.arm,
    symbol: order.symbol,
    side: order.side,
    quantity: order.quantity,
    decisionTsUs: order.decisionTsUs,
    tsUs,
    reason,
    message,
  };
}
