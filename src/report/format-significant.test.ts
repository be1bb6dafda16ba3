import { describe, expect, it } from 'vitest';
import { formatSignificant } from './format-significant.js';

describe('formatSignificant', () => {
  it('writes three significant digits in plain notation, whatever the magnitude', () => {
    expect(formatSignificant(1712.4)).toBe('1710');
    expect(formatSignificant(-146503.526)).toBe('-147000');
    expect(formatSignificant(2.5)).toBe('2.5');
    expect(formatSignificant(-0.042137)).toBe('-0.0421');
    expect(formatSignificant(0)).toBe('0');
    expect(formatSignificant(null)).toBe('–');
    expect(formatSignificant(undefined)).toBe('–');
    expect(formatSignificant(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
