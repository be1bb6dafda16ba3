import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { cli, readReport, SAMPLES, tempDir } from './cli-harness.js';
import { replayRollingBack } from './rollback-replay.js';

/**
 * A risk team's reconciliation, written apart from the ledger: docs/accounting.md's rules in a
 * few lines of decimal.js, fed only by fills.csv, must give accounts.csv exactly.
 */
const Exact = Decimal.clone({ precision: 100, rounding: Decimal.ROUND_HALF_EVEN });
type Exact = InstanceType<typeof Exact>;

interface Position {
  q: Exact;
  avg: Exact;
  /** The account's tick in the symbol: the most decimals of its fill prices so far. */
  tick: number;
}

interface Books {
  readonly positions: Map<string, Position>;
  realized: Exact;
  fees: Exact;
}

/** Splits one CSV line (fields here hold no quotes, except a reject's reason, which is last). */
function fieldsOf(line: string): string[] {
  const quoted = line.indexOf('"');
  const head = quoted < 0 ? line : line.slice(0, quoted);
  const fields = head.split(',');
  if (quoted >= 0) fields[fields.length - 1] = line.slice(quoted + 1, -1).replaceAll('""', '"');
  return fields;
}

/** Adds whose average cost was rounded (a residual booked to realized P&L), over every reconcile. */
let addsWithResidual = 0;

function reconcile(fillsCsv: string): {
  books: Map<string, Books>;
  marks: Map<string, Exact>;
} {
  const books = new Map<string, Books>();
  const marks = new Map<string, Exact>();
  const [header, ...rows] = fillsCsv.trimEnd().split('\n');
  const column = Object.fromEntries(header!.split(',').map((name, i) => [name, i]));
  for (const row of rows) {
    const f = fieldsOf(row);
    const get = (name: string): string => f[column[name]!]!;
    if (get('type') === 'mark') {
      marks.set(get('symbol'), new Exact(get('price')));
      continue;
    }
    const account = get('account_id');
    if (get('type') !== 'fill' || account.startsWith('paper:')) continue;
    let b = books.get(account);
    if (b === undefined) {
      b = { positions: new Map<string, Position>(), realized: new Exact(0), fees: new Exact(0) };
      books.set(account, b);
    }
    const p = new Exact(get('price'));
    const s = new Exact(get('quantity')).times(get('side') === 'buy' ? 1 : -1);
    b.fees = b.fees.plus(get('fee'));
    const pos = b.positions.get(get('symbol')) ?? { q: new Exact(0), avg: new Exact(0), tick: 0 };
    b.positions.set(get('symbol'), pos);
    pos.tick = Math.max(pos.tick, p.decimalPlaces());
    if (pos.q.isZero()) {
      pos.q = s;
      pos.avg = p;
    } else if (pos.q.isPositive() === s.isPositive()) {
      // add: the new average cost rounded to the tick, the residual booked to realized
      const paid = pos.q.times(pos.avg).plus(s.times(p));
      const q = pos.q.plus(s);
      const avg = paid.dividedBy(q).toDecimalPlaces(pos.tick, Decimal.ROUND_HALF_EVEN);
      const residual = paid.minus(q.times(avg));
      if (!residual.isZero()) addsWithResidual++;
      b.realized = b.realized.minus(residual);
      pos.q = q;
      pos.avg = avg;
    } else if (s.abs().lessThanOrEqualTo(pos.q.abs())) {
      // reduce or close
      b.realized = b.realized.plus(
        p
          .minus(pos.avg)
          .times(s.abs())
          .times(pos.q.isPositive() ? 1 : -1),
      );
      pos.q = pos.q.plus(s);
      if (pos.q.isZero()) pos.avg = new Exact(0);
    } else {
      // flip: all of q closed at p, the rest opened at p
      b.realized = b.realized.plus(p.minus(pos.avg).times(pos.q));
      pos.q = pos.q.plus(s);
      pos.avg = p;
    }
  }
  return { books, marks };
}

/**
 * Reconciles `out`'s accounts.csv from its fills.csv alone, field for field; returns how many
 * accounts traded and how many positions were open at the end.
 */
function expectReconciled(out: string): { traded: number; open: number } {
  const { books, marks } = reconcile(readFileSync(join(out, 'fills.csv'), 'utf8'));
  expect(marks.size).toBe(1);
  const [header, ...lines] = readFileSync(join(out, 'accounts.csv'), 'utf8').trimEnd().split('\n');
  expect(header).toBe(
    'account_id,arm,override,capital,realized_pnl,unrealized_pnl,fees,pnl,equity',
  );
  let traded = 0;
  let open = 0;
  for (const line of lines) {
    const [id, , , capital, realized, unrealized, fees, pnl, equity] = line.split(',');
    const b = books.get(id!) ?? {
      positions: new Map<string, Position>(),
      realized: new Exact(0),
      fees: new Exact(0),
    };
    if (books.has(id!)) traded++;
    let u = new Exact(0);
    for (const [symbol, pos] of b.positions) {
      if (pos.q.isZero()) continue;
      open++;
      u = u.plus(marks.get(symbol)!.minus(pos.avg).times(pos.q));
    }
    const mine = {
      realized: b.realized,
      unrealized: u,
      fees: b.fees,
      pnl: b.realized.plus(u).minus(b.fees),
      equity: new Exact(capital!).plus(b.realized).plus(u).minus(b.fees),
    };
    const theirs = { realized, unrealized, fees, pnl, equity };
    for (const key of Object.keys(mine) as (keyof typeof mine)[]) {
      expect(
        mine[key].equals(theirs[key]!),
        `${id} ${key}: ${mine[key].toFixed()} vs ${theirs[key]}`,
      ).toBe(true);
    }
  }
  return { traded, open };
}

describe('fills.csv', () => {
  for (const sample of ['spot_btcusdt_20240808.gz', 'usdm_btcusdt_20240808.gz'])
    for (const policy of ['flatten', 'handoff'] as const)
      it(`recomputes every account of accounts.csv exactly: ${sample}, rollback with ${policy}`, async () => {
        const out = await replayRollingBack(join(SAMPLES, sample), policy);
        const report = readReport(out);
        expect(report.rollout?.status).toBe('rolled_back');
        const { traded, open } = expectReconciled(out);
        expect(traded).toBeGreaterThan(100);
        // Unrealized P&L is checked where positions are open at the end: on the spot sample the
        // stable strategy holds some (on the USD-M one it has closed them all by then).
        if (sample.startsWith('spot')) expect(open).toBeGreaterThan(0);
      }, 60_000);

  it('recomputes every account with adds, whose average cost is rounded to the tick', async () => {
    // Two days of spot BTCUSDT with a plan: the strategies scale into positions (an add at another
    // price, so an average cost to round and a residual to book), thousands of times.
    const out = join(tempDir('fills-'), 'run');
    const args = [
      'replay',
      join(SAMPLES, 'spot_btcusdt_20240808.gz'),
      join(SAMPLES, 'spot_btcusdt_20240809.gz'),
      '--plan',
      'short',
      '--accounts',
      '300',
      '--out',
      out,
    ];
    expect((await cli(args)).code).toBe(0);
    addsWithResidual = 0;
    const { traded } = expectReconciled(out);
    expect(traded).toBeGreaterThan(100);
    expect(addsWithResidual).toBeGreaterThan(100);
  }, 60_000);

  it("is left out with --no-fills, and a previous run's is removed with the rest of it", async () => {
    const out = join(tempDir('fills-'), 'run');
    const args = [
      'replay',
      join(SAMPLES, 'spot_btcusdt_20240808.gz'),
      '--accounts',
      '20',
      '--out',
      out,
    ];
    expect((await cli(args)).code).toBe(0);
    expect(existsSync(join(out, 'fills.csv'))).toBe(true);
    expect((await cli([...args, '--no-fills'])).code).toBe(0);
    expect(existsSync(join(out, 'fills.csv'))).toBe(false);
    expect(existsSync(join(out, 'accounts.csv'))).toBe(true);
  }, 60_000);
});
