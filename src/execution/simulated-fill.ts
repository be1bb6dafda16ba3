import type { Arm } from '../core/arm.js';
import { decimalToFloat, LastDecimalFloat } from '../core/decimal-to-float.js';
import type { FillReport } from '../core/execution-report.js';
import type { Side } from '../core/market-event.js';
import type { Decimal } from '../core/money.js';
import type { Order } from '../core/order.js';
import { venueFee, venueFeeFloat } from '../core/venue-fee.js';

/** Fees per unit as floats: the fills of an event's price slot share the object. */
const feePerUnitFloat = new LastDecimalFloat();

/**
 * A fill of the simulated venue. Every fill of one event, side and fault level shares its price and
 * its fee per unit (decimals built once per event), so what a fill adds is its quantity and its
 * fee: both are built only when read. The replay's own path reads `quantityNum`, `feeNum` and
 * `feePerUnit` (the ledger books the fee, `feePerUnit × quantity` rounded half-even to 10⁻⁸, in
 * scaled integers), so a replay's fill builds no decimal; a bot, a report or a test reading
 * `quantity` or `fee` gets the decimals, the same values.
 */
export class SimulatedFill implements FillReport {
  readonly type = 'fill' as const;
  readonly tsUs: number;
  readonly price: Decimal;
  /** The fee per base unit at `price`: `fee = feePerUnit × quantity`, rounded to 10⁻⁸. */
  readonly feePerUnit: Decimal;
  readonly latencyMs: number;
  readonly slippageBps: number;
  readonly quantityNum: number;
  readonly #order: Order;
  #fee: Decimal | null = null;
  #feeNum = Number.NaN;

  constructor(
    order: Order,
    tsUs: number,
    price: Decimal,
    feePerUnit: Decimal,
    latencyMs: number,
    slippageBps: number,
  ) {
    this.#order = order;
    this.tsUs = tsUs;
    this.price = price;
    this.feePerUnit = feePerUnit;
    this.latencyMs = latencyMs;
    this.slippageBps = slippageBps;
    this.quantityNum = order.quantityNum ?? decimalToFloat(order.quantity);
  }

  /** The order this fill filled (whole). */
  get order(): Order {
    return this.#order;
  }

  // The order's own fields, read through (a smaller object per fill).
  get orderId(): string {
    return this.#order.orderId;
  }

  get accountId(): string {
    return this.#order.accountId;
  }

  get accountSeq(): number | undefined {
    return this.#order.accountSeq;
  }

  get arm(): Arm {
    return this.#order.arm;
  }

  get symbol(): string {
    return this.#order.symbol;
  }

  get side(): Side {
    return this.#order.side;
  }

  get decisionTsUs(): number {
    return this.#order.decisionTsUs;
  }

  /** The order's quantity (the simulator fills orders whole). */
  get quantity(): Decimal {
    return this.#order.quantity;
  }

  /** `feePerUnit × quantity` rounded half-even to 10⁻⁸ (core/venue-fee.ts), built on first read. */
  get fee(): Decimal {
    return (this.#fee ??= venueFee(this.feePerUnit, this.#order.quantity));
  }

  /** The fee as a float (statistics): {@link fee} as a float, from the floats of its factors. */
  get feeNum(): number {
    if (Number.isNaN(this.#feeNum)) {
      const product = feePerUnitFloat.of(this.feePerUnit) * this.quantityNum;
      const fee = venueFeeFloat(product);
      this.#feeNum = Number.isNaN(fee) ? this.fee.toNumber() : fee;
    }
    return this.#feeNum;
  }

  /** The fill as a plain object, every field a value (what `JSON.stringify` and tests see). */
  toJSON(): FillReport {
    return {
      type: this.type,
      orderId: this.orderId,
      accountId: this.accountId,
      arm: this.arm,
      symbol: this.symbol,
      side: this.side,
      quantity: this.quantity,
      decisionTsUs: this.decisionTsUs,
      tsUs: this.tsUs,
      price: this.price,
      fee: this.fee,
      latencyMs: this.latencyMs,
      slippageBps: this.slippageBps,
    };
  }
}
