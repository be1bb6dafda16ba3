import { describe, expect, it } from 'vitest';
import { decimalFromCcxt } from './ccxt-decimal.js';

describe('decimalFromCcxt: a ccxt number as the decimal the exchange sent', () => {
  it('reads a number of at most 15 significant digits back exactly, whatever its size', () => {
    expect(decimalFromCcxt(0.0015, 'amount').toFixed()).toBe('0.0015');
    expect(decimalFromCcxt(5e-7, 'fee').toFixed()).toBe('0.0000005');
    expect(decimalFromCcxt(60019.5, 'price').toFixed()).toBe('60019.5');
    expect(decimalFromCcxt(123456789.123456, 'price').toFixed()).toBe('123456789.123456');
    expect(decimalFromCcxt(-0.0090075, 'fee').toFixed()).toBe('-0.0090075');
    expect(decimalFromCcxt(0, 'fee').toFixed()).toBe('0');
  });

  it('refuses a float computation (17 digits), unless the exchange’s own string is the same number', () => {
    const sum = 0.1 + 0.2; // 0.30000000000000004
    expect(() => decimalFromCcxt(sum, 'order 7 fee')).toThrow(
      expect.objectContaining({
        code: 'E_CCXT_NUMBER',
        message: expect.stringContaining('order 7 fee: 0.30000000000000004') as string,
      }) as Error,
    );
    expect(decimalFromCcxt(sum, 'fee', '0.30000000000000004').toFixed()).toBe(
      '0.30000000000000004',
    );
    // ccxt's average of 60010 and 60019.5 weighted 2:1 is such a float: never taken for a price.
    expect(() => decimalFromCcxt(60013.166666666664, 'average', '60013.17')).toThrow(
      expect.objectContaining({ code: 'E_CCXT_NUMBER' }) as Error,
    );
    // A raw string of the same value wins over the float's shortest text (trailing zeros aside).
    expect(decimalFromCcxt(60010, 'price', '60010.00000000').toFixed()).toBe('60010');
  });

  it('refuses what is not a finite number', () => {
    for (const value of [undefined, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => decimalFromCcxt(value, 'filled')).toThrow(
        expect.objectContaining({ code: 'E_CCXT_NUMBER' }) as Error,
      );
    }
  });
});
