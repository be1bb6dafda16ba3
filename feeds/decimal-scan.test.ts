import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, isDecimalString } from '../src/core/money.js';
import { scanDecimal, scanUnsignedInteger } from './decimal-scan.js';

const scan = (text: string, maxPlaces = Infinity): number =>
  scanDecimal(`#${text}#`, 1, text.length + 1, maxPlaces);

describe('scanDecimal', () => {
  it('accepts exactly what isDecimalString accepts, with the value Number() gives', () => {
    const alphabet = fc.constantFrom(...'0123456789.+-eE x,'.split(''));
    const candidates = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 24 }),
      fc.double({ noNaN: true }).map(String),
      fc.tuple(fc.nat(), fc.nat({ max: 20 })).map(([n, d]) => (n / 10 ** d).toFixed(d)),
      fc.bigInt({ min: 0n, max: 10n ** 30n }).map((n) => `${n}.${n}`),
    );
    fc.assert(
      fc.property(candidates, (text) => {
        const value = scan(text);
        if (isDecimalString(text)) expect(value).toBe(Number(text));
        else expect(value).toBeNaN();
      }),
      { numRuns: 5000 },
    );
  });

  it('handles the cases Number() gets wrong for us', () => {
    expect(scan('')).toBeNaN(); // Number('') is 0
    expect(scan(' 1')).toBeNaN(); // Number(' 1') is 1
    expect(scan('0x10')).toBeNaN(); // Number('0x10') is 16
    expect(scan('Infinity')).toBeNaN();
    expect(scan('1e999')).toBe(Infinity); // valid syntax; callers reject non-finite values
  });

  it('computes typical venue prices exactly as Number() does', () => {
    for (const text of [
      '61837.63000000',
      '0.00000001',
      '2683.81',
      '5.',
      '.5',
      '-0.02',
      '+3',
      '999999999999999',
    ])
      expect(scan(text)).toBe(Number(text));
  });
});

describe('scanDecimal with a limit on decimal places', () => {
  it('is NaN exactly when decimal.js counts more places than the limit (fast-check)', () => {
    const digits = (max: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: max });
    const candidates = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        digits(8),
        fc.option(digits(40)),
        fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.nat(60))),
      )
      .map(
        ([sign, whole, fraction, exponent]) =>
          `${sign}${whole || '0'}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent[0] + exponent[1] + String(exponent[2])}`,
      );
    fc.assert(
      fc.property(candidates, fc.integer({ min: 15, max: 30 }), (text, maxPlaces) => {
        const value = scan(text, maxPlaces);
        if (new Decimal(text).decimalPlaces() > maxPlaces) expect(value).toBeNaN();
        else expect(value).toBe(Number(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('counts significant places only, exponent included', () => {
    expect(scan('59959.940000000000000000000000001', 24)).toBeNaN();
    expect(scan('59959.940000000000000000000000001', 27)).toBe(59959.94);
    expect(scan('59959.940000000000000000000000000', 24)).toBe(59959.94);
    expect(scan('1e-25', 24)).toBeNaN();
    expect(scan('1500e-25', 24)).toBe(1.5e-22);
    expect(scan('0.000000000000000000000000000e-9', 24)).toBe(0);
  });
});

describe('scanUnsignedInteger', () => {
  it('reads digit strings up to 2^53 - 1 and rejects the rest', () => {
    expect(scanUnsignedInteger('1723161255342000', 0, 16)).toBe(1723161255342000);
    expect(scanUnsignedInteger('x9007199254740991', 1, 17)).toBe(Number.MAX_SAFE_INTEGER);
    expect(scanUnsignedInteger('9007199254740992', 0, 16)).toBe(-1);
    for (const bad of ['', '-1', '+1', '1.0', '1e3', ' 1', '12a'])
      expect(scanUnsignedInteger(bad, 0, bad.length)).toBe(-1);
  });
});
