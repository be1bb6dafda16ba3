import type { FeeInterface } from 'ccxt';
import { CanaryError } from '../core/errors.js';
import { Decimal } from '../core/money.js';
import { decimalFromCcxt } from './ccxt-decimal.js';
import type { CcxtInstrument } from './ccxt-instrument.js';
import { exactProduct, exactSum } from './exact-decimal.js';

/**
 * The price of one unit of a fee currency that is neither the market's base nor its quote (BNB
 * on Binance), in the quote currency, at the trade's time; `undefined` when the bot has none.
 */
export type FeeCurrencyRate = (
  currency: string,
  tsMs: number,
) => string | number | Decimal | undefined;

/** A trade's fee, in its currency: ccxt's `fee` or one entry of its `fees`. */
export interface CcxtFeeInput {
  readonly fee: FeeInterface;
  /** The exchange's own string for the cost, when the structure's `info` has it. */
  readonly rawCost?: unknown;
}

/**
 * A trade's fees in the quote currency, exactly: a fee in the quote currency as it is; a fee in
 * the base currency times the trade's price (what it was worth when it was charged); a fee in a
 * third currency times `rate(currency)`. A fee without a cost is none; a negative cost is a
 * rebate.
 *
 * @throws CanaryError `E_CCXT_FEE_CURRENCY` for a fee in a third currency without a rate, or a
 *   cost without a currency
 */
export function feeInQuote(
  fees: readonly CcxtFeeInput[],
  price: Decimal,
  tsMs: number,
  instrument: CcxtInstrument,
  rate: FeeCurrencyRate | undefined,
  what: string,
): Decimal {
  const costs = fees.flatMap(({ fee, rawCost }) => {
    if (fee.cost === undefined) return [];
    const cost = decimalFromCcxt(fee.cost, `${what} fee`, rawCost);
    if (cost.isZero()) return [];
    const currency = fee.currency;
    if (currency === instrument.quote) return [cost];
    if (currency === instrument.base) return [exactProduct(cost, price)];
    if (currency === undefined) {
      throw new CanaryError(
        'E_CCXT_FEE_CURRENCY',
        `${what}: a fee of ${cost.toFixed()} in no currency: its value in ${instrument.quote} cannot be told`,
      );
    }
    const perUnit = rate?.(currency, tsMs);
    if (perUnit === undefined) {
      throw new CanaryError(
        'E_CCXT_FEE_CURRENCY',
        `${what}: a fee of ${cost.toFixed()} ${currency}, neither ${instrument.base} nor ${instrument.quote}: give feeCurrencyRate (the price of 1 ${currency} in ${instrument.quote}) to book it`,
      );
    }
    const unitPrice = new Decimal(perUnit);
    if (!unitPrice.isFinite() || !unitPrice.isPositive() || unitPrice.isZero()) {
      throw new CanaryError(
        'E_CCXT_FEE_CURRENCY',
        `${what}: the rate of ${currency} in ${instrument.quote} is ${unitPrice.toString()}, not a positive price`,
      );
    }
    return [exactProduct(cost, unitPrice)];
  });
  return exactSum(costs);
}
