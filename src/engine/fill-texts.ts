import type { ExecutionReport } from '../core/execution-report.js';
import type { Decimal } from '../core/money.js';
import { SimulatedFill } from '../execution/index.js';
import {
  MONEY_DIGITS,
  pow10,
  PRICE_DIGITS,
  rawToString,
  roundSignificant,
  toRaw,
} from '../ledger/index.js';
import { EngineOrder } from './engine-order.js';

/** Significant digits of a decimal.js result ({@link Decimal}'s precision). */
const DECIMAL_PRECISION = 40;

/** A fee per unit as an integer and its scale, and how many significant digits it has. */
interface ScaledDecimal {
  /** The value × 10^places, exact. */
  readonly mantissa: bigint;
  readonly places: number;
  readonly significant: number;
}

/**
 * A fill's quantity and fee as the exact decimal text `toFixed()` gives, without decimal.js, for
 * fills.csv (a row per fill): the engine's orders know their quantity in steps, and the venue's
 * fills their fee per unit, shared by the fills of one event, so the fee is `feePerUnit ×
 * quantity` in integers, rounded to 40 significant digits as the decimal product is (it takes
 * rounding only when the two have more than 40 significant digits together). Both are `undefined`
 * for a report this engine's venue did not make (a bot's fill, a reject: rejects are few), and
 * the fee also for a fee per unit of more than 24 places: the caller then reads the decimals.
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

  /** `report.fee.toFixed()` of a fill, or undefined. */
  fee(report: ExecutionReport): string | undefined {
    if (!(report instanceof SimulatedFill)) return undefined;
    const order = report.order;
    if (!(order instanceof EngineOrder)) return undefined;
    const scaled = this.#scaledFeePerUnit(report.feePerUnit);
    if (scaled === null) return undefined;
    const steps = order.steps;
    const places = scaled.places + order.decimals;
    if (scaled.significant + String(steps).length <= DECIMAL_PRECISION)
      return rawToString(scaled.mantissa * BigInt(steps), places);
    // More digits than decimal.js keeps: its rounding of the exact product, at the books' scale.
    const exact = scaled.mantissa * BigInt(steps) * pow10(MONEY_DIGITS - places);
    return rawToString(roundSignificant(exact, DECIMAL_PRECISION), MONEY_DIGITS);
  }

  /** The fee per unit as an integer, remembered by identity (the fills of an event share it). */
  #scaledFeePerUnit(feePerUnit: Decimal): ScaledDecimal | null {
    if (feePerUnit !== this.#feePerUnit) {
      this.#feePerUnit = feePerUnit;
      const places = feePerUnit.decimalPlaces();
      this.#scaled =
        places > PRICE_DIGITS
          ? null
          : { mantissa: toRaw(feePerUnit, places), places, significant: feePerUnit.precision() };
    }
    return this.#scaled;
  }
}
