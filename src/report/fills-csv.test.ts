import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FillReport } from '../core/execution-report.js';
import { Decimal } from '../core/money.js';
import { usToIso } from '../core/time.js';
import { FILLS_CSV_HEADER, FillsCsvFormatter } from './fills-csv.js';

const T0 = 1_723_161_254_000_000;

function fill(tsUs: number, decisionTsUs: number, price: Decimal): FillReport {
  return {
    type: 'fill',
    orderId: 'canary-7',
    accountId: 'acct,1',
    arm: 'canary',
    symbol: 'BTCUSDT',
    side: 'sell',
    quantity: new Decimal('0.01230000'),
    decisionTsUs,
    tsUs,
    price,
    fee: new Decimal('0.0492'),
    latencyMs: 12.5,
    slippageBps: -0.25,
  };
}

describe('FillsCsvFormatter', () => {
  it('writes a fill as one row of the header, exact decimals as toFixed() gives them', () => {
    const row = new FillsCsvFormatter().row(fill(T0 + 1_500, T0 - 12_000, new Decimal('40000.10')));
    // One comma more than the header: the quoted account id's.
    expect(row.split(',')).toHaveLength(FILLS_CSV_HEADER.split(',').length + 1);
    expect(row).toBe(
      '2024-08-08T23:54:14.001500Z,fill,canary-7,"acct,1",canary,BTCUSDT,sell,0.0123,40000.1,0.0492,12.5,-0.25,2024-08-08T23:54:13.988000Z,\n',
    );
  });

  it("writes every time as usToIso does, whatever the order of the rows' seconds (fast-check)", () => {
    const formatter = new FillsCsvFormatter();
    const price = new Decimal('100');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 0, max: 5_000_000 }),
        (fillOffset, decisionOffset) => {
          const tsUs = T0 + fillOffset;
          const decisionTsUs = T0 + decisionOffset;
          const fields = formatter.row(fill(tsUs, decisionTsUs, price)).split(',');
          expect(fields[0]).toBe(usToIso(tsUs));
          expect(fields[13]).toBe(usToIso(decisionTsUs)); // after "acct,1"
        },
      ),
      { numRuns: 3000 },
    );
  });
});
