import { describe, expect, it } from 'vitest';
import { formatMoney } from './format-money.js';

describe('formatMoney', () => {
  it('groups thousands and rounds half away from zero to cents, exactly', () => {
    expect(formatMoney('16875999.42')).toBe('16,875,999.42');
    expect(formatMoney('927.7808981198207')).toBe('927.78');
    expect(formatMoney('-911.5935450389998')).toBe('-911.59');
    expect(formatMoney('1.005')).toBe('1.01'); // a float would say 1.00
    expect(formatMoney('-2.675')).toBe('-2.68');
    expect(formatMoney('123456789012345678.999')).toBe('123,456,789,012,345,679.00');
    expect(formatMoney('0')).toBe('0.00');
    expect(formatMoney('-0.004')).toBe('0.00'); // no "-0.00"
    expect(formatMoney('999.995')).toBe('1,000.00');
  });
});
