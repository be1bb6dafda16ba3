import type { ExecutionReport } from '../core/execution-report.js';
import type { Decimal } from '../core/money.js';
import { SimulatedFill } from '../execution/index.js';
import { VENUE_FEE_DECIMALS } from '../core/venue-fee.js';
import { PRICE_DIGITS, rawToString, roundScaled, toRaw } from '../ledger/index.js';
import { EngineOrder } from './engine-order.js';

/** A fee per unit as an integer and its scale. */
interface ScaledDecimal {
  /** The value × 10^places, exact. */
  readonly mantissa: bigint;
  readonly places: number;
}

/**
 * A fill's quantity and fee as exact decimal text, without decimal.js, for fills.csv (a row per
 * fill): the engine's orders know their quantity in steps, and the venue's fills their fee per
 * unit, shared by the fills of one event. The fee is the one the books booked
 * (`Ledger.applyFill`): `feePerUnit × quantity` rounded half-even to 10⁻⁸ (core/venue-fee.ts),
 * in integers. Both are `undefined` for a
 * report this engine's venue did not make (a bot's fill, a reject: rejects are few), and the fee
 * also for a fee per unit of more than 24 places (the books then book `report.fee` too): the
 * caller then reads the decimals.
 */
export class FillTexts {
  #feePerUnit: Decimal | null = null;
  #scaled: ScaledDecimal | null = null;

  /** `report.quantity.toFixed()` of a fill, or undefined. */
  quantity(report: ExecutionReport): string | undefined {
    if (!(report instanceof SimulatedFill)) return undefined;
    const order = report.order;
    return order instanceof EngineOrder ? order.quantityText : undefined;
  }

  /** The fill's fee, `feePerUnit × quantity` rounded to the venue's 10⁻⁸, or undefined. */
  fee(report: ExecutionReport): string | undefined {
    if (!(report instanceof SimulatedFill)) return undefined;
    const order = report.order;
    if (!(order instanceof EngineOrder)) return undefined;
    const scaled = this.#scaledFeePerUnit(report.feePerUnit);
    if (scaled === null) return undefined;
    const fee = scaled.mantissa * BigInt(order.steps);
    const places = scaled.places + order.decimals;
    return rawToString(roundScaled(fee, places, VENUE_FEE_DECIMALS), VENUE_FEE_DECIMALS);
  }

  /** The fee per unit as an integer, remembered by identity (the fills of an event share it). */
  #scaledFeePerUnit(feePerUnit: Decimal): ScaledDecimal | null {
    if (feePerUnit !== this.#feePerUnit) {
      this.#feePerUnit = feePerUnit;
      const places = feePerUnit.decimalPlaces();
      this.#scaled = places > PRICE_DIGITS ? null : { mantissa: toRaw(feePerUnit, places), places };
    }
    return this.#scaled;
  }
}
