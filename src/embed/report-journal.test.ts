import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Arm } from '../core/arm.js';
import type { BotReport } from './bot-report.js';
import type { Canary } from './create-canary.js';
import { ACCOUNTS, T0_MS, testCanary, trade } from './test-support/bot-driver.js';

function statePaths() {
  const dir = mkdtempSync(join(tmpdir(), 'canary-journal-'));
  return {
    statePath: join(dir, 'state.json'),
    auditPath: join(dir, 'audit.jsonl'),
    journalPath: join(dir, 'reports.jsonl'),
  };
}

/** One sender's reports, each with its idempotency key (as a fleet agent's are). */
interface Keyed {
  readonly key: string;
  readonly report: BotReport;
}

/**
 * A bot on a moving market: every 10 s each account sends an order and (20 ms later) its fill at a
 * price that moves, so positions carry unrealized P&L across membership changes. Returns the
 * reports in the order they were sent; the canary's decisions follow the market events.
 */
function trading(canaries: readonly Canary[], fromMs: number, steps: number, seq = { n: 0 }) {
  const sent: Keyed[] = [];
  for (let i = 0; i < steps; i++) {
    const nowMs = fromMs + i * 10_000;
    const price = 60_000 + 37 * ((i * 7) % 11) - 150;
    for (const canary of canaries) canary.onMarketEvent(trade(nowMs, price));
    for (const account of ACCOUNTS) {
      const arm = canaries[0]!.route(account.id);
      const orderId = `o-${++seq.n}`;
      const order = {
        type: 'order',
        orderId,
        accountId: account.id,
        arm,
        symbol: 'BTCUSDT',
        side: (i + account.id.length) % 3 === 0 ? 'sell' : 'buy',
        quantity: '0.0013',
        decisionTsMs: nowMs,
      } as const;
      const fill = {
        ...order,
        type: 'fill',
        fillId: `f-${orderId}`,
        price: String(price + (arm === 'canary' ? 3 : 1)),
        fee: '0.0781',
        tsMs: nowMs + 20,
        latencyMs: 20,
        slippageBps: 0.2,
      } as const;
      sent.push({ key: `k-${orderId}`, report: order }, { key: `k-${fill.fillId}`, report: fill });
    }
    for (const { key, report } of sent.slice(-2 * ACCOUNTS.length)) {
      for (const canary of canaries)
        expect(canary.record(report, { key })).toMatchObject({ accepted: true });
    }
  }
  return sent;
}

describe('the report journal: a restarted canary keeps what the last process accepted', () => {
  it('books, open orders, duplicate keys and recent moves survive a crash; nothing acknowledged is refused', () => {
    const paths = statePaths();
    const crashed = testCanary({ ...paths, lateReportMs: 60_000 });
    const reference = testCanary({ lateReportMs: 60_000 }); // the same reports, never restarted
    const both = [crashed, reference];
    const routesBefore = new Map<string, Arm>();
    // Trade until the rollout moves from 5 % to a wider step (accounts change arm mid-run).
    const seq = { n: 0 };
    let t = T0_MS;
    let weight = 0;
    for (; t < T0_MS + 20 * 60_000; t += 10_000) {
      for (const a of ACCOUNTS) routesBefore.set(a.id, crashed.route(a.id));
      trading(both, t, 1, seq);
      weight = crashed.state.weightPct;
      if (weight > 5) break;
    }
    expect(weight).toBeGreaterThan(5);
    expect(reference.state.weightPct).toBe(weight);
    const moved = ACCOUNTS.find((a) => routesBefore.get(a.id) !== crashed.route(a.id))!.id;

    // Reports the dead process acknowledged: an order still open, and an order it took just
    // before the last membership change... made on the arm the account then had.
    const nowMs = crashed.clock.nowMs;
    const open = {
      type: 'order',
      orderId: 'open-1',
      accountId: ACCOUNTS[0]!.id,
      arm: crashed.route(ACCOUNTS[0]!.id),
      symbol: 'BTCUSDT',
      side: 'buy',
      quantity: '0.5',
      decisionTsMs: nowMs,
    } as const;
    for (const canary of both)
      expect(canary.record(open, { key: 'k-open-1' })).toEqual({ accepted: true });
    const recordedBefore = crashed.recorded;
    // The process dies here (no close): a new one opens the same state directory.
    const restarted = testCanary({ ...paths, lateReportMs: 60_000 });
    expect(restarted.recorded).toEqual(recordedBefore);
    // It routes at the saved weight before it hears anything: the first report after the restart
    // may be an order on the canary.
    for (const a of ACCOUNTS) expect(restarted.route(a.id)).toBe(crashed.route(a.id));
    const onCanary = ACCOUNTS.find((a) => crashed.route(a.id) === 'canary')!.id;
    const first = { ...open, orderId: 'first-1', accountId: onCanary, arm: 'canary' } as const;
    for (const canary of [restarted, reference])
      expect(canary.record(first, { key: 'k-first-1' })).toEqual({ accepted: true });

    // The agent sends again what it had no answer for (the open order), then carries on: the fill
    // of the open order, and an order decided before the move on the arm the account left.
    expect(restarted.record(open, { key: 'k-open-1' })).toEqual({ accepted: true, repeated: true });
    const fill = {
      ...open,
      type: 'fill',
      fillId: 'f-open-1',
      price: '60123.45',
      fee: '0.31',
      tsMs: nowMs + 50,
      latencyMs: 50,
      slippageBps: 1,
    } as const;
    const late = {
      type: 'order',
      orderId: 'late-1',
      accountId: moved,
      arm: routesBefore.get(moved)!,
      symbol: 'BTCUSDT',
      side: 'sell',
      quantity: '0.2',
      decisionTsMs: nowMs - 5_000,
    } as const;
    for (const canary of [restarted, reference]) {
      expect(canary.record(fill, { key: 'k-f-open-1' })).toEqual({ accepted: true });
      expect(canary.record(late, { key: 'k-late-1' })).toEqual({ accepted: true });
      canary.onMarketEvent(trade(nowMs + 60, 60_050));
    }
    expect(restarted.rejections).toMatchObject({ UNKNOWN_ORDER: 0, WRONG_ARM: 0, MISMATCH: 0 });
    expect(restarted.recorded).toEqual(reference.recorded);
    for (const arm of ['stable', 'canary'] as const) {
      expect(restarted.totals(arm)).toEqual(reference.totals(arm));
    }
    // A duplicate fill id is still a duplicate after the restart.
    expect(restarted.record({ ...fill, orderId: 'x' })).toMatchObject({ accepted: false });
    restarted.close();
    reference.close();
    crashed.close();
  });

  it('values open positions after a restart at the last marks, not at those of the last weight change', () => {
    for (const crash of [true, false]) {
      const paths = statePaths();
      const first = testCanary(paths);
      trading([first], T0_MS, 3); // positions open, accounts moved at the first step's marks
      first.onMarketEvent(trade(T0_MS + 60_000, 54_000)); // the market falls 10 %
      first.onMarketEvent(trade(T0_MS + 60_500, 53_000)); // and again, within the same second
      const before = (['stable', 'canary'] as const).map((arm) => first.totals(arm));
      expect(before[0]!.unrealizedPnl).not.toBe('0');
      if (!crash) first.close();
      const second = testCanary(paths);
      const after = (['stable', 'canary'] as const).map((arm) => second.totals(arm));
      // Crashed, the marks are the last ones journaled (once per sample interval): 54,000.
      const expected = crash
        ? (['stable', 'canary'] as const).map((arm) => {
            const reference = testCanary(); // the same reports, never restarted
            trading([reference], T0_MS, 3);
            reference.onMarketEvent(trade(T0_MS + 60_000, 54_000));
            return reference.totals(arm);
          })
        : before;
      expect(after).toEqual(expected);
      second.close();
    }
  });

  it('cuts off a line torn by a crash (its report was never acknowledged) and refuses another configuration', () => {
    const paths = statePaths();
    const first = testCanary(paths);
    trading([first], T0_MS, 2);
    first.close();
    const lines = readFileSync(paths.journalPath, 'utf8').trimEnd().split('\n');
    appendFileSync(paths.journalPath, '{"k":"fill","orderId":"o-');
    const second = testCanary(paths);
    expect(second.recorded).toEqual(first.recorded);
    second.close();
    expect(readFileSync(paths.journalPath, 'utf8').trimEnd().split('\n')).toEqual(lines);

    writeFileSync(
      paths.journalPath,
      lines
        .map((l, i) => (i === 0 ? l.replace(/"configHash":"./u, '"configHash":"#') : l))
        .join('\n') + '\n',
    );
    expect(() =>
      testCanary({
        ...paths,
        statePath: `${paths.statePath}.other`,
        auditPath: `${paths.auditPath}.other`,
      }),
    ).toThrow(/E?reports\.jsonl:1: written for another configuration/u);
  });

  it('needs the state and audit paths: the books it rebuilds belong to a persisted rollout', () => {
    expect(() => testCanary({ journalPath: join(tmpdir(), 'never.jsonl') })).toThrow(
      /journalPath needs statePath/u,
    );
  });

  it('refuses a report under a key journaled for another one (MISMATCH), rather than call it repeated and drop it', () => {
    const paths = statePaths();
    const first = testCanary(paths);
    first.clock.advance(T0_MS);
    const accountId = ACCOUNTS[0]!.id;
    const order = (orderId: string) =>
      ({
        type: 'order',
        orderId,
        accountId,
        arm: first.route(accountId),
        symbol: 'BTCUSDT',
        side: 'buy',
        quantity: '0.5',
        decisionTsMs: T0_MS,
      }) as const;
    expect(first.record(order('o-1'), { key: 'agent-7:1' })).toEqual({ accepted: true });
    first.close();
    // A sender whose key sequence started again (its outbox lost) reuses the key for a new order.
    const restarted = testCanary(paths);
    expect(restarted.record(order('o-1'), { key: 'agent-7:1' })).toEqual({
      accepted: true,
      repeated: true,
    });
    expect(restarted.record(order('o-2'), { key: 'agent-7:1' })).toMatchObject({
      accepted: false,
      rejection: {
        code: 'MISMATCH',
        message: expect.stringContaining('key agent-7:1 was journaled for order o-1') as string,
      },
    });
    expect(restarted.recorded.stable.orders + restarted.recorded.canary.orders).toBe(1);
    expect(restarted.record(order('o-2'), { key: 'agent-7:2' })).toEqual({ accepted: true });
    restarted.close();
  });
});
