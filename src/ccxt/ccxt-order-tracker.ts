import type { FeeInterface, MarketInterface, Order, Trade } from 'ccxt';
import type { Arm } from '../core/arm.js';
import { CanaryError } from '../core/errors.js';
import type { RejectReason } from '../core/execution-report.js';
import { Decimal, isDecimalString, moneyToString } from '../core/money.js';
import type { BotFill, BotOrder, BotReject, BotReport } from '../embed/bot-report.js';
import { RecentIds } from '../embed/recent-ids.js';
import { decimalFromCcxt, rawString } from './ccxt-decimal.js';
import { instrumentOf, type CcxtInstrument, type SymbolOf } from './ccxt-instrument.js';
import { feeInQuote, type CcxtFeeInput, type FeeCurrencyRate } from './fee-in-quote.js';
import { orderFillFigures, slippageBps, type ExactTrade } from './order-fill-figures.js';
import { rejectReasonOfError } from './reject-reason.js';

/** An order the bot is about to send through ccxt, and the decision it carries out. */
export interface CcxtOrderIntent {
  /**
   * The canary's order id, sent to the exchange as the client order id (ccxt's `clientOrderId`
   * param), so every later update of the order can be matched to it.
   */
  readonly orderId: string;
  readonly accountId: string;
  /** The arm `route(accountId)` gave when the order was decided. */
  readonly arm: Arm;
  /** ccxt's unified symbol (`BTC/USDT`, `BTC/USDT:USDT`). */
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  /**
   * ccxt's amount as sent, a decimal string: `exchange.amountToPrecision(symbol, amount)` (the
   * number ccxt is given is `Number(amount)`). In contracts for a contract market.
   */
  readonly amount: string;
  /** Event time of the decision, ms: the canary's clock when the strategy decided. */
  readonly decisionTsMs: number;
  /** The price the decision saw (the mark or the touch): slippage is measured against it. */
  readonly decisionPrice: string | number | Decimal;
}

/** Options of {@link CcxtOrderTracker}. */
export interface CcxtOrderTrackerOptions {
  /** The ccxt exchange (markets loaded): the tracker reads `market(symbol)` of each order. */
  readonly markets: { market(symbol: string): MarketInterface };
  /** The canary's symbol for a market (default: ccxt's unified symbol). */
  readonly symbolOf?: SymbolOf;
  /**
   * The price of a third fee currency (BNB) in the market's quote currency: without it a fee in
   * such a currency throws `E_CCXT_FEE_CURRENCY`.
   */
  readonly feeCurrencyRate?: FeeCurrencyRate;
  /** The canary's event time now, ms: stamps reports the exchange gives no time for. */
  readonly clock: () => number;
}

/** ccxt order statuses after which nothing more fills. */
const FINAL_STATUSES = new Set(['closed', 'canceled', 'expired', 'rejected']);

/**
 * Where an exchange's own strings hide in `info` (ccxt's raw structure), per field, across the
 * exchanges this adapter was tested with: Binance REST (`price`, `qty`, `commission`,
 * `executedQty`), Binance websocket (`L`, `l`, `n`, `z`), Bybit (`execPrice`, `execQty`,
 * `execFee`, `cumExecQty`). Only read when a number is too long to be read back exactly.
 */
const RAW_KEYS = {
  price: ['price', 'execPrice', 'L'],
  amount: ['qty', 'execQty', 'l'],
  fee: ['commission', 'execFee', 'n'],
  filled: ['executedQty', 'cumExecQty', 'z'],
} as const;

/** Orders remembered as settled (later updates of them are ignored), and buffered trades. */
const SETTLED_KEPT = 100_000;
const ORPHAN_ORDERS_KEPT = 10_000;

interface TrackedOrder {
  readonly intent: CcxtOrderIntent;
  readonly instrument: CcxtInstrument;
  /** Base units ordered: amount × contractSize. */
  readonly quantity: Decimal;
  readonly decisionPrice: Decimal;
  exchangeOrderId: string | undefined;
  /** Its trades so far, by trade id (a trade seen twice counts once). */
  readonly trades: Map<string, Trade>;
  /** Set once the exchange says the order is done: what filled, in ccxt's amount units. */
  done: { status: string; filled: Decimal; tsMs: number | undefined } | undefined;
}

/** An order the exchange says is done whose trades have not all come yet. */
export interface AwaitingTrades {
  readonly orderId: string;
  readonly exchangeOrderId: string | undefined;
  readonly symbol: string;
}

/**
 * Turns a bot's ccxt orders and trades into the canary's reports, for the accounts and arms they
 * were decided for (docs/embedding.md, "Using ccxt"):
 *
 * - {@link submit} before `createOrder`: the `order` report;
 * - {@link onOrder} with every ccxt `Order` seen (createOrder's answer, `fetchOrder`,
 *   `watchOrders`) and {@link onTrade} with every `Trade` (`watchMyTrades`, `fetchMyTrades`; an
 *   order's own `trades` are read too): once the order is done (closed, canceled, expired or
 *   rejected) and its trades add up to what the exchange says filled, **one** `fill` (the canary
 *   takes one fill per order: trades summed, `filledQuantity` when the rest was canceled) or a
 *   `reject` when nothing filled;
 * - {@link onCreateOrderError} when `createOrder` throws: a `reject`, or nothing while the order's
 *   fate is unknown.
 *
 * Updates and trades may come in any order and more than once; those of orders it did not submit
 * are ignored. Money is exact: see `decimalFromCcxt`, `feeInQuote` and `orderFillFigures`.
 */
export class CcxtOrderTracker {
  readonly #options: CcxtOrderTrackerOptions;
  readonly #byOrderId = new Map<string, TrackedOrder>();
  readonly #byExchangeId = new Map<string, TrackedOrder>();
  /** Trades of exchange orders not linked yet (a trade may come before createOrder returns). */
  readonly #orphanTrades = new Map<string, Trade[]>();
  readonly #settledOrderIds = new RecentIds(SETTLED_KEPT);
  readonly #settledExchangeIds = new RecentIds(SETTLED_KEPT);

  constructor(options: CcxtOrderTrackerOptions) {
    this.#options = options;
  }

  /** Orders submitted and not settled yet. */
  get open(): number {
    return this.#byOrderId.size;
  }

  /**
   * Orders the exchange says are done whose trades are still missing: fetch them
   * (`fetchOrderTrades`, `fetchMyTrades`) and pass them to {@link onTrade}.
   */
  awaitingTrades(): AwaitingTrades[] {
    return [...this.#byOrderId.values()]
      .filter((order) => order.done !== undefined)
      .map((order) => ({
        orderId: order.intent.orderId,
        exchangeOrderId: order.exchangeOrderId,
        symbol: order.intent.symbol,
      }));
  }

  /**
   * An order about to be sent: remembered, and returned as the canary's `order` report (record it
   * before calling `createOrder`, so it is in its decision's bucket).
   * @throws CanaryError `E_CCXT_ORDER` for an order id used before or a bad amount;
   *   `E_CCXT_MARKET` for a market the canary cannot book
   */
  submit(intent: CcxtOrderIntent): BotOrder {
    if (this.#byOrderId.has(intent.orderId) || this.#settledOrderIds.has(intent.orderId)) {
      throw new CanaryError('E_CCXT_ORDER', `order ${intent.orderId} was submitted before`);
    }
    if (!isDecimalString(intent.amount) || !new Decimal(intent.amount).isPositive()) {
      throw new CanaryError(
        'E_CCXT_ORDER',
        `order ${intent.orderId}: amount "${intent.amount}" is not a positive decimal string (amountToPrecision's)`,
      );
    }
    const instrument = instrumentOf(
      this.#options.markets.market(intent.symbol),
      this.#options.symbolOf,
    );
    const tracked: TrackedOrder = {
      intent,
      instrument,
      quantity: new Decimal(intent.amount).times(instrument.contractSize),
      decisionPrice: new Decimal(intent.decisionPrice),
      exchangeOrderId: undefined,
      trades: new Map(),
      done: undefined,
    };
    if (tracked.quantity.isZero() || !tracked.decisionPrice.isPositive()) {
      throw new CanaryError(
        'E_CCXT_ORDER',
        `order ${intent.orderId}: a zero amount or a decision price that is not positive`,
      );
    }
    this.#byOrderId.set(intent.orderId, tracked);
    return {
      type: 'order',
      orderId: intent.orderId,
      accountId: intent.accountId,
      arm: intent.arm,
      symbol: instrument.symbol,
      side: intent.side,
      quantity: moneyToString(tracked.quantity),
      decisionTsMs: intent.decisionTsMs,
    };
  }

  /**
   * A ccxt `Order` (createOrder's answer, fetchOrder, watchOrders): matched by `orderId` when given,
   * else by its `clientOrderId`, else by its exchange id; its own `trades` that have an id count
   * as trades of it. Returns the reports it completes (none, or the order's one fill or reject).
   * @throws CanaryError `E_CCXT_ORDER` when its trades add up to more than the exchange says
   *   filled, or than was ordered; `E_CCXT_NUMBER` / `E_CCXT_FEE_CURRENCY` for a figure that
   *   cannot be booked exactly (the order stays open: nothing is reported from a wrong figure)
   */
  onOrder(order: Order, orderId?: string): BotReport[] {
    const tracked = this.#find(orderId ?? order.clientOrderId, order.id);
    if (tracked === undefined) return [];
    if (order.id !== undefined && tracked.exchangeOrderId === undefined) {
      tracked.exchangeOrderId = order.id;
      this.#byExchangeId.set(order.id, tracked);
      for (const trade of this.#orphanTrades.get(order.id) ?? []) this.#addTrade(tracked, trade);
      this.#orphanTrades.delete(order.id);
    }
    // An order's own trades without an id (some createOrder answers) cannot be told from their
    // repeats in watchMyTrades: those are left to onTrade.
    for (const trade of order.trades ?? []) {
      if (trade.id !== undefined) this.#addTrade(tracked, trade);
    }
    if (order.status !== undefined && FINAL_STATUSES.has(order.status)) {
      const what = `order ${tracked.intent.orderId}`;
      const filled =
        order.filled === undefined && order.status === 'closed'
          ? new Decimal(tracked.intent.amount)
          : decimalFromCcxt(order.filled, `${what} filled`, rawString(order.info, RAW_KEYS.filled));
      tracked.done = {
        status: order.status,
        filled,
        tsMs: order.lastTradeTimestamp ?? order.lastUpdateTimestamp ?? order.timestamp,
      };
    }
    return this.#settle(tracked);
  }

  /**
   * A ccxt `Trade` of the account (watchMyTrades, fetchMyTrades): matched to its order by the
   * exchange's order id (`trade.order`). Returns the reports it completes.
   * @throws CanaryError as {@link onOrder}
   */
  onTrade(trade: Trade): BotReport[] {
    const exchangeOrderId = trade.order;
    if (exchangeOrderId === undefined || this.#settledExchangeIds.has(exchangeOrderId)) return [];
    const tracked = this.#byExchangeId.get(exchangeOrderId);
    if (tracked === undefined) {
      // Not linked yet (createOrder has not returned), or not ours: kept a while.
      const waiting = this.#orphanTrades.get(exchangeOrderId) ?? [];
      waiting.push(trade);
      this.#orphanTrades.set(exchangeOrderId, waiting);
      if (this.#orphanTrades.size > ORPHAN_ORDERS_KEPT) {
        const oldest = this.#orphanTrades.keys().next().value;
        if (oldest !== undefined) this.#orphanTrades.delete(oldest);
      }
      return [];
    }
    this.#addTrade(tracked, trade);
    return this.#settle(tracked);
  }

  /**
   * `createOrder` threw: the order's `reject` (reason from the error: `rejectReasonOfError`), or
   * `null` when its fate is unknown (a network error or timeout, or an error that is not ccxt's):
   * the order stays open; look it up by its client order id and pass what the exchange says to
   * {@link onOrder}, or {@link reject} it if the exchange never got it.
   */
  onCreateOrderError(orderId: string, error: unknown): BotReject | null {
    const reason = rejectReasonOfError(error);
    if (reason === null) {
      this.#tracked(orderId); // an unknown id is the bot's bug: throws
      return null;
    }
    const message = error instanceof Error ? error.message : String(error);
    return this.reject(orderId, reason, message);
  }

  /**
   * Settles an open order as rejected (the exchange never took it) at the canary's clock, or
   * `tsMs`.
   * @throws CanaryError `E_CCXT_ORDER` for an order that is not open
   */
  reject(orderId: string, reason: RejectReason, message: string, tsMs?: number): BotReject {
    const tracked = this.#tracked(orderId);
    this.#forget(tracked);
    return this.#rejectReport(tracked, reason, message, tsMs ?? this.#options.clock());
  }

  #find(
    orderId: string | undefined,
    exchangeOrderId: string | undefined,
  ): TrackedOrder | undefined {
    const byId = orderId === undefined ? undefined : this.#byOrderId.get(orderId);
    if (byId !== undefined) return byId;
    return exchangeOrderId === undefined ? undefined : this.#byExchangeId.get(exchangeOrderId);
  }

  #tracked(orderId: string): TrackedOrder {
    const tracked = this.#byOrderId.get(orderId);
    if (tracked === undefined) {
      throw new CanaryError(
        'E_CCXT_ORDER',
        `order ${orderId} is not an open order of this tracker`,
      );
    }
    return tracked;
  }

  #addTrade(tracked: TrackedOrder, trade: Trade): void {
    if (trade.id === undefined) {
      throw new CanaryError(
        'E_CCXT_ORDER',
        `order ${tracked.intent.orderId}: a trade without an id cannot be told from a repeat of another`,
      );
    }
    const seen = tracked.trades.get(trade.id);
    // A repeat counts once; one that brings the fee a first sighting lacked replaces it.
    if (seen === undefined || (!hasFee(seen) && hasFee(trade))) tracked.trades.set(trade.id, trade);
  }

  /** The order's fill or reject once it is done and its trades add up; nothing before. */
  #settle(tracked: TrackedOrder): BotReport[] {
    const done = tracked.done;
    if (done === undefined) return [];
    const { intent, instrument } = tracked;
    const what = `order ${intent.orderId}`;
    if (done.filled.isZero()) {
      this.#forget(tracked);
      const reason: RejectReason = done.status === 'rejected' ? 'VENUE' : 'EXPIRED';
      const message = `the exchange reported the order ${done.status} with nothing filled (exchange order ${tracked.exchangeOrderId ?? '?'})`;
      return [this.#rejectReport(tracked, reason, message, done.tsMs ?? this.#options.clock())];
    }
    const trades = [...tracked.trades.values()].map((trade) => this.#exactTrade(tracked, trade));
    const traded = trades.reduce((sum, t) => sum.plus(t.amount), new Decimal(0));
    if (traded.lessThan(done.filled)) return []; // more trades to come
    if (traded.greaterThan(done.filled)) {
      throw new CanaryError(
        'E_CCXT_ORDER',
        `${what}: its trades add up to ${traded.toFixed()}, more than the ${done.filled.toFixed()} the exchange says filled`,
      );
    }
    const figures = orderFillFigures(trades, instrument.contractSize, intent.side);
    if (figures.quantity.greaterThan(tracked.quantity)) {
      throw new CanaryError(
        'E_CCXT_ORDER',
        `${what}: ${figures.quantity.toFixed()} filled, more than the ${tracked.quantity.toFixed()} ordered`,
      );
    }
    const tradeTimes = trades.flatMap((t) => (t.tsMs === undefined ? [] : [t.tsMs]));
    const tsMs =
      tradeTimes.length > 0 ? Math.max(...tradeTimes) : (done.tsMs ?? this.#options.clock());
    this.#forget(tracked);
    const fill: BotFill = {
      type: 'fill',
      fillId: `${intent.orderId}:fill`,
      orderId: intent.orderId,
      accountId: intent.accountId,
      arm: intent.arm,
      symbol: instrument.symbol,
      side: intent.side,
      quantity: moneyToString(tracked.quantity),
      ...(figures.quantity.equals(tracked.quantity)
        ? {}
        : { filledQuantity: moneyToString(figures.quantity) }),
      price: moneyToString(figures.price),
      fee: moneyToString(figures.fee),
      decisionTsMs: intent.decisionTsMs,
      tsMs,
      // An exchange stamp a little before a decision stamped on local time is 0, not negative.
      latencyMs: Math.max(0, tsMs - intent.decisionTsMs),
      slippageBps: slippageBps(figures.price, tracked.decisionPrice, intent.side),
    };
    return [fill];
  }

  #exactTrade(tracked: TrackedOrder, trade: Trade): ExactTrade & { tsMs: number | undefined } {
    const what = `order ${tracked.intent.orderId} trade ${trade.id ?? '?'}`;
    const info: unknown = trade.info;
    const price = decimalFromCcxt(trade.price, `${what} price`, rawString(info, RAW_KEYS.price));
    const amount = decimalFromCcxt(
      trade.amount,
      `${what} amount`,
      rawString(info, RAW_KEYS.amount),
    );
    const tsMs = trade.timestamp ?? tracked.done?.tsMs;
    const fee = feeInQuote(
      feesOf(trade),
      price,
      tsMs ?? this.#options.clock(),
      tracked.instrument,
      this.#options.feeCurrencyRate,
      what,
    );
    return { amount, price, fee, tsMs: trade.timestamp };
  }

  #rejectReport(
    tracked: TrackedOrder,
    reason: RejectReason,
    message: string,
    tsMs: number,
  ): BotReject {
    const { intent } = tracked;
    return {
      type: 'reject',
      orderId: intent.orderId,
      accountId: intent.accountId,
      arm: intent.arm,
      symbol: tracked.instrument.symbol,
      side: intent.side,
      quantity: moneyToString(tracked.quantity),
      reason,
      message: message.slice(0, 1000),
      decisionTsMs: intent.decisionTsMs,
      tsMs,
    };
  }

  #forget(tracked: TrackedOrder): void {
    this.#byOrderId.delete(tracked.intent.orderId);
    this.#settledOrderIds.add(tracked.intent.orderId);
    if (tracked.exchangeOrderId !== undefined) {
      this.#byExchangeId.delete(tracked.exchangeOrderId);
      this.#settledExchangeIds.add(tracked.exchangeOrderId);
    }
  }
}

/** A trade's fees: ccxt's `fees` when it has several, else its `fee`, with the raw cost. */
function feesOf(trade: Trade): CcxtFeeInput[] {
  const several = (trade as Trade & { fees?: FeeInterface[] }).fees;
  if (several !== undefined && several.length > 1) return several.map((fee) => ({ fee }));
  const fee = several?.[0] ?? trade.fee;
  return fee === undefined ? [] : [{ fee, rawCost: rawString(trade.info, RAW_KEYS.fee) }];
}

function hasFee(trade: Trade): boolean {
  return feesOf(trade).some(({ fee }) => fee.cost !== undefined);
}
