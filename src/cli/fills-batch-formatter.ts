import { FLOAT_POW10 } from '../core/float-powers-of-ten.js';
import { trimmedDecimalString } from '../engine/quantity-steps.js';
import { US_PER_SECOND } from '../core/time.js';
import { VENUE_FEE_DECIMALS } from '../core/venue-fee.js';
import { rawToString, roundScaled } from '../ledger/fixed-point.js';
import { csvField } from '../report/account-result.js';
import { FillsCsvFormatter } from '../report/fills-csv.js';
import { IsoSecondPrefixes } from '../report/iso-second-prefixes.js';
import type { CsvBytes } from './csv-bytes.js';
import { CODES, decimalText, NUMBERS, type FillsBatch } from './fills-batch.js';

const ARMS = ['stable', 'canary'] as const;
const SIDES = ['buy', 'sell'] as const;
const ARM_BYTES = ARMS.map((arm) => Buffer.from(arm, 'latin1'));
const SIDE_BYTES = SIDES.map((side) => Buffer.from(side, 'latin1'));
const FILL_BYTES = Buffer.from(',fill,', 'latin1');
const COMMA = 44;
const MINUS = 45;
const NEWLINE = 10;
const Z = 90;
/** Latencies below this many µs are written from their whole µs (15 digits at most). */
const MAX_LATENCY_MICROS = 1e15;

/** A fee per unit as an integer and its scale; the integer also as a float when it is exact so. */
interface ScaledDecimal {
  readonly mantissa: bigint;
  /** The mantissa as a float, or NaN beyond 2⁵³. */
  readonly mantissaNum: number;
  readonly places: number;
}

/**
 * Formats {@link FillsBatch}es into fills.csv bytes on the writing thread, exactly as
 * `FillsCsvFormatter.fillRow` writes the same fields (a test compares them on random fields).
 * A fill's row goes straight into bytes: digits of whole numbers, the timestamps' date and
 * second from a kept prefix, the price's, account's and symbol's bytes kept while they repeat,
 * the fee rounded in floats while `fee per unit × steps` is below 2⁵³, the latency from its whole
 * microseconds. Strings per field were about 1.5 µs a row, the formatting thread's whole time and
 * a third of a `replay --out` of a fill-heavy feed. Anything outside those bounds (and every
 * row already formatted) takes the text path, `FillsCsvFormatter.fillRow`.
 */
export class FillsBatchFormatter {
  readonly #format = new FillsCsvFormatter();
  readonly #named: string[] = [];
  readonly #namedBytes: Uint8Array[] = [];
  #priceBatch: Float64Array | null = null;
  #priceAt = -1;
  #price = '';
  #priceBytes: Uint8Array = new Uint8Array(0);
  #slippage = Number.NaN;
  #slippageBytes: Uint8Array = new Uint8Array(0);
  readonly #seconds = new IsoSecondPrefixes<Uint8Array>(
    (prefix) => Buffer.from(prefix, 'latin1'),
    new Uint8Array(0),
  );

  /** The batch's rows, in order, into `out` (flushed at the end). */
  format(batch: FillsBatch, out: CsvBytes): void {
    // A price is kept by its place in its batch's decimals: a batch written into the buffers of
    // the one before (FillsBatchPacker.drain) holds other prices at the same places.
    this.#priceBatch = null;
    for (const name of batch.named) {
      this.#named.push(name);
      this.#namedBytes.push(Buffer.from(name, 'utf8'));
    }
    const { kinds, codes, decimals } = batch;
    const fees = new Map<number, ScaledDecimal>();
    let nextRow = 0;
    for (let row = 0; row < batch.count; row++) {
      if (kinds[row] === 1) {
        const text = batch.rows[nextRow++]!;
        out.room(text.length * 3);
        out.text(text);
        continue;
      }
      const feeIndex = codes[row * CODES + 6]!;
      let fee = fees.get(feeIndex);
      if (fee === undefined) {
        fee = scaled(decimalText(decimals, feeIndex));
        fees.set(feeIndex, fee);
      }
      if (!this.#fillBytes(batch, row, fee, out)) {
        const text = this.#fillText(batch, row, fee);
        out.room(text.length * 3);
        out.text(text);
      }
    }
    out.flush();
  }

  /** Writes packed fill `row` as bytes; false (nothing written) when a field is out of bounds. */
  #fillBytes(batch: FillsBatch, row: number, fee: ScaledDecimal, out: CsvBytes): boolean {
    const { numbers, codes, decimals } = batch;
    const n = row * NUMBERS;
    const c = row * CODES;
    const tsUs = numbers[n]!;
    const decisionTsUs = numbers[n + 1]!;
    const latencyMs = numbers[n + 2]!;
    const steps = numbers[n + 4]!;
    const sequence = numbers[n + 5]!;
    const quantityDecimals = codes[c + 2]!;
    if (
      !Number.isSafeInteger(tsUs) ||
      !Number.isSafeInteger(decisionTsUs) ||
      !Number.isSafeInteger(steps) ||
      !Number.isSafeInteger(sequence) ||
      sequence < 0
    )
      return false;
    const feeRaw = feeRawOf(fee, steps, quantityDecimals);
    if (Number.isNaN(feeRaw)) return false;
    const micros = Math.round(latencyMs * 1000);
    const latencyExact = micros / 1000 === latencyMs && micros >= 0 && micros < MAX_LATENCY_MICROS;
    const account = this.#namedBytes[codes[c + 3]!]!;
    const symbol = this.#namedBytes[codes[c + 4]!]!;
    const price = this.#priceBytesOf(decimals, codes[c + 5]!);
    const slippage = this.#slippageBytesOf(numbers[n + 3]!);
    const latencyText = latencyExact ? '' : String(latencyMs);
    out.room(
      200 +
        quantityDecimals +
        account.length +
        symbol.length +
        price.length +
        slippage.length +
        latencyText.length,
    );
    const arm = codes[c]!;
    this.#iso(tsUs, out);
    out.bytes(FILL_BYTES);
    out.bytes(ARM_BYTES[arm]!);
    out.byte(MINUS);
    out.unsigned(sequence);
    out.byte(COMMA);
    out.bytes(account);
    out.byte(COMMA);
    out.bytes(ARM_BYTES[arm]!);
    out.byte(COMMA);
    out.bytes(symbol);
    out.byte(COMMA);
    out.bytes(SIDE_BYTES[codes[c + 1]!]!);
    out.byte(COMMA);
    if (quantityDecimals === 0) {
      if (steps < 0) out.byte(MINUS);
      out.unsigned(Math.abs(steps));
    } else out.fixedTrimmed(steps, quantityDecimals);
    out.byte(COMMA);
    out.bytes(price);
    out.byte(COMMA);
    out.fixedTrimmed(feeRaw, VENUE_FEE_DECIMALS);
    out.byte(COMMA);
    if (latencyExact) out.fixedTrimmed(micros, 3);
    else out.text(latencyText);
    out.byte(COMMA);
    out.bytes(slippage);
    out.byte(COMMA);
    this.#iso(decisionTsUs, out);
    out.byte(COMMA);
    out.byte(NEWLINE);
    return true;
  }

  /** Packed fill `row` as text, by `FillsCsvFormatter.fillRow` (the reference of the bytes). */
  #fillText(batch: FillsBatch, row: number, fee: ScaledDecimal): string {
    const { numbers, codes, decimals } = batch;
    const n = row * NUMBERS;
    const c = row * CODES;
    const steps = numbers[n + 4]!;
    const quantityDecimals = codes[c + 2]!;
    const arm = ARMS[codes[c]!]!;
    return this.#format.fillRow(
      numbers[n]!,
      csvField(`${arm}-${numbers[n + 5]!}`),
      this.#named[codes[c + 3]!]!,
      arm,
      this.#named[codes[c + 4]!]!,
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
    );
  }

  /** `usToIso(tsUs)` as bytes, for a whole `tsUs` below 2⁵³ in magnitude. */
  #iso(tsUs: number, out: CsvBytes): void {
    const second = Math.floor(tsUs / US_PER_SECOND);
    out.bytes(this.#seconds.of(second));
    out.padded(tsUs - second * US_PER_SECOND, 6);
    out.byte(Z);
  }

  /** The text of the price at `at` in `batch` (the fills of one event share it: kept). */
  #priceText(decimals: Float64Array, at: number): string {
    if (decimals !== this.#priceBatch || at !== this.#priceAt) {
      this.#priceBatch = decimals;
      this.#priceAt = at;
      this.#price = decimalText(decimals, at);
      this.#priceBytes = Buffer.from(this.#price, 'latin1');
    }
    return this.#price;
  }

  #priceBytesOf(decimals: Float64Array, at: number): Uint8Array {
    this.#priceText(decimals, at);
    return this.#priceBytes;
  }

  /** `String(slippageBps)` as bytes (the fills of one event and side share it: kept). */
  #slippageBytesOf(slippageBps: number): Uint8Array {
    if (slippageBps !== this.#slippage) {
      this.#slippage = slippageBps;
      this.#slippageBytes = Buffer.from(String(slippageBps), 'latin1');
    }
    return this.#slippageBytes;
  }
}

/**
 * The fee the books booked for `steps` of a fee per unit, `fee per unit × quantity` rounded half
 * to even to the venue's 10⁻⁸, as a whole number of 10⁻⁸ (what `roundScaled` gives in
 * `bigint`s), or NaN when a float could not hold it exactly.
 */
export function feeRawOf(fee: ScaledDecimal, steps: number, quantityDecimals: number): number {
  const product = fee.mantissaNum * steps;
  if (!Number.isSafeInteger(product)) return Number.NaN;
  const digits = fee.places + quantityDecimals;
  if (digits <= VENUE_FEE_DECIMALS) {
    const raw = product * FLOAT_POW10[VENUE_FEE_DECIMALS - digits]!;
    return Number.isSafeInteger(raw) ? raw : Number.NaN;
  }
  const shift = digits - VENUE_FEE_DECIMALS;
  // A unit past 10²² is more than twice any product below 2⁵³: the fee rounds to 0.
  if (shift >= FLOAT_POW10.length) return 0;
  const unit = FLOAT_POW10[shift]!;
  const magnitude = Math.abs(product);
  // Exact: a whole number below 2⁵³ over a power of ten floors exactly, and the rest is whole.
  let quotient = Math.floor(magnitude / unit);
  const twice = (magnitude - quotient * unit) * 2;
  if (twice > unit || (twice === unit && quotient % 2 === 1)) quotient++;
  return product < 0 ? -quotient : quotient;
}

/** A decimal's text as an integer and its places: "-0.0125" → (-125, 4). */
export function scaled(text: string): ScaledDecimal {
  const point = text.indexOf('.');
  const mantissa =
    point < 0 ? BigInt(text) : BigInt(`${text.slice(0, point)}${text.slice(point + 1)}`);
  const asFloat = Number(mantissa);
  return {
    mantissa,
    mantissaNum: Number.isSafeInteger(asFloat) ? asFloat : Number.NaN,
    places: point < 0 ? 0 : text.length - point - 1,
  };
}
