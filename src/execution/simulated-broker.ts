import { decimalToFloat } from '../core/decimal-to-float.js';
import type { Arm } from '../core/arm.js';
import { ConfigError } from '../core/errors.js';
import type { ExecutionReport, RejectReason, RejectReport } from '../core/execution-report.js';
import type { MarketEvent } from '../core/market-event.js';
import { Decimal, moneyToString } from '../core/money.js';
import type { Order } from '../core/order.js';
import { SeededRng } from '../core/seeded-rng.js';
import { usToIso } from '../core/time.js';
import {
  accountSlippageBps,
  MAX_ACCOUNT_SLIPPAGE_Z,
  type AccountOffset,
} from './account-slippage.js';
import { assertValidExecutionConfig, type ExecutionConfig } from './execution-config.js';
import {
  formatFaultInjection,
  NO_INJECTIONS,
  type FaultInjection,
  type FaultValues,
} from './fault-injection.js';
import { faultSubsetScore } from './fault-account-subset.js';
import { faultLevels } from './fault-levels.js';
import { describeFillModel, type FillModelDescription } from './fill-model-description.js';
import { LatencySampler } from './latency-sampler.js';
import type { InFlightOrderCodec } from './in-flight-order-codec.js';
import { PendingOrders } from './pending-orders.js';
import { OutageSchedule } from './outage-schedule.js';
import { SimulatedFill } from './simulated-fill.js';
import { PriceTicks } from './price-ticks.js';

/**
 * Asked at arrival, after every other check: can the order's account take this fill (at
 * `fillPrice`, quote per base)? False rejects it with `INSUFFICIENT_BUYING_POWER`. The ledger
 * provides it; the broker knows nothing of accounts.
 */
export type BuyingPowerCheck<O extends Order = Order> = (order: O, fillPrice: Decimal) => boolean;

/** What a {@link SimulatedBroker} is built from. */
export interface SimulatedBrokerOptions<O extends Order = Order> {
  readonly config: ExecutionConfig;
  /** Faults per arm (from `parseInjectSpecs`); none when omitted. */
  readonly injections?: Readonly<Record<Arm, FaultInjection>>;
  /** Run seed: the latency and reject streams of each arm derive from it. */
  readonly seed: number;
  /** Buying-power check; every order passes when omitted. */
  readonly buyingPower?: BuyingPowerCheck<O>;
  /**
   * The canary's weight, bps, until {@link SimulatedBroker.setCanaryWeightBps} says otherwise
   * (default 0): weight-conditional faults apply from their threshold.
   */
  readonly canaryWeightBps?: number;
  /**
   * Whose persistent slippage offset (`accountSlippageSdBps`) the orders of `accountId` get: the
   * engine maps a shadow step's paper copy to the account it copies. Identity when omitted. Asked
   * once per account id, when its first order is accepted.
   */
  readonly offsetAccountOf?: (accountId: string) => string;
  /**
   * How to keep large batches of orders in flight without their objects
   * (in-flight-order-codec.ts): the orders of such a batch that a settle or an expiry reports are
   * then rebuilt, equal to the submitted ones but not the same objects. Kept as objects when
   * omitted.
   */
  readonly inFlightCodec?: InFlightOrderCodec<O>;
}

const ARM_INDEX: Readonly<Record<Arm, number>> = { stable: 0, canary: 1 };
const ARM_LIST: readonly Arm[] = ['stable', 'canary'];
const SIDE_BUY = 0;
const SIDE_SELL = 1;
const ONE = new Decimal(1);
const MAX_WEIGHT_BPS = 10_000;

/** The faults of one arm in effect from one canary weight on, ready to apply. */
interface FaultLevel {
  readonly fromWeightBps: number;
  /** The share of accounts (%) whose orders get this level, or null for every account's. */
  readonly accountsPct: number | null;
  readonly faults: FaultValues;
  /** Draws from the arm's latency stream: one normal per order whatever the level. */
  readonly latency: LatencySampler;
  readonly rejectProbability: number;
  /** Injected slippage as a fraction (`bps / 1e4`), or null for none. */
  readonly slippageFraction: Decimal | null;
  /** Price factor of the injected slippage per side (buy, sell), or null for none. */
  readonly factors: readonly (Decimal | null)[];
  /** Fee as a fraction of notional: the config's plus the injected, exact. */
  readonly feeRate: Decimal;
}

function assertValidLevel(
  arm: Arm,
  injection: FaultInjection,
  level: { readonly fromWeightBps: number; readonly faults: FaultValues },
  floorMs: number,
  config: ExecutionConfig,
  maxOffsetBps: number,
): void {
  const { latencyMs, latencyPct, slippageBps, rejectPct, feeBps } = level.faults;
  const spec = formatFaultInjection(arm, injection);
  const at =
    level.fromWeightBps === 0
      ? ''
      : ` (at a canary weight of ${level.fromWeightBps / 100}% or more)`;
  const fail = (problem: string): ConfigError =>
    new ConfigError('E_INJECT_SPEC', `bad --inject for ${arm} ("${spec}"): ${problem}${at}`);
  if (![latencyMs, latencyPct, slippageBps, rejectPct, feeBps].every(Number.isFinite))
    throw fail('values must be finite numbers');
  if (floorMs < 0)
    throw fail(
      `latency ${latencyMs}ms would make the minimum latency ${floorMs}ms negative (base ${floorMs - latencyMs}ms)`,
    );
  if (!(Math.abs(slippageBps) + maxOffsetBps < 10_000))
    throw fail(
      maxOffsetBps === 0
        ? 'slippage must stay within (-10000, 10000) bp'
        : `slippage plus the largest account offset (${maxOffsetBps.toFixed(2)} bp) must stay within (-10000, 10000) bp`,
    );
  if (!(rejectPct >= 0 && rejectPct <= 100)) throw fail('rejects must be within [0, 100]%');
  if (config.feeBps + feeBps < 0)
    throw fail(
      `fees ${feeBps}bp would make the fee ${config.feeBps + feeBps}bp negative (base ${config.feeBps}bp)`,
    );
}

function assertValidThresholds(arm: Arm, injection: FaultInjection): void {
  const subset = injection.subset;
  if (subset !== undefined) {
    const pct = subset.accountsPct;
    if (!(pct > 0 && pct < 100 && Math.round(pct * 100) / 100 === pct))
      throw new ConfigError(
        'E_INJECT_SPEC',
        `bad --inject for ${arm}: accounts ${pct}% must be a share in (0, 100)% with at most 2 decimals`,
      );
    if (subset.faults.subset !== undefined)
      throw new ConfigError(
        'E_INJECT_SPEC',
        `bad --inject for ${arm}: the faults of accounts=${pct}% cannot have a share of their own`,
      );
    assertValidThresholds(arm, subset.faults);
  }
  for (const tier of injection.conditional ?? []) {
    const bps = Math.round(tier.fromWeightPct * 100);
    if (!(tier.fromWeightPct > 0 && tier.fromWeightPct <= 100 && bps / 100 === tier.fromWeightPct))
      throw new ConfigError(
        'E_INJECT_SPEC',
        `bad --inject for ${arm}: from ${tier.fromWeightPct}% must be a canary weight in (0, 100]% with at most 2 decimals`,
      );
  }
}

/**
 * The simulated venue: market orders wait a seeded latency, then fill in full at the first market
 * event of their symbol at or after arrival that can fill their side (buy at the ask, sell at the
 * bid, or at the price of a trade of their own aggressor side), paying a fee in bps of notional,
 * unless a reject check stops them. Optional: injected faults per arm (some only from a canary
 * weight, see {@link SimulatedBroker.setCanaryWeightBps}), a persistent slippage offset per
 * account, and venue outages. docs/fill-model.md lists every assumption;
 * {@link SimulatedBroker.describeFillModel} gives them as JSON.
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
export class SimulatedBroker<O extends Order = Order> {
  readonly #config: ExecutionConfig;
  readonly #injections: Readonly<Record<Arm, FaultInjection>>;
  readonly #buyingPower: BuyingPowerCheck<O> | null;
  /** Every arm's fault levels; `#armLevels[arm]` indexes its own, ascending by threshold. */
  readonly #levels: readonly FaultLevel[];
  readonly #armLevels: readonly (readonly number[])[];
  /** Per arm: the index (in `#levels`) of the level in effect at the current canary weight. */
  readonly #activeLevel: number[] = [0, 0];
  /** Per arm: the levels of the accounts its `accounts=P%` faults hit, or null for none. */
  readonly #subsetArmLevels: readonly (readonly number[] | null)[];
  /** Per arm: the share (%) of accounts its `accounts=P%` faults hit, or null for none. */
  readonly #subsetPct: readonly (number | null)[];
  /** Per arm: like `#activeLevel`, for the accounts of its subset. */
  readonly #activeSubsetLevel: number[] = [0, 0];
  /** Per order account id: its score for `accounts=P%` faults (hashed once). */
  readonly #subsetScores = new Map<string, number>();
  #canaryWeightBps = 0;
  readonly #rejectRng: readonly SeededRng[];
  readonly #seed: number;
  readonly #accountSlippageSdBps: number;
  readonly #offsetAccountOf: (accountId: string) => string;
  /** Per order account id: its persistent slippage offset (null when it rounds to 0). */
  readonly #offsets = new Map<string, AccountOffset | null>();
  readonly #outages: OutageSchedule | null;
  /** Per symbol, the pending orders of each side: `[buys, sells]`. */
  readonly #queues = new Map<string, readonly [PendingOrders<O>, PendingOrders<O>]>();
  readonly #inFlightCodec: InFlightOrderCodec<O> | null;
  #pending = 0;
  #seq = 0;
  // Per-event price cache, reset only when something is due: base price per side, then the fill
  // price (and its float) per level × side. No allocation for events with nothing due.
  readonly #basePrice: (Decimal | null)[] = [null, null];
  readonly #fillPrice: (Decimal | null)[];
  readonly #fillPriceNum: number[];
  /** Fee per base unit at each slot's fill price: one multiplication per fill instead of two. */
  readonly #feePerUnit: (Decimal | null)[];
  // Orders of one decision share its price: the last decision price as a Decimal, reused.
  #decisionPriceNum = Number.NaN;
  readonly #minNotionalNum: number;
  #decisionPrice: Decimal | null = null;
  /** Each symbol's tick, learned from every market event while a fill can slip off it. */
  readonly #ticks: PriceTicks | null;

  /** @throws ConfigError `E_INJECT_SPEC` when an injection is out of range for the config. */
  constructor(options: SimulatedBrokerOptions<O>) {
    const { config, seed } = options;
    assertValidExecutionConfig(config);
    const injections = options.injections ?? NO_INJECTIONS;
    this.#config = config;
    this.#seed = seed;
    this.#minNotionalNum = decimalToFloat(config.minNotional);
    this.#injections = injections;
    this.#buyingPower = options.buyingPower ?? null;
    this.#accountSlippageSdBps = config.accountSlippageSdBps ?? 0;
    this.#offsetAccountOf = options.offsetAccountOf ?? ((accountId) => accountId);
    this.#inFlightCodec = options.inFlightCodec ?? null;
    const maxOffsetBps = this.#accountSlippageSdBps * MAX_ACCOUNT_SLIPPAGE_Z;
    const outages = config.outages ?? null;
    this.#outages = outages === null ? null : new OutageSchedule(outages, seed);
    const feeBps = new Decimal(String(config.feeBps));
    const levels: FaultLevel[] = [];
    const subsetArmLevels: (number[] | null)[] = [];
    this.#armLevels = ARM_LIST.map((arm) => {
      const injection = injections[arm];
      assertValidThresholds(arm, injection);
      // One latency stream per arm, shared by its levels (a subset's too): each order draws once
      // from it.
      const latencyRng = new SeededRng(seed, `execution/latency/${arm}`);
      const accountsPct = injection.subset?.accountsPct ?? null;
      const build = (subsetAccount: boolean): number[] =>
        faultLevels(injection, subsetAccount).map((level) => {
          const { faults } = level;
          const latency = new LatencySampler(
            config.latency[arm],
            faults.latencyMs,
            latencyRng,
            1 + faults.latencyPct / 100,
          );
          assertValidLevel(arm, injection, level, latency.floorMs, config, maxOffsetBps);
          const slippageFraction =
            faults.slippageBps === 0
              ? null
              : new Decimal(String(faults.slippageBps)).dividedBy(10_000);
          levels.push({
            fromWeightBps: level.fromWeightBps,
            accountsPct: subsetAccount ? accountsPct : null,
            faults,
            latency,
            rejectProbability: faults.rejectPct / 100,
            slippageFraction,
            factors:
              slippageFraction === null
                ? [null, null]
                : [ONE.plus(slippageFraction), ONE.minus(slippageFraction)],
            feeRate: feeBps.plus(String(faults.feeBps)).dividedBy(10_000),
          });
          return levels.length - 1;
        });
      subsetArmLevels.push(accountsPct === null ? null : build(true));
      return build(false);
    });
    this.#subsetArmLevels = subsetArmLevels;
    this.#subsetPct = ARM_LIST.map((arm) => injections[arm].subset?.accountsPct ?? null);
    this.#levels = levels;
    this.#rejectRng = ARM_LIST.map((arm) => new SeededRng(seed, `execution/reject/${arm}`));
    this.#fillPrice = levels.flatMap(() => [null, null]);
    this.#fillPriceNum = levels.flatMap(() => [0, 0]);
    this.#feePerUnit = levels.flatMap(() => [null, null]);
    const slips =
      this.#accountSlippageSdBps !== 0 || levels.some((level) => level.slippageFraction !== null);
    this.#ticks = slips ? new PriceTicks() : null;
    this.setCanaryWeightBps(options.canaryWeightBps ?? 0);
  }

  /**
   * Sets the canary's current weight, bps (integer 0..10000). Orders submitted from now on get
   * the faults in effect at this weight (weight-conditional faults apply from their threshold);
   * orders already pending keep those of their submission. The engine calls it whenever the
   * router's weight changes.
   *
   * @throws RangeError on anything but an integer in 0..10000.
   */
  setCanaryWeightBps(weightBps: number): void {
    if (!(Number.isInteger(weightBps) && weightBps >= 0 && weightBps <= MAX_WEIGHT_BPS))
      throw new RangeError(`canary weight must be an integer in 0..10000 bps, got ${weightBps}`);
    this.#canaryWeightBps = weightBps;
    for (let arm = 0; arm < this.#armLevels.length; arm++) {
      this.#activeLevel[arm] = this.#levelAt(this.#armLevels[arm]!, weightBps);
      const subset = this.#subsetArmLevels[arm];
      if (subset != null) this.#activeSubsetLevel[arm] = this.#levelAt(subset, weightBps);
    }
  }

  /** The last of `indexes` (ascending thresholds) whose threshold `weightBps` reaches. */
  #levelAt(indexes: readonly number[], weightBps: number): number {
    let active = indexes[0]!;
    for (const index of indexes) {
      if (this.#levels[index]!.fromWeightBps <= weightBps) active = index;
    }
    return active;
  }

  /** True when the `accounts=P%` faults of an arm with that share hit `accountId`'s orders. */
  #inFaultSubset(accountId: string, accountsPct: number): boolean {
    let score = this.#subsetScores.get(accountId);
    if (score === undefined) {
      // A shadow step's paper copy is hit like the account it copies.
      score = faultSubsetScore(this.#seed, this.#offsetAccountOf(accountId));
      this.#subsetScores.set(accountId, score);
    }
    return score < accountsPct / 100;
  }

  /** The canary weight, bps, that orders submitted now are faulted at. */
  get canaryWeightBps(): number {
    return this.#canaryWeightBps;
  }

  /**
   * The persistent slippage offset, bps, of the orders of `accountId` (positive = worse fills):
   * 0 unless `accountSlippageSdBps` is set.
   */
  accountSlippageBps(accountId: string): number {
    const known = this.#offsets.get(accountId);
    if (known !== undefined) return known?.bps ?? 0;
    return accountSlippageBps(
      this.#seed,
      this.#offsetAccountOf(accountId),
      this.#accountSlippageSdBps,
    );
  }

  /** Orders accepted and not yet settled. */
  get pendingCount(): number {
    return this.#pending;
  }

  /**
   * Submits a market order at event time `nowUs` (normally its decision time). Returns a
   * `MIN_NOTIONAL` reject stamped `nowUs` when `quantity × decisionPrice` is below the minimum;
   * otherwise null: the order is pending and settles at a later {@link onMarketEvent}. Draws the
   * order's latency and injected-reject coin first, whatever the outcome. The order gets the
   * faults in effect at the current canary weight. O(log pending).
   *
   * @throws RangeError when `decisionPrice` is not a positive finite number (an engine bug).
   */
  submit(order: O, nowUs: number): RejectReport | null {
    if (!(order.decisionPrice > 0 && Number.isFinite(order.decisionPrice)))
      throw new RangeError(`order ${order.orderId}: decisionPrice must be > 0`);
    const arm = ARM_INDEX[order.arm];
    const subsetPct = this.#subsetPct[arm]!;
    const levelIndex =
      subsetPct !== null && this.#inFaultSubset(order.accountId, subsetPct)
        ? this.#activeSubsetLevel[arm]!
        : this.#activeLevel[arm]!;
    const level = this.#levels[levelIndex]!;
    // One latency draw and one reject draw per order, whatever the level: later draws never shift.
    const latencyMs = level.latency.nextMs();
    const injectedReject = this.#rejectRng[arm]!.nextFloat() < level.rejectProbability;
    const minNotional = this.#config.minNotional;
    // Decided in floats unless within a relative 1e-9 of the minimum, then exactly (decimals).
    const notionalNum = (order.quantityNum ?? decimalToFloat(order.quantity)) * order.decisionPrice;
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
    let queues = this.#queues.get(order.symbol);
    if (queues === undefined) {
      queues = [
        new PendingOrders<O>(this.#inFlightCodec),
        new PendingOrders<O>(this.#inFlightCodec),
      ];
      this.#queues.set(order.symbol, queues);
    }
    // Drawn (and remembered) when the account's first order is accepted; read again at settling.
    if (this.#accountSlippageSdBps !== 0) this.#offsetOf(order.accountId);
    queues[order.side === 'buy' ? SIDE_BUY : SIDE_SELL].push(
      order,
      nowUs + Math.round(latencyMs * 1000),
      this.#seq++,
      pendingTag(levelIndex, injectedReject),
    );
    this.#pending++;
    return null;
  }

  /**
   * Settles every order of `event.symbol` that has arrived by `event.tsUs` (arrival <= event
   * time) and that the event can fill, in (arrival, submission) order, passing each fill or reject
   * to `emit` before checking the next. A quote, or a trade whose aggressor is unknown, can fill
   * both sides; a trade fills only orders of its aggressor's side (a buyer-initiated trade printed
   * at the ask fills buys, a seller-initiated one at the bid fills sells): the others wait for
   * their own side's next event. O(1) when nothing is due. `emit` may submit new orders (they
   * settle here too if already due) but must not call `onMarketEvent` or `expirePending` itself.
   */
  onMarketEvent(event: MarketEvent, emit: (report: ExecutionReport, order: O) => void): void {
    this.#ticks?.observe(event);
    if (this.#pending === 0) return;
    const queues = this.#queues.get(event.symbol);
    if (queues === undefined) return;
    const nowUs = event.tsUs;
    const only = event.type === 'trade' && event.side !== null ? event.side : null;
    const buys = only === 'sell' ? null : queues[SIDE_BUY];
    const sells = only === 'buy' ? null : queues[SIDE_SELL];
    let next = nextDue(buys, sells, nowUs);
    if (next === null) return;
    this.#basePrice[SIDE_BUY] = null;
    this.#basePrice[SIDE_SELL] = null;
    this.#fillPrice.fill(null);
    this.#feePerUnit.fill(null);
    do {
      const order = next.pop()!;
      this.#pending--;
      emit(this.#settle(order, next.poppedArrivalUs, next.poppedTag, event), order);
      next = nextDue(buys, sells, nowUs);
    } while (next !== null);
  }

  /**
   * End of data: rejects every order still pending with `EXPIRED`, stamped `nowUs`, in
   * (arrival, submission) order.
   */
  expirePending(nowUs: number, emit: (report: ExecutionReport, order: O) => void): void {
    const all: { order: O; arrivalUs: number; seq: number }[] = [];
    for (const queues of this.#queues.values()) {
      for (const queue of queues) queue.drainInto(all);
    }
    this.#pending = 0;
    all.sort((a, b) => a.arrivalUs - b.arrivalUs || a.seq - b.seq);
    for (const { order, arrivalUs } of all) {
      const message =
        arrivalUs > nowUs
          ? `the data ended at ${usToIso(nowUs)}, before the order's arrival at ${usToIso(arrivalUs)}`
          : `no ${order.symbol} market event at or after the order's arrival at ${usToIso(arrivalUs)} before the data ended at ${usToIso(nowUs)}`;
      emit(reject(order, nowUs, 'EXPIRED', message), order);
    }
  }

  /** The fill model's assumptions, parameters and injections as plain JSON, for report.json. */
  describeFillModel(): FillModelDescription {
    return describeFillModel(this.#config, this.#injections);
  }

  /** Settles `order`, which reached the venue at `arrivalUs`, pending with `tag`, at `event`. */
  #settle(order: O, arrivalUs: number, tag: number, event: MarketEvent): ExecutionReport {
    if (this.#outages !== null) {
      const outage = this.#outages.windowAt(event.tsUs);
      if (outage !== null) {
        const { perHour, durationMs } = this.#config.outages!;
        return reject(
          order,
          event.tsUs,
          'VENUE',
          `venue outage from ${usToIso(outage.startUs)} to ${usToIso(outage.endUs)} (simulated outages: ${perHour} per hour, ${durationMs} ms each)`,
        );
      }
    }
    const levelIndex = tag >> 1;
    const level = this.#levels[levelIndex]!;
    if ((tag & 1) === 1) {
      const from =
        level.fromWeightBps === 0 ? '' : `, from a canary weight of ${level.fromWeightBps / 100}%`;
      const accounts =
        level.accountsPct === null ? '' : `, this account being in accounts=${level.accountsPct}%`;
      return reject(
        order,
        event.tsUs,
        'INJECTED',
        `fault injection rejected the order at arrival (${order.arm} rejects=+${level.faults.rejectPct}%${from}${accounts})`,
      );
    }
    const side = order.side === 'buy' ? SIDE_BUY : SIDE_SELL;
    const slot = levelIndex * 2 + side;
    let price: Decimal;
    let priceNum: number;
    let feePerUnit: Decimal;
    const offset = this.#accountSlippageSdBps === 0 ? null : this.#offsetOf(order.accountId);
    if (offset === null) {
      price = this.#fillPrice[slot] ?? this.#priceFor(event, slot, side, level);
      priceNum = this.#fillPriceNum[slot]!;
      feePerUnit = this.#feePerUnit[slot] ??= price.times(level.feeRate);
    } else {
      // The account's offset adds to the injected slippage: one factor, 1 ± (injected + offset).
      let factor = offset.factors[slot];
      if (factor === undefined) {
        const fraction =
          level.slippageFraction === null
            ? offset.fraction
            : level.slippageFraction.plus(offset.fraction);
        factor = side === SIDE_BUY ? ONE.plus(fraction) : ONE.minus(fraction);
        offset.factors[slot] = factor;
      }
      price = this.#onTick(this.#basePriceOf(event, side).times(factor), event.symbol);
      priceNum = price.toNumber();
      feePerUnit = price.times(level.feeRate);
    }
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
    return new SimulatedFill(
      order,
      event.tsUs,
      price,
      feePerUnit,
      (arrivalUs - order.decisionTsUs) / 1000,
      slippageBps,
    );
  }

  /** The persistent offset of an order's account, hashed once per id (at its first order). */
  #offsetOf(accountId: string): AccountOffset | null {
    let offset = this.#offsets.get(accountId);
    if (offset === undefined) {
      const bps = accountSlippageBps(
        this.#seed,
        this.#offsetAccountOf(accountId),
        this.#accountSlippageSdBps,
      );
      offset =
        bps === 0
          ? null
          : { bps, fraction: new Decimal(String(bps)).dividedBy(10_000), factors: [] };
      this.#offsets.set(accountId, offset);
    }
    return offset;
  }

  #decisionPriceDecimal(price: number): Decimal {
    if (price !== this.#decisionPriceNum || this.#decisionPrice === null) {
      this.#decisionPriceNum = price;
      this.#decisionPrice = new Decimal(String(price));
    }
    return this.#decisionPrice;
  }

  /** The event's price for a side (ask or bid, or the trade's), built once per event. */
  #basePriceOf(event: MarketEvent, side: number): Decimal {
    let base = this.#basePrice[side] ?? null;
    if (base === null) {
      base = new Decimal(
        event.type === 'trade' ? event.price : side === SIDE_BUY ? event.askPrice : event.bidPrice,
      );
      this.#basePrice[side] = base;
    }
    return base;
  }

  /**
   * A slipped price rounded half-even to the symbol's tick (docs/fill-model.md): a venue fills on
   * its price grid, and half-even leaves the slippage unbiased.
   */
  #onTick(price: Decimal, symbol: string): Decimal {
    return price.toDecimalPlaces(this.#ticks!.placesOf(symbol), Decimal.ROUND_HALF_EVEN);
  }

  /** Builds (once per event) the fill price of one level × side slot and its float. */
  #priceFor(event: MarketEvent, slot: number, side: number, level: FaultLevel): Decimal {
    const base = this.#basePriceOf(event, side);
    const factor = level.factors[side] ?? null;
    const price = factor === null ? base : this.#onTick(base.times(factor), event.symbol);
    this.#fillPrice[slot] = price;
    this.#fillPriceNum[slot] =
      factor === null
        ? event.type === 'trade'
          ? event.priceNum
          : side === SIDE_BUY
            ? event.askPriceNum
            : event.bidPriceNum
        : price.toNumber();
    return price;
  }
}

/** A pending order's queue tag: its fault level's index and its injected-reject coin. */
function pendingTag(levelIndex: number, injectedReject: boolean): number {
  return levelIndex * 2 + (injectedReject ? 1 : 0);
}

/**
 * Of two queues (null: not fillable by this event), the one whose head settles next, if due:
 * earlier arrival, then earlier submission.
 */
function nextDue<O>(
  a: PendingOrders<O> | null,
  b: PendingOrders<O> | null,
  nowUs: number,
): PendingOrders<O> | null {
  const arrivalA = a === null ? Number.POSITIVE_INFINITY : a.peekArrivalUs();
  const arrivalB = b === null ? Number.POSITIVE_INFINITY : b.peekArrivalUs();
  const dueA = arrivalA <= nowUs;
  const dueB = arrivalB <= nowUs;
  if (!dueA) return dueB ? b : null;
  if (!dueB) return a;
  return arrivalA < arrivalB || (arrivalA === arrivalB && a!.peekSeq() < b!.peekSeq()) ? a : b;
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
