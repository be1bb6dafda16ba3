import { describe, expect, it } from 'vitest';
import { Decimal as GlobalDecimal } from 'decimal.js';
import { Decimal, isDecimalString, moneyToString } from './money.js';

describe('Decimal (money)', () => {
  it('is exact on feed strings where floats are not', () => {
    expect(new Decimal('0.1').plus('0.2').toString()).toBe('0.3');
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(new Decimal('61837.63').times('0.00123').toString()).toBe('76.0602849');
  });

  it('carries 40 significant digits without touching the global decimal.js settings', () => {
    expect(new Decimal(1).dividedBy(3).toString()).toBe('0.' + '3'.repeat(40));
    expect(GlobalDecimal.precision).toBe(20);
  });

  it('serializes money as plain decimal strings', () => {
    expect(moneyToString(new Decimal('1e-12'))).toBe('0.000000000001');
    expect(moneyToString(new Decimal('-0'))).toBe('0');
    expect(moneyToString(new Decimal('12.50'))).toBe('12.5');
  });

  it('recognizes decimal strings as feeds write them', () => {
    for (const ok of ['61837.63000000', '0.006', '1e-8', '-3', '.5', '5.'])
      expect(isDecimalString(ok)).toBe(true);
    for (const bad of ['', 'abc', '1,5', 'NaN', 'Infinity', ' 1', '1 ', '0x10'])
      expect(isDecimalString(bad)).toBe(false);
  });
});
