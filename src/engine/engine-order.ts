import type { Arm } from '../core/arm.js';
import { FLOAT_POW10 } from '../core/float-powers-of-ten.js';
import type { Side } from '../core/market-event.js';
import { Decimal } from '../core/money.js';
import type { Order } from '../core/order.js';
import { stepsToDecimalString } from './quantity-steps.js';

/**
 * What every order of one decision shares: the arm and symbol, the decision's event time and
 * price, and the quantity step. One object per decision, not a copy per order: a target change
 * over 100,000 accounts sends 100,000 orders, kept while they are in flight.
 */
export interface OrderDecision {
  readonly arm: Arm;
  readonly symbol: string;
  readonly tsUs: number;
  readonly price: number;
  /** Decimal places of a quantity step (0..18, the books' scale): quantity = steps × 10^-decimals. */
  readonly decimals: number;
}

/** What an order needs of the engine's record of its account: the account, for its id. */
export interface OrderSlot {
  readonly account: { readonly id: string };
}

/**
 * An order as the engine sends it: a whole number of quantity steps, its decision (shared with
 * the decision's other orders) and the engine's own record of the account it is for (`slot`), so
 * that its fill or reject reaches the account's books with no lookup by id. The quantity's
 * decimal is built only when read (a bot's order report, a reject's message); the venue and the
 * books read `quantityNum` and `steps` (the books take the order as a `StepQuantity`).
 *
 * Six fields and no more: the account id, arm and symbol are read through the slot and the
 * decision, and the id and the quantity's decimal are built at each read, not kept. An order lives
 * from its decision to its fill, long enough to be promoted out of V8's young generation when
 * 100,000 are in flight, so each field is paid for in every collection's copying: with 11 fields
 * the bench's 100,000-account replay took about 2 % longer and its peak RSS was about 25 MiB
 * higher (`node dist/bench/replay-rss-child.js .bench/synthetic-seed1-30000.csv 100000`). A
 * batch of 2,048 orders or more is no longer kept as objects at all (engine-order-codec.ts).
 */
export class EngineOrder<Slot extends OrderSlot> implements Order {
  readonly side: Side;
  /** Quantity in whole steps of 10^-decimals base units, > 0. */
  readonly steps: number;
  /** The engine's record of the order's account. */
  readonly slot: Slot;
  /** The account's row in the engine (see {@link Order.accountSeq}). */
  readonly accountSeq: number;
  readonly #decision: OrderDecision;
  /** The arm's order sequence number (the id is `<arm>-<sequence>`, built when read). */
  readonly #sequence: number;

  /** @param steps quantity steps, a positive safe integer. */
  constructor(
    sequence: number,
    decision: OrderDecision,
    side: Side,
    steps: number,
    slot: Slot,
    accountSeq: number,
  ) {
    this.#sequence = sequence;
    this.#decision = decision;
    this.side = side;
    this.steps = steps;
    this.slot = slot;
    this.accountSeq = accountSeq;
  }

  get accountId(): string {
    return this.slot.account.id;
  }

  get arm(): Arm {
    return this.#decision.arm;
  }

  get symbol(): string {
    return this.#decision.symbol;
  }

  get decisionTsUs(): number {
    return this.#decision.tsUs;
  }

  get decisionPrice(): number {
    return this.#decision.price;
  }

  /** The decision the order was sent for (shared with the decision's other orders). */
  get decision(): OrderDecision {
    return this.#decision;
  }

  /**
   * `steps × 10^-decimals` as a float: one correctly rounded division of exact integers, so the
   * same float as any correctly rounded reading of the quantity's decimal. Computed when read: a
   * float field would be a heap number of its own per order, kept as long as the order is in
   * flight.
   */
  get quantityNum(): number {
    return this.steps / (FLOAT_POW10[this.decimals] ?? 10 ** this.decimals);
  }

  /** The arm's order sequence number: the id is `<arm>-<sequence>`. */
  get sequence(): number {
    return this.#sequence;
  }

  /** `<arm>-<sequence>`: unique within a run, deterministic. */
  get orderId(): string {
    return `${this.arm}-${this.#sequence}`;
  }

  /** Base units, exact: `steps × 10^-decimals` (a new decimal at each read). */
  get quantity(): Decimal {
    return new Decimal(stepsToDecimalString(this.steps, this.decimals));
  }

  /** Decimal places of a quantity step: the quantity is `steps × 10^-decimals`. */
  get decimals(): number {
    return this.#decision.decimals;
  }

  /** The order as a plain object, every field a value (what `JSON.stringify` and tests see). */
  toJSON(): Order {
    return {
      orderId: this.orderId,
      accountId: this.accountId,
      arm: this.arm,
      symbol: this.symbol,
      side: this.side,
      quantity: this.quantity,
      decisionTsUs: this.decisionTsUs,
      decisionPrice: this.decisionPrice,
    };
  }
}
