import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputError } from '../core/errors.js';
import { HELPER_THREAD_NICENESS } from '../core/lower-thread-priority.js';
import { threadNiceValues } from '../core/test-support/thread-nice-values.js';
import type { ExecutionReport, FillReport, RejectReport } from '../core/execution-report.js';
import { Decimal } from '../core/money.js';
import { EngineOrder } from '../engine/engine-order.js';
import { SimulatedFill } from '../execution/index.js';
import { decimalText, FILLS_BATCH_ROWS } from './fills-batch.js';
import { FillsJournal } from './fills-journal.js';
import { csvField } from '../report/account-result.js';
import { FILLS_CSV_HEADER, FillsCsvFormatter } from '../report/fills-csv.js';
import { FillsThread } from './fills-thread.js';
import { ThreadedFillsJournal } from './threaded-fills-journal.js';

const root = mkdtempSync(join(tmpdir(), 'sc-fills-thread-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => {
  const dir = join(root, String(dirs++));
  mkdirSync(dir);
  return dir;
};

/** A decimal with up to 40 significant digits, its point anywhere from 10⁻³⁰ to 10³⁰, any sign. */
const anyDecimal = fc
  .tuple(
    fc.bigInt({ min: -(10n ** 40n) + 1n, max: 10n ** 40n - 1n }),
    fc.integer({ min: -30, max: 30 }),
  )
  .map(([digits, exponent]) => new Decimal(`${digits}e${exponent}`));

/** The words `FillsBatchPacker` copies of a decimal. */
const wordsOf = (value: Decimal): Float64Array =>
  Float64Array.from([value.s, value.e, value.d.length, ...value.d]);

const fillOf = (
  sequence: number,
  account: string,
  symbol: string,
  steps: number,
  decimals: number,
  price: Decimal,
  feePerUnit: Decimal,
  tsUs: number,
): SimulatedFill => {
  const side = sequence % 2 === 0 ? 'buy' : 'sell';
  const arm = sequence % 3 === 0 ? 'canary' : 'stable';
  const order = new EngineOrder(
    sequence,
    { arm, symbol, tsUs: tsUs - 1500, price: 100, decimals },
    side,
    steps,
    { account: { id: account } },
    0,
  );
  return new SimulatedFill(order, tsUs, price, feePerUnit, 1.5, (sequence % 7) / 3);
};

const rejectOf = (sequence: number, tsUs: number): RejectReport => ({
  type: 'reject',
  orderId: `stable-${sequence}`,
  accountId: 'a,"quoted"',
  arm: 'stable',
  symbol: 'BTCUSDT',
  side: 'buy',
  quantity: new Decimal('0.001'),
  decisionTsUs: tsUs - 10,
  tsUs,
  reason: 'INSUFFICIENT_BUYING_POWER',
  message: 'account a cannot take it, "really"',
});

/** A bot's fill: not this engine's order, so it is formatted on the engine's thread. */
const botFillOf = (tsUs: number): FillReport => ({
  type: 'fill',
  orderId: 'bot-1',
  accountId: 'bot',
  arm: 'canary',
  symbol: 'ETHUSDT',
  side: 'sell',
  quantity: new Decimal('0.5'),
  decisionTsUs: tsUs - 3,
  tsUs,
  price: new Decimal('2500.25'),
  fee: new Decimal('0.00125'),
  latencyMs: 0.003,
  slippageBps: -0.5,
});

/** Wide enough for any product of the test's values, exactly. */
const Exact = Decimal.clone({ precision: 200 });

/**
 * fills.csv for `reports` and the two marks of {@link written}, by `FillsCsvFormatter.row` from
 * the reports themselves: the reference for what the journals pack and format. A venue fill's fee
 * is the booked one: the exact `feePerUnit × quantity` rounded half to even to 10⁻⁸ (the fill's
 * own past 24 places of fee per unit, as the books take it).
 */
function referenceText(reports: readonly ExecutionReport[]): string {
  const format = new FillsCsvFormatter();
  const rows = reports.map((report) => {
    if (!(report instanceof SimulatedFill) || report.feePerUnit.decimalPlaces() > 24)
      return format.row(report);
    const fee = new Exact(report.feePerUnit.toFixed())
      .times(report.quantity.toFixed())
      .toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN)
      .toFixed();
    return format.fillRow(
      report.tsUs,
      csvField(report.orderId),
      csvField(report.accountId),
      report.arm,
      csvField(report.symbol),
      report.side,
      report.quantity.toFixed(),
      report.price.toFixed(),
      fee,
      report.latencyMs,
      report.slippageBps,
      report.decisionTsUs,
    );
  });
  const lastTsUs = 1_723_161_600_123_456;
  return [
    FILLS_CSV_HEADER,
    ...rows,
    format.markRow(lastTsUs, 'BTCUSDT', new Decimal('61234.5')),
    format.markRow(lastTsUs, 'ETHUSDT', new Decimal('2500.1')),
  ].join('');
}

/** Writes `reports` and two marks through a journal; the file's text. */
async function written(
  journal: FillsJournal | ThreadedFillsJournal,
  dir: string,
  reports: readonly ExecutionReport[],
): Promise<string> {
  for (const report of reports) journal.add(report);
  const name = await journal.finish(
    [
      ['BTCUSDT', new Decimal('61234.5')],
      ['ETHUSDT', new Decimal('2500.1')],
    ],
    1_723_161_600_123_456,
  );
  return readFileSync(join(dir, name), 'utf8');
}

describe('decimalText', () => {
  it('writes what Decimal.toFixed() writes, from the words alone (fast-check)', () => {
    fc.assert(
      fc.property(anyDecimal, (value) => {
        expect(decimalText(wordsOf(value), 0)).toBe(value.toFixed());
      }),
      { numRuns: 2000 },
    );
    for (const text of ['0', '1', '10000000', '0.00000001', '-1234567.89', '1e-30', '1.5e25'])
      expect(decimalText(wordsOf(new Decimal(text)), 0)).toBe(new Decimal(text).toFixed());
  });
});

describe('ThreadedFillsJournal', () => {
  it('writes the bytes the in-thread journal writes, over several batches, as the reports say (fast-check)', async () => {
    const sample = fc.sample(
      fc.array(
        fc.record({
          kind: fc.constantFrom('fill', 'fill', 'fill', 'reject', 'bot'),
          account: fc.constantFrom('a1', 'a2', 'acc,3', 'a"4'),
          symbol: fc.constantFrom('BTCUSDT', 'ETHUSDT'),
          steps: fc.integer({ min: 1, max: 2 ** 40 }),
          decimals: fc.integer({ min: 0, max: 12 }),
          price: anyDecimal.filter((d) => d.gt(0)),
          // Some fees per unit past the books' 24 places: their fee comes from decimal.js.
          feePerUnit: fc.oneof(
            anyDecimal.map((d) => d.abs().dividedBy(1e6).toDecimalPlaces(24)),
            fc.constant(new Decimal('1e-30')),
          ),
          sameEvent: fc.boolean(),
        }),
        { minLength: 3 * FILLS_BATCH_ROWS, maxLength: 3 * FILLS_BATCH_ROWS + 500 },
      ),
      { numRuns: 2, seed: 12 },
    );
    for (const rows of sample) {
      const reports: ExecutionReport[] = [];
      let tsUs = 1_723_161_600_000_000;
      let price = new Decimal(1);
      let feePerUnit = new Decimal(0);
      for (const [i, row] of rows.entries()) {
        // The fills of one event share their price and fee per unit, as the venue's do.
        if (!row.sameEvent || i === 0) {
          tsUs += 250_001;
          price = row.price;
          feePerUnit = row.feePerUnit;
        }
        if (row.kind === 'reject') reports.push(rejectOf(i, tsUs));
        else if (row.kind === 'bot') reports.push(botFillOf(tsUs));
        else
          reports.push(
            fillOf(i, row.account, row.symbol, row.steps, row.decimals, price, feePerUnit, tsUs),
          );
      }
      const inThread = freshDir();
      const threaded = freshDir();
      const expected = await written(new FillsJournal(inThread), inThread, reports);
      const actual = await written(new ThreadedFillsJournal(threaded), threaded, reports);
      expect(actual.split('\n').length).toBe(reports.length + 4);
      expect(actual).toBe(expected);
      expect(expected).toBe(referenceText(reports));
    }
  });

  it("writes each lane's file as an in-thread journal would, several journals on one thread", async () => {
    // Three lanes' reports, added in turns as one replay's lanes add them; the second run fails
    // half-way and is discarded while the others go on.
    const lanes = [0, 1, 2].map((lane) =>
      Array.from({ length: 2 * FILLS_BATCH_ROWS + 300 + lane * 77 }, (_, i) => {
        const tsUs = 1_723_161_600_000_000 + i * 1000;
        if (i % 97 === 0) return rejectOf(i, tsUs);
        const price = new Decimal(`${61_000 + lane}.${(i % 100).toString().padStart(2, '0')}`);
        return fillOf(
          i,
          `a${(i + lane) % 7}`,
          i % 3 === 0 ? 'ETHUSDT' : 'BTCUSDT',
          1 + (i % 1000),
          8,
          price,
          price.times('0.001'),
          tsUs,
        );
      }),
    );
    const thread = new FillsThread();
    const dirs = lanes.map(() => freshDir());
    const journals = dirs.map((dir) => new ThreadedFillsJournal(dir, thread));
    const longest = Math.max(...lanes.map((reports) => reports.length));
    for (let i = 0; i < longest; i++) {
      for (const [lane, reports] of lanes.entries()) {
        if (lane === 1 && i === FILLS_BATCH_ROWS + 10) await journals[1]!.discard();
        const report = reports[i];
        if (report !== undefined) journals[lane]!.add(report);
      }
    }
    const marks = [['BTCUSDT', new Decimal('61234.5')]] as const;
    for (const lane of [0, 2]) {
      const name = await journals[lane]!.finish(marks, 1_723_161_700_000_000);
      // The thread, serving the third file yet, gives way to the engine's (lower-thread-priority.ts).
      if (lane === 0 && process.platform === 'linux') {
        expect(threadNiceValues()).toContain(Math.min(19, getPriority() + HELPER_THREAD_NICENESS));
      }
      const expectedDir = freshDir();
      const expected = new FillsJournal(expectedDir);
      for (const report of lanes[lane]!) expected.add(report);
      await expected.finish(marks, 1_723_161_700_000_000);
      expect(readFileSync(join(dirs[lane]!, name), 'utf8')).toBe(
        readFileSync(join(expectedDir, 'fills.csv'), 'utf8'),
      );
    }
    await expect(journals[1]!.finish(marks, 0)).rejects.toThrow(OutputError);
    expect(readFileSync(join(dirs[1]!, 'fills.csv'), 'utf8')).toBe('');
  });

  it('fails at once, as the in-thread journal does, when the directory cannot take the file', () => {
    const missing = join(root, 'no-such-dir');
    expect(() => new ThreadedFillsJournal(missing)).toThrow(OutputError);
    expect(() => new FillsJournal(missing)).toThrow(OutputError);
  });

  // A full disk, for real: fills.csv is a link to /dev/full, where every write fails (ENOSPC).
  it.skipIf(!existsSync('/dev/full'))(
    'reports a write that fails on its thread as the in-thread journal does (a full disk)',
    async () => {
      const reasons: string[] = [];
      for (const journal of [
        (dir: string) => new ThreadedFillsJournal(dir),
        (dir: string) => new FillsJournal(dir),
      ]) {
        const dir = freshDir();
        symlinkSync('/dev/full', join(dir, 'fills.csv'));
        const sink = journal(dir);
        for (let i = 0; i < 3 * FILLS_BATCH_ROWS; i++)
          sink.add(rejectOf(i, 1_723_161_600_000_000 + i));
        const error: unknown = await sink.finish([], 0).then(
          () => null,
          (failure: unknown) => failure,
        );
        expect(error).toBeInstanceOf(OutputError);
        expect(error).toMatchObject({ code: 'E_OUTPUT', path: join(dir, 'fills.csv') });
        reasons.push((error as OutputError).reason);
      }
      expect(reasons[0]).toMatch(/ENOSPC|no space/i);
      expect(reasons[0]).toBe(reasons[1]);
    },
  );

  it.skipIf(!existsSync('/dev/full'))(
    'fails only the journal whose disk is full, of two sharing one thread',
    async () => {
      const thread = new FillsThread();
      const fullDir = freshDir();
      symlinkSync('/dev/full', join(fullDir, 'fills.csv'));
      const full = new ThreadedFillsJournal(fullDir, thread);
      const soundDir = freshDir();
      const sound = new ThreadedFillsJournal(soundDir, thread);
      const inThreadDir = freshDir();
      const inThread = new FillsJournal(inThreadDir);
      for (let i = 0; i < 3 * FILLS_BATCH_ROWS; i++) {
        const report = rejectOf(i, 1_723_161_600_000_000 + i);
        full.add(report);
        sound.add(report);
        inThread.add(report);
      }
      await expect(full.finish([], 0)).rejects.toMatchObject({
        code: 'E_OUTPUT',
        path: join(fullDir, 'fills.csv'),
        reason: expect.stringMatching(/ENOSPC|no space/i) as unknown,
      });
      const name = await sound.finish([], 0);
      await inThread.finish([], 0);
      expect(readFileSync(join(soundDir, name), 'utf8')).toBe(
        readFileSync(join(inThreadDir, 'fills.csv'), 'utf8'),
      );
    },
  );

  it.each([
    ['in a thread of its own', (dir: string) => new ThreadedFillsJournal(dir)],
    ['in the thread', (dir: string) => new FillsJournal(dir)],
  ])(
    'writes nothing more once a run is discarded, and cannot finish it (%s)',
    async (_where, open) => {
      const dir = freshDir();
      const journal = open(dir);
      // Two batches' worth: sent to the writing thread (and formatted) before the discard.
      for (let i = 0; i < 2 * FILLS_BATCH_ROWS; i++)
        journal.add(rejectOf(i, 1_723_161_600_000_000 + i));
      await journal.discard();
      for (let i = 0; i < 2 * FILLS_BATCH_ROWS; i++)
        journal.add(rejectOf(i, 1_723_161_700_000_000 + i));
      await expect(journal.finish([], 0)).rejects.toThrow(OutputError);
      // The rows buffered go with the run: the file was closed with nothing written.
      expect(readFileSync(join(dir, 'fills.csv'), 'utf8')).toBe('');
    },
  );
});
