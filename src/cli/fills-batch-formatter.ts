import { trimmedDecimalString } from '../engine/quantity-steps.js';
import { VENUE_FEE_DECIMALS } from '../core/venue-fee.js';
import { rawToString, roundScaled } from '../ledger/fixed-point.js';
import { csvField } from '../report/account-result.js';
import { FillsCsvFormatter } from '../report/fills-csv.js';
import { CODES, decimalText, NUMBERS, type FillsBatch } from './fills-batch.js';

const ARMS = ['stable', 'canary'] as const;
const SIDES = ['buy', 'sell'] as const;

/** A fee per unit as an integer and its scale. */
interface ScaledDecimal {
  readonly mantissa: bigint;
  readonly places: number;
}

/**
 * Formats {@link FillsBatch}es into fills.csv text on the writing thread, exactly as
 * `FillsCsvFormatter.row` does from the reports (the same formatter, fed the packed fields).
 */
export class FillsBatchFormatter {
  readonly #format = new FillsCsvFormatter();
  readonly #named: string[] = [];
  #priceBatch: Float64Array | null = null;
  #priceAt = -1;
  #price = '';

  /** The batch's rows, in order, handed to `out` in chunks of joined rows. */
  format(batch: FillsBatch, out: (text: string) => void): void {
    for (const name of batch.named) this.#named.push(name);
    const { kinds, numbers, codes, decimals } = batch;
    const named = this.#named;
    const fees = new Map<number, ScaledDecimal>();
    let rows: string[] = [];
    let nextRow = 0;
    for (let row = 0; row < batch.count; row++) {
      if (kinds[row] === 1) rows.push(batch.rows[nextRow++]!);
      else {
        const n = row * NUMBERS;
        const c = row * CODES;
        const steps = numbers[n + 4]!;
        const quantityDecimals = codes[c + 2]!;
        const arm = ARMS[codes[c]!]!;
        const feeIndex = codes[c + 6]!;
        let fee = fees.get(feeIndex);
        if (fee === undefined) {
          fee = scaled(decimalText(decimals, feeIndex));
          fees.set(feeIndex, fee);
        }
        rows.push(
          this.#format.fillRow(
            numbers[n]!,
            csvField(`${arm}-${numbers[n + 5]!}`),
            named[codes[c + 3]!]!,
            arm,
            named[codes[c + 4]!]!,
            SIDES[codes[c + 1]!]!,
            trimmedDecimalString(steps, quantityDecimals),
            this.#priceText(decimals, codes[c + 5]!),
            rawToString(
              roundScaled(
                fee.mantissa * BigInt(steps),
                fee.places + quantityDecimals,
                VENUE_FEE_DECIMALS,
              ),
              VENUE_FEE_DECIMALS,
            ),
            numbers[n + 2]!,
            numbers[n + 3]!,
            numbers[n + 1]!,
          ),
        );
      }
      if (rows.length >= 512) {
        out(rows.join(''));
        rows = [];
      }
    }
    if (rows.length > 0) out(rows.join(''));
  }

  /** The text of the price at `at` in `batch` (the fills of one event share it: kept). */
  #priceText(decimals: Float64Array, at: number): string {
    if (decimals !== this.#priceBatch || at !== this.#priceAt) {
      this.#priceBatch = decimals;
      this.#priceAt = at;
      this.#price = decimalText(decimals, at);
    }
    return this.#price;
  }
}

/** A decimal's text as an integer and its places: "-0.0125" → (-125, 4). */
function scaled(text: string): ScaledDecimal {
  const point = text.indexOf('.');
  if (point < 0) return { mantissa: BigInt(text), places: 0 };
  return {
    mantissa: BigInt(`${text.slice(0, point)}${text.slice(point + 1)}`),
    places: text.length - point - 1,
  };
}
