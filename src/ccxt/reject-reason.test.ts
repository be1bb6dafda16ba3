import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { rejectReasonOfError } from './reject-reason.js';
import { loadFixture, offlineExchange } from './test-support/ccxt-fixtures.js';

const BINANCE = loadFixture('binance-spot');

/** The exception ccxt raises for a recorded error answer, through the exchange's own handling. */
async function raised(name: string): Promise<unknown> {
  const recorded = BINANCE.errors[name]!;
  const exchange = await offlineExchange(BINANCE);
  const body = JSON.stringify(recorded.body);
  const url = 'https://api.binance.com/api/v3/order';
  try {
    exchange.handleErrors(recorded.status, '', url, 'POST', {}, body, recorded.body, {}, '');
    exchange.handleHttpStatusCode(recorded.status, '', url, 'POST', body);
  } catch (error) {
    return error;
  }
  throw new Error(`ccxt raised nothing for ${name}`);
}

describe('rejectReasonOfError: createOrder’s exception as the canary’s reject reason', () => {
  it('maps the exceptions ccxt raises for recorded Binance answers', async () => {
    const insufficient = await raised('insufficient-balance');
    expect(insufficient).toBeInstanceOf(ccxt.InsufficientFunds);
    expect(rejectReasonOfError(insufficient)).toBe('INSUFFICIENT_BUYING_POWER');
    const notional = await raised('notional-filter');
    expect(notional).toBeInstanceOf(ccxt.BadRequest); // ccxt's class for Binance's -1013
    expect(rejectReasonOfError(notional)).toBe('MIN_NOTIONAL');
    // "execution status unknown": the order may be live, so no reject.
    const unknown = await raised('unknown-execution-status');
    expect(unknown).toBeInstanceOf(ccxt.BaseError);
    expect(rejectReasonOfError(unknown)).toBeNull();
  });

  it('says nothing after a network error or timeout, or an error that is not ccxt’s', () => {
    expect(rejectReasonOfError(new ccxt.RequestTimeout('binance POST timed out'))).toBeNull();
    expect(rejectReasonOfError(new ccxt.NetworkError('socket hang up'))).toBeNull();
    expect(rejectReasonOfError(new ccxt.ExchangeNotAvailable('503'))).toBeNull();
    expect(rejectReasonOfError(new TypeError('x is undefined'))).toBeNull();
    expect(rejectReasonOfError('a string')).toBeNull();
  });

  it('maps other ccxt exchange errors to VENUE, and price bands to PRICE_PROTECTION', () => {
    expect(rejectReasonOfError(new ccxt.BadSymbol('binance does not have market symbol X'))).toBe(
      'VENUE',
    );
    expect(rejectReasonOfError(new ccxt.RateLimitExceeded('429'))).toBe('VENUE'); // not taken
    expect(
      rejectReasonOfError(new ccxt.InvalidOrder('Filter failure: PERCENT_PRICE_BY_SIDE')),
    ).toBe('PRICE_PROTECTION');
    expect(rejectReasonOfError(new ccxt.OrderImmediatelyFillable('would take'))).toBe('VENUE');
  });
});
