import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PendingSteps } from './pending-steps.js';

describe('PendingSteps', () => {
  it('keeps what a map per account would, through growth past its first capacity', () => {
    const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            account: fc.nat(199),
            symbol: fc.nat(symbols.length - 1),
            steps: fc.integer({ min: -1_000_000, max: 1_000_000 }),
          }),
          { maxLength: 300 },
        ),
        (changes) => {
          const pending = new PendingSteps();
          const rows: number[] = [];
          const reference = new Map<number, Map<string, number>>();
          for (const { account, symbol, steps } of changes) {
            while (rows.length <= account) rows.push(pending.newRow());
            const name = symbols[symbol]!;
            pending.add(rows[account]!, name, steps);
            const books = reference.get(account) ?? new Map<string, number>();
            books.set(name, (books.get(name) ?? 0) + steps);
            reference.set(account, books);
          }
          for (let account = 0; account < rows.length; account++) {
            const books = reference.get(account);
            for (const name of symbols) {
              expect(pending.get(rows[account]!, name)).toBe(books?.get(name) ?? 0);
            }
            const any = [...(books?.values() ?? [])].some((steps) => steps !== 0);
            expect(pending.any(rows[account]!)).toBe(any);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads 0 for a symbol nothing was ever sent in', () => {
    const pending = new PendingSteps();
    const row = pending.newRow();
    expect(pending.get(row, 'BTCUSDT')).toBe(0);
    expect(pending.any(row)).toBe(false);
  });
});
