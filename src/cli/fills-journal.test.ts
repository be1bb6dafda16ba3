import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Decimal } from '../core/money.js';
import { EngineOrder, type OrderSlot } from '../engine/engine-order.js';
import { SimulatedFill } from '../execution/index.js';
import { Ledger } from '../ledger/index.js';
import { FILLS_BATCH_ROWS } from './fills-batch.js';
import { FillsJournal } from './fills-journal.js';

const root = mkdtempSync(join(tmpdir(), 'sc-fills-journal-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

/** Wide enough for any product of the test's values, exactly. */
const Exact = Decimal.clone({ precision: 200 });

function fill(steps: number, decimals: number, feePerUnit: Decimal): SimulatedFill {
  const order = new EngineOrder<OrderSlot>(
    1,
    { arm: 'canary', symbol: 'BTCUSDT', tsUs: 0, price: 100, decimals },
    'buy',
    steps,
    { account: { id: 'a1' } },
    0,
  );
  return new SimulatedFill(order, 1, new Decimal('100'), feePerUnit, 1, 0);
}

/** The fee the books book for `report`: one account, one fill, as the engine passes it. */
function bookedFee(report: SimulatedFill): string {
  const ledger = new Ledger([
    { account: { id: 'a1', capital: new Decimal('1e9') }, arm: 'canary' },
  ]);
  const engineOrder = report.order as EngineOrder<OrderSlot>;
  ledger.applyFill(report, ledger.account('a1'), engineOrder, report.feePerUnit);
  return ledger.accountSnapshot('a1').fees.toFixed();
}

/** The quantity and fee columns fills.csv gets for `reports`, through one journal. */
async function quantityAndFee(
  reports: readonly SimulatedFill[],
): Promise<{ quantity: string; fee: string }[]> {
  const dir = join(root, String(dirs++));
  mkdirSync(dir);
  const journal = new FillsJournal(dir);
  for (const report of reports) journal.add(report);
  const name = await journal.finish([], 0);
  const lines = readFileSync(join(dir, name), 'utf8').trimEnd().split('\n').slice(1);
  return lines.map((line) => {
    const fields = line.split(',');
    return { quantity: fields[7]!, fee: fields[9]! };
  });
}

/** A decimal with up to `places` places and up to 40 significant digits, ≥ 0. */
const decimal = (places: number) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 40n - 1n }), fc.integer({ min: 0, max: places }))
    .map(([digits, scale]) => new Decimal(digits.toString()).dividedBy(new Decimal(10).pow(scale)));

describe('FillsJournal', () => {
  it("writes a venue fill's quantity as toFixed() does and its fee as the books book it (fast-check)", async () => {
    const cases = fc.sample(
      fc.tuple(
        fc.integer({ min: 1, max: 2 ** 53 - 1 }),
        fc.integer({ min: 0, max: 18 }),
        decimal(24),
      ),
      { numRuns: 1000, seed: 7 },
    );
    const reports = cases.map(([steps, decimals, feePerUnit]) => fill(steps, decimals, feePerUnit));
    const rows = await quantityAndFee(reports);
    expect(rows).toHaveLength(reports.length);
    for (const [i, report] of reports.entries()) {
      const { quantity, fee } = rows[i]!;
      expect(quantity).toBe(report.quantity.toFixed());
      // The exact product, rounded half-even once to the venue's 8 places.
      expect(fee).toBe(
        new Exact(report.feePerUnit.toFixed())
          .times(report.quantity.toFixed())
          .toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN)
          .toFixed(),
      );
      expect(fee).toBe(bookedFee(report));
    }
  });

  it('rounds the exact fee, not a 40-digit product that lands on a tie (decimal.js would)', async () => {
    // 2200000000000000000000.000000010000000001 × 0.5 = 1100000000000000000000.0000000050000000005
    // (41 digits): past half of 10⁻⁸, so up. A 40-digit product drops the last 5 and leaves an
    // exact tie, which half-even takes down.
    const feePerUnit = new Decimal('2200000000000000000000.000000010000000001');
    const report = fill(5, 1, feePerUnit);
    const naive = feePerUnit.times('0.5').toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed();
    expect(naive).toBe('1100000000000000000000');
    const [row] = await quantityAndFee([report]);
    expect(row!.fee).toBe('1100000000000000000000.00000001');
    expect(row!.fee).toBe(bookedFee(report));
  });

  it("writes each fill's own price across batches packed into the same buffers", async () => {
    // One event's fills fill a whole batch at one price (one Decimal, as the venue shares it);
    // the next batch starts at another, packed at the same place of the same (reused) buffer.
    const feePerUnit = new Decimal('0.05');
    const fillAt = (price: Decimal): SimulatedFill =>
      new SimulatedFill(fill(7, 2, feePerUnit).order, 1, price, feePerUnit, 1, 0);
    const [a, b, c] = ['100.5', '99.25', '101'].map((text) => new Decimal(text));
    const reports = [
      ...Array.from({ length: FILLS_BATCH_ROWS }, () => fillAt(a!)),
      ...Array.from({ length: FILLS_BATCH_ROWS + 5 }, () => fillAt(b!)),
      ...Array.from({ length: 3 }, () => fillAt(c!)),
    ];
    const dir = join(root, String(dirs++));
    mkdirSync(dir);
    const journal = new FillsJournal(dir);
    for (const report of reports) journal.add(report);
    const name = await journal.finish([], 0);
    const prices = readFileSync(join(dir, name), 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[8]);
    expect(prices).toEqual(reports.map((report) => report.price.toFixed()));
  });

  it('takes a fee per unit past 24 places from the fill itself, as the books do', async () => {
    const fine = new Decimal('0.0000000000000000000000001'); // 25 places
    const report = fill(5, 2, fine);
    const [row] = await quantityAndFee([report]);
    expect(row).toEqual({ quantity: '0.05', fee: report.fee.toFixed() });
    expect(row!.fee).toBe(bookedFee(report));
  });
});
