import type { Arm } from '../core/arm.js';
import type { Side } from '../core/market-event.js';
import { Decimal } from '../core/money.js';
import type { Order } from '../core/order.js';
import { pow10, QTY_DIGITS } from '../ledger/index.js';
import { stepsToDecimalString, trimmedDecimalString } from './quantity-steps.js';

/** Exact powers of ten as floats (10⁰ … 10²² are exactly representable). */
const FLOAT_POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/**
 * An order as the engine sends it: a whole number of quantity steps, and the engine's own record
 * of the account it is for (`slot`), so that its fill or reject reaches the account's books with
 * no lookup by id. The quantity's decimal is built only when read (a bot's order report, a
 * reject's message); the venue and the books read `quantityNum` and `quantityRaw`.
 */
export class EngineOrder<Slot> implements Order {
  readonly accountId: string;
  readonly arm: Arm;
  readonly symbol: string;
  readonly side: Side;
  readonly decisionTsUs: number;
  readonly decisionPrice: number;
  /** Quantity in whole steps of 10^-decimals base units, > 0. */
  readonly steps: number;
  /**
   * `steps × 10^-decimals` as a float: one correctly rounded division of exact integers, so the
   * same float as any correctly rounded reading of the quantity's decimal.
   */
  readonly quantityNum: number;
  /** The engine's record of the order's account. */
  readonly slot: Slot;
  /** The account's row in the engine (see {@link Order.accountSeq}). */
  readonly accountSeq: number;
  readonly #decimals: number;
  /** The arm's order sequence number (the id is `<arm>-<sequence>`, built when read). */
  readonly #sequence: number;
  #orderId: string | null = null;
  #quantity: Decimal | null = null;
  #quantityRaw: bigint | null = null;

  /**
   * @param steps quantity steps, a positive safe integer; `decimals` in 0..18 (the books' scale).
   */
  constructor(
    sequence: number,
    accountId: string,
    arm: Arm,
    symbol: string,
    side: Side,
    steps: number,
    decimals: number,
    decisionTsUs: number,
    decisionPrice: number,
    slot: Slot,
    accountSeq: number,
  ) {
    this.#sequence = sequence;
    this.accountId = accountId;
    this.arm = arm;
    this.symbol = symbol;
    this.side = side;
    this.steps = steps;
    this.#decimals = decimals;
    this.quantityNum = steps / (FLOAT_POW10[decimals] ?? 10 ** decimals);
    this.decisionTsUs = decisionTsUs;
    this.decisionPrice = decisionPrice;
    this.slot = slot;
    this.accountSeq = accountSeq;
  }

  /** The arm's order sequence number: the id is `<arm>-<sequence>`. */
  get sequence(): number {
    return this.#sequence;
  }

  /** `<arm>-<sequence>`: unique within a run, deterministic. */
  get orderId(): string {
    return (this.#orderId ??= `${this.arm}-${this.#sequence}`);
  }

  /** Base units, exact: `steps × 10^-decimals`. */
  get quantity(): Decimal {
    return (this.#quantity ??= new Decimal(stepsToDecimalString(this.steps, this.#decimals)));
  }

  /** Decimal places of a quantity step: the quantity is `steps × 10^-decimals`. */
  get decimals(): number {
    return this.#decimals;
  }

  /**
   * The quantity as its plain decimal text, exactly `quantity.toFixed()` (no trailing zeros), built
   * from the steps without a decimal: for fills.csv, a row per fill.
   */
  get quantityText(): string {
    return trimmedDecimalString(this.steps, this.#decimals);
  }

  /** The quantity in the books' raw units (10⁻¹⁸ base units); read twice per fill, built once. */
  get quantityRaw(): bigint {
    return (this.#quantityRaw ??= BigInt(this.steps) * pow10(QTY_DIGITS - this.#decimals));
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
