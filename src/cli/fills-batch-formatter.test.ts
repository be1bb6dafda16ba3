import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VENUE_FEE_DECIMALS } from '../core/venue-fee.js';
import { Decimal } from '../core/money.js';
import { trimmedDecimalString } from '../engine/quantity-steps.js';
import { rawToString, roundScaled, toRaw } from '../ledger/fixed-point.js';
import { csvField } from '../report/account-result.js';
import { FillsCsvFormatter } from '../report/fills-csv.js';
import { CsvBytes } from './csv-bytes.js';
import { CODES, NUMBERS, type FillsBatch } from './fills-batch.js';
import { FillsBatchFormatter, feeRawOf, scaled } from './fills-batch-formatter.js';

/** One packed fill's fields, as `FillsBatchPacker` packs them. */
interface Fill {
  readonly tsUs: number;
  readonly decisionTsUs: number;
  readonly latencyMs: number;
  readonly slippageBps: number;
  readonly steps: number;
  readonly sequence: number;
  readonly arm: 0 | 1;
  readonly side: 0 | 1;
  readonly quantityDecimals: number;
  readonly account: string;
  readonly symbol: string;
  readonly price: Decimal;
  readonly feePerUnit: Decimal;
}

const words = (value: Decimal): number[] => [value.s, value.e, value.d.length, ...value.d];

/** A batch of `fills`, each naming its account and symbol afresh. */
function batchOf(fills: readonly Fill[]): FillsBatch {
  const numbers = new Float64Array(fills.length * NUMBERS);
  const codes = new Int32Array(fills.length * CODES);
  const decimals: number[] = [];
  const named: string[] = [];
  fills.forEach((fill, row) => {
    numbers.set(
      [fill.tsUs, fill.decisionTsUs, fill.latencyMs, fill.slippageBps, fill.steps, fill.sequence],
      row * NUMBERS,
    );
    const priceAt = decimals.length;
    decimals.push(...words(fill.price));
    const feeAt = decimals.length;
    decimals.push(...words(fill.feePerUnit));
    named.push(csvField(fill.account), csvField(fill.symbol));
    codes.set(
      [
        fill.arm,
        fill.side,
        fill.quantityDecimals,
        named.length - 2,
        named.length - 1,
        priceAt,
        feeAt,
      ],
      row * CODES,
    );
  });
  return {
    count: fills.length,
    kinds: new Uint8Array(fills.length),
    numbers,
    codes,
    named,
    decimals: Float64Array.from(decimals),
    rows: [],
  };
}

/** The row `FillsCsvFormatter.fillRow` writes for `fill`, the fee in `bigint`s as the books book it. */
function expectedRow(fill: Fill): string {
  const arm = fill.arm === 0 ? 'stable' : 'canary';
  const places = fill.feePerUnit.decimalPlaces();
  const fee = toRaw(fill.feePerUnit, places) * BigInt(fill.steps);
  return new FillsCsvFormatter().fillRow(
    fill.tsUs,
    csvField(`${arm}-${fill.sequence}`),
    csvField(fill.account),
    arm,
    csvField(fill.symbol),
    fill.side === 0 ? 'buy' : 'sell',
    trimmedDecimalString(fill.steps, fill.quantityDecimals),
    fill.price.toFixed(),
    rawToString(
      roundScaled(fee, places + fill.quantityDecimals, VENUE_FEE_DECIMALS),
      VENUE_FEE_DECIMALS,
    ),
    fill.latencyMs,
    fill.slippageBps,
    fill.decisionTsUs,
  );
}

function formatted(batch: FillsBatch, capacity?: number): string {
  const chunks: Buffer[] = [];
  const out = new CsvBytes(
    (bytes, length) => chunks.push(Buffer.from(bytes.subarray(0, length))),
    capacity,
  );
  new FillsBatchFormatter().format(batch, out);
  return Buffer.concat(chunks).toString('utf8');
}

const eventTime = fc.oneof(
  fc.integer({ min: 1_500_000_000_000_000, max: 1_900_000_000_000_000 }),
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  // Not whole, or not safe: the text path.
  fc.constant(1_723_161_600_000_000.5),
  fc.constant(2 ** 60),
);

const anyFill: fc.Arbitrary<Fill> = fc.record({
  tsUs: eventTime,
  decisionTsUs: eventTime,
  latencyMs: fc.oneof(
    fc.integer({ min: 0, max: 10_000_000 }).map((micros) => micros / 1000),
    fc.double({ noNaN: false }),
    fc.constantFrom(0, 1e-7, 0.001, 1e21, 123456789012.345),
  ),
  slippageBps: fc.oneof(fc.double(), fc.constantFrom(0, -0, 0.1 + 0.2, -1e-9, Number.NaN)),
  steps: fc.oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }),
    fc.maxSafeInteger(),
    fc.constantFrom(0, 2 ** 53 - 1, -(2 ** 53 - 1)),
  ),
  sequence: fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constant(2.5)),
  arm: fc.constantFrom(0 as const, 1 as const),
  side: fc.constantFrom(0 as const, 1 as const),
  quantityDecimals: fc.integer({ min: 0, max: 20 }),
  account: fc.oneof(fc.constantFrom('acct-0001', 'a,"quoted"', 'kōji'), fc.string()),
  symbol: fc.constantFrom('BTCUSDT', 'ETH-USD'),
  price: fc
    .tuple(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: -12, max: 6 }))
    .map(([digits, exponent]) => new Decimal(`${digits}e${exponent}`)),
  feePerUnit: fc
    .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 24 }))
    .map(([digits, places]) => new Decimal(`${digits}e-${places}`)),
});

describe('FillsBatchFormatter', () => {
  it('writes the bytes FillsCsvFormatter.fillRow writes, fast and text paths alike (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(anyFill, { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (fills, small) => {
          const batch = batchOf(fills);
          expect(formatted(batch, small ? 64 : undefined)).toBe(fills.map(expectedRow).join(''));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('writes a venue fill of the bench kind (the fast path) as the text path does', () => {
    const fill: Fill = {
      tsUs: 1_704_067_230_697_184,
      decisionTsUs: 1_704_067_230_487_717,
      latencyMs: 15.99,
      slippageBps: -0.03831950637864861,
      steps: 62_714,
      sequence: 804,
      arm: 0,
      side: 1,
      quantityDecimals: 8,
      account: 'acct-0908',
      symbol: 'BTCUSDT',
      price: new Decimal('59972.02'),
      feePerUnit: new Decimal('59.97202'),
    };
    expect(formatted(batchOf([fill]))).toBe(
      '2024-01-01T00:00:30.697184Z,fill,stable-804,acct-0908,stable,BTCUSDT,sell,0.00062714,59972.02,0.03761085,15.99,-0.03831950637864861,2024-01-01T00:00:30.487717Z,\n',
    );
  });

  it('rounds the fee half to even in floats exactly as in bigints, or declines (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.integer({ min: 0, max: 24 }),
        fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.maxSafeInteger()),
        fc.integer({ min: 0, max: 20 }),
        (mantissa, places, steps, quantityDecimals) => {
          const fee = scaled(new Decimal(`${mantissa}e-${places}`).toFixed(places));
          const raw = feeRawOf(fee, steps, quantityDecimals);
          const exact = roundScaled(
            fee.mantissa * BigInt(steps),
            fee.places + quantityDecimals,
            VENUE_FEE_DECIMALS,
          );
          // Declined only when a float cannot hold the product or the fee.
          if (Number.isNaN(raw))
            expect(
              !Number.isSafeInteger(fee.mantissaNum * steps) ||
                exact > BigInt(Number.MAX_SAFE_INTEGER) ||
                -exact > BigInt(Number.MAX_SAFE_INTEGER),
            ).toBe(true);
          else expect(BigInt(raw)).toBe(exact);
        },
      ),
      { numRuns: 5000 },
    );
    // Ties: 0.5 of the last place goes to the even neighbour.
    const half = scaled('0.000000005'); // 5 × 10⁻⁹
    expect(feeRawOf(half, 1, 0)).toBe(0);
    expect(feeRawOf(half, 3, 0)).toBe(2);
    expect(feeRawOf(half, -3, 0)).toBe(-2);
  });
});
