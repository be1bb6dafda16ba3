import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../core/market-event.js';
import type { Canary } from './create-canary.js';
import type { RecordResult } from './report-rejection.js';
import { ACCOUNTS, T0_MS, testCanary, trade } from './test-support/bot-driver.js';

const code = (r: RecordResult) => (r.accepted ? 'accepted' : r.rejection.code);

/** An order of a stable account at `decisionTsMs`, and its fill at `tsMs`. */
function orderAndFill(canary: Canary, orderId: string, decisionTsMs: number, tsMs: number) {
  const accountId = ACCOUNTS.find((a) => canary.route(a.id) === 'stable')!.id;
  const order = {
    type: 'order',
    orderId,
    accountId,
    arm: 'stable',
    symbol: 'BTCUSDT',
    side: 'buy',
    quantity: '0.5',
    decisionTsMs,
  } as const;
  const fill = {
    ...order,
    type: 'fill',
    fillId: `f-${orderId}`,
    price: '60000',
    fee: '3',
    tsMs,
    latencyMs: 20,
    slippageBps: 0,
  } as const;
  return { order, fill };
}

describe('createCanary: event times', () => {
  it('refuses a report time in seconds or µs (INVALID), and the clock stays where it was', () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    const { order, fill } = orderAndFill(canary, 'o-1', T0_MS, T0_MS + 5);
    expect(code(canary.record({ ...order, decisionTsMs: T0_MS / 1000 }))).toBe('INVALID');
    expect(code(canary.record(order))).toBe('accepted');
    expect(canary.record({ ...fill, tsMs: (T0_MS + 5) * 1000 })).toMatchObject({
      accepted: false,
      rejection: { code: 'INVALID', message: expect.stringMatching(/^tsMs: .*µs/u) as string },
    });
    expect(canary.clock.nowMs).toBe(T0_MS);
    expect(code(canary.record(fill))).toBe('accepted'); // the right fill is not TIME_BACKWARDS
    const error = { type: 'strategy-error', arm: 'canary', tsMs: 0, message: 'x' } as const;
    expect(code(canary.record(error))).toBe('INVALID');
    expect(canary.state.status).toBe('step'); // the canary's strategy error was not booked
    expect(canary.clock.nowMs).toBe(T0_MS + 5);
  });

  it('does not start the rollout at a time in µs or at 0', () => {
    const canary = testCanary();
    const { order } = orderAndFill(canary, 'o-1', T0_MS * 1000, T0_MS * 1000);
    expect(code(canary.record(order))).toBe('INVALID');
    const error = { type: 'strategy-error', arm: 'stable', tsMs: 0, message: 'x' } as const;
    expect(code(canary.record(error))).toBe('INVALID');
    expect(canary.state.status).toBe('pending');
    canary.clock.advance(T0_MS);
    expect(canary.state).toMatchObject({ status: 'step', weightPct: 5 });
    canary.onMarketEvent(trade(T0_MS + 1000, 60_000));
    expect(canary.clock.nowMs).toBe(T0_MS + 1000);
  });

  it('throws E_USAGE for a clock or market event time in the wrong unit, and keeps its clock', () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    for (const tsMs of [T0_MS / 1000, T0_MS * 1000, 0, Number.NaN]) {
      expect(() => canary.clock.advance(tsMs), String(tsMs)).toThrow(
        expect.objectContaining({ code: 'E_USAGE' }) as Error,
      );
    }
    const inMs = { ...trade(T0_MS + 1000, 60_000), tsUs: T0_MS + 1000 };
    const fractional = { ...trade(T0_MS + 1000, 60_000), tsUs: (T0_MS + 1000) * 1000 + 0.5 };
    for (const event of [inMs, fractional]) {
      expect(() => canary.onMarketEvent(event), String(event.tsUs)).toThrow(
        expect.objectContaining({ code: 'E_USAGE' }) as Error,
      );
    }
    expect(canary.clock.nowMs).toBe(T0_MS);
    expect(canary.state.status).toBe('step');
  });

  it('refuses a fill or reject stamped before its order’s decision, beyond lateReportMs', () => {
    const strict = testCanary();
    strict.clock.advance(T0_MS);
    const { order, fill } = orderAndFill(strict, 'o-1', T0_MS + 100, T0_MS + 50);
    expect(code(strict.record(order))).toBe('accepted');
    expect(strict.record(fill)).toMatchObject({
      accepted: false,
      rejection: { code: 'INVALID', message: expect.stringContaining('decision') as string },
    });
    const reject = { ...order, type: 'reject', reason: 'VENUE', tsMs: T0_MS + 50 } as const;
    expect(code(strict.record(reject))).toBe('INVALID');
    expect(code(strict.record({ ...fill, tsMs: T0_MS + 100 }))).toBe('accepted');
    // Within lateReportMs (clocks that do not quite agree), it is booked.
    const lenient = testCanary({ lateReportMs: 1000 });
    lenient.clock.advance(T0_MS);
    expect(code(lenient.record(order))).toBe('accepted');
    expect(code(lenient.record(fill))).toBe('accepted');
  });

  it('refuses a fill stamped over an hour after its order’s decision, and the clock stays where it was', () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    // A bot that stamps fills with the wall clock and decisions with its feed's event time.
    const { order, fill } = orderAndFill(canary, 'o-1', T0_MS, T0_MS + 86_400_000);
    expect(code(canary.record(order))).toBe('accepted');
    expect(canary.record(fill)).toMatchObject({
      accepted: false,
      rejection: { code: 'INVALID', message: expect.stringContaining('an hour after') as string },
    });
    expect(canary.clock.nowMs).toBe(T0_MS);
    expect(canary.state).toMatchObject({ status: 'step', halted: false }); // no maximum passed
    expect(code(canary.record({ ...fill, tsMs: T0_MS + 3_600_000 }))).toBe('accepted');
  });
});

describe('createCanary: options', () => {
  it('refuses a mode other than auto or manual, and empty version labels, with E_USAGE', () => {
    // "Manual" applied the analysis's increases by itself and held its rollbacks for a person.
    for (const mode of ['Manual', 'MANUAL', 'none']) {
      expect(() => testCanary({ mode: mode as 'manual' }), mode).toThrow(
        expect.objectContaining({
          code: 'E_USAGE',
          message: expect.stringContaining(mode) as string,
        }) as Error,
      );
    }
    for (const label of ['', undefined, 7]) {
      expect(() => testCanary({ canary: label as string }), String(label)).toThrow(
        expect.objectContaining({
          code: 'E_USAGE',
          message: expect.stringContaining('canary') as string,
        }) as Error,
      );
    }
    expect(() => testCanary({ plan: undefined as unknown as 'standard' })).toThrow(
      expect.objectContaining({ code: 'E_PLAN' }) as Error,
    );
    expect(testCanary({ mode: 'manual' }).state.status).toBe('pending');
  });

  it('refuses a sampleIntervalMs that is not 1 to 3,600,000 ms with E_USAGE naming it', () => {
    for (const sampleIntervalMs of [0, -5, 0.0001, Number.NaN, Number.POSITIVE_INFINITY, 1e12]) {
      expect(() => testCanary({ sampleIntervalMs }), String(sampleIntervalMs)).toThrow(
        expect.objectContaining({
          code: 'E_USAGE',
          message: expect.stringContaining('sampleIntervalMs') as string,
        }) as Error,
      );
    }
    expect(testCanary({ sampleIntervalMs: 250 }).state.status).toBe('pending');
  });

  it("refuses a sampleIntervalMs that does not divide the plan's analysis interval", () => {
    // TEST_PLAN decides every 10 s: samples every 7 s (or an hour) would hold its decisions back.
    for (const sampleIntervalMs of [7000, 3_600_000])
      expect(() => testCanary({ sampleIntervalMs }), String(sampleIntervalMs)).toThrow(
        /sampleIntervalMs: equity samples every \d+ ms do not divide plan aggressive's analysis interval \(10000 ms\)/,
      );
    expect(testCanary({ sampleIntervalMs: 2000 }).state.status).toBe('pending');
  });
});

describe('createCanary: a fill sent twice', () => {
  it('is a DUPLICATE_FILL (a retry), not an UNKNOWN_ORDER, also after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-resent-'));
    const paths = {
      statePath: join(dir, 'state.json'),
      auditPath: join(dir, 'audit.jsonl'),
      journalPath: join(dir, 'reports.jsonl'),
    };
    const canary = testCanary(paths);
    canary.clock.advance(T0_MS);
    const { order, fill } = orderAndFill(canary, 'o-1', T0_MS, T0_MS + 20);
    expect(code(canary.record(order))).toBe('accepted');
    expect(code(canary.record(fill))).toBe('accepted');
    const books = canary.totals('stable');
    expect(code(canary.record(fill))).toBe('DUPLICATE_FILL');
    expect(canary.totals('stable')).toEqual(books);
    canary.close();
    const restarted = testCanary(paths);
    expect(code(restarted.record(fill))).toBe('DUPLICATE_FILL');
    restarted.close();
  });
});

describe('createCanary: after close()', () => {
  it('refuses every report, event and command with E_CLOSED, in memory and persisted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-closed-'));
    const persisted = {
      statePath: join(dir, 'state.json'),
      auditPath: join(dir, 'audit.jsonl'),
      journalPath: join(dir, 'reports.jsonl'),
    };
    for (const options of [{}, persisted]) {
      const canary = testCanary(options);
      canary.clock.advance(T0_MS);
      const { order } = orderAndFill(canary, 'o-1', T0_MS, T0_MS + 20);
      const state = canary.state;
      canary.close();
      const calls: (() => unknown)[] = [
        () => canary.record(order),
        () => canary.onMarketEvent(trade(T0_MS + 1000, 60_000)),
        () => canary.clock.advance(T0_MS + 1000),
        () => canary.halt('after close'),
        () => canary.resume(),
        () => canary.rollback('after close'),
        () => canary.approve(1),
        () => canary.reject(1, 'after close'),
      ];
      for (const call of calls) {
        expect(call, String(call)).toThrow(expect.objectContaining({ code: 'E_CLOSED' }) as Error);
      }
      expect(canary.state).toEqual(state);
      expect(canary.recorded.stable.orders).toBe(0);
      expect(canary.clock.nowMs).toBe(T0_MS);
      canary.close(); // again: nothing
    }
  });
});

describe('createCanary: persisted files', () => {
  it('creates the missing folders of statePath, auditPath and journalPath', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-folders-'));
    const paths = {
      statePath: join(dir, 'rollout', 'state.json'),
      auditPath: join(dir, 'rollout', 'logs', 'audit.jsonl'),
      journalPath: join(dir, 'journal', 'reports.jsonl'),
    };
    const canary = testCanary(paths);
    canary.clock.advance(T0_MS);
    canary.close();
    for (const path of Object.values(paths)) expect(existsSync(path), path).toBe(true);
    const resumed = testCanary(paths);
    expect(resumed.state.resumedFrom).not.toBe('new');
    resumed.close();
  });

  it('refuses one file for two of statePath, auditPath and journalPath (E_USAGE), writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-same-file-'));
    const at = (name: string) => join(dir, name);
    const clashes = [
      { statePath: at('x.json'), auditPath: at('x.json') },
      { statePath: at('s.json'), auditPath: at('a.jsonl'), journalPath: at('a.jsonl') },
      { statePath: at('s.json'), auditPath: at('a.jsonl'), journalPath: `${dir}/./s.json` },
      { statePath: at('a.jsonl.lock'), auditPath: at('a.jsonl') },
    ];
    for (const paths of clashes) {
      expect(() => testCanary(paths), JSON.stringify(paths)).toThrow(
        expect.objectContaining({
          code: 'E_USAGE',
          message: expect.stringContaining('the same file') as string,
        }) as Error,
      );
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('throws E_OUTPUT naming the path when a folder cannot be made', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-folders-'));
    writeFileSync(join(dir, 'file'), '');
    const statePath = join(dir, 'file', 'rollout', 'state.json');
    expect(() => testCanary({ statePath, auditPath: join(dir, 'audit.jsonl') })).toThrow(
      expect.objectContaining({ code: 'E_OUTPUT', path: statePath }) as Error,
    );
  });
});

describe('createCanary: decimal strings', () => {
  it('refuses one with spaces or non-ASCII digits INVALID, naming the field, instead of throwing', () => {
    const canary = testCanary();
    canary.clock.advance(T0_MS);
    let n = 0;
    for (const text of [' 100', '100 ', '1 000', '１', '\u0661']) {
      for (const field of ['quantity', 'filledQuantity', 'price', 'fee'] as const) {
        const { order, fill } = orderAndFill(canary, `o-${++n}`, T0_MS, T0_MS + 5);
        const sent = field === 'quantity' ? order : fill;
        if (field !== 'quantity') expect(code(canary.record(order))).toBe('accepted');
        expect(canary.record({ ...sent, [field]: text }), `${field} ${text}`).toMatchObject({
          accepted: false,
          rejection: { code: 'INVALID', message: expect.stringMatching(`^${field}: `) as string },
        });
      }
    }
    expect(canary.totals('stable').fees).toBe('0');
  });
});

describe('createCanary: market events', () => {
  const quote = (tsMs: number, bid: string, ask: string) => ({
    type: 'quote' as const,
    tsUs: tsMs * 1000,
    exchangeTsUs: null,
    exchange: 'binance',
    symbol: 'BTCUSDT',
    bidPrice: bid,
    bidPriceNum: Number(bid),
    bidSize: '1',
    bidSizeNum: 1,
    askPrice: ask,
    askPriceNum: Number(ask),
    askSize: '1',
    askSizeNum: 1,
  });

  it('throws E_USAGE for one the books cannot mark by, and keeps the mark and the clock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-bad-event-'));
    const paths = {
      statePath: join(dir, 'state.json'),
      auditPath: join(dir, 'audit.jsonl'),
      journalPath: join(dir, 'reports.jsonl'),
    };
    const canary = testCanary(paths);
    canary.onMarketEvent(trade(T0_MS, 60_000));
    const { order, fill } = orderAndFill(canary, 'o-1', T0_MS, T0_MS + 5);
    expect(code(canary.record(order))).toBe('accepted');
    expect(code(canary.record(fill))).toBe('accepted');
    const books = canary.totals('stable');
    const at = T0_MS + 2000;
    const { priceNum: _priceNum, ...withoutPriceNum } = trade(at, 61_000);
    const { type: _type, ...withoutType } = trade(at, 61_000);
    const bad: [string, unknown][] = [
      ['price "abc"', { ...trade(at, 61_000), price: 'abc' }],
      ['price " 61000"', { ...trade(at, 61_000), price: ' 61000' }],
      ['price -5', trade(at, -5)],
      ['price 0', trade(at, 0)],
      ['price of 25 places', { ...trade(at, 61_000), price: `61000.${'1'.repeat(25)}` }],
      ['price as a number', { ...trade(at, 61_000), price: 61_000 }],
      ['priceNum missing', withoutPriceNum],
      ['priceNum NaN', { ...trade(at, 61_000), priceNum: Number.NaN }],
      ['type missing', withoutType],
      ['symbol empty', { ...trade(at, 61_000), symbol: '' }],
      ['a crossed quote', quote(at, '62000', '61000')],
      ['askPrice missing', { ...quote(at, '61000', '61001'), askPrice: undefined }],
      ['null', null],
    ];
    for (const [what, event] of bad) {
      expect(() => canary.onMarketEvent(event as MarketEvent), what).toThrow(
        expect.objectContaining({
          code: 'E_USAGE',
          message: expect.stringMatching(/^onMarketEvent: /u) as string,
        }) as Error,
      );
    }
    expect(canary.clock.nowMs).toBe(T0_MS + 5);
    canary.clock.advance(at + 1000); // an equity sample at the mark the good event set
    expect(canary.totals('stable')).toEqual(books);
    expect(canary.marks().map(([symbol, price]) => [symbol, price.toFixed()])).toEqual([
      ['BTCUSDT', '60000'],
    ]);
    canary.onMarketEvent(quote(at + 2000, '60999.5', '61000.5'));
    canary.close();
    const restarted = testCanary(paths);
    expect(restarted.totals('stable').unrealizedPnl).toBe('500'); // 0.5 × (61000 − 60000)
    restarted.close();
  });
});

describe('createCanary: operator commands', () => {
  it('refuse a reason that is not a string of 1 to 1000 characters, or an id that is not a whole number, E_USAGE, writing nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-commands-'));
    const paths = { statePath: join(dir, 'state.json'), auditPath: join(dir, 'audit.jsonl') };
    const canary = testCanary(paths);
    canary.clock.advance(T0_MS);
    const audit = readFileSync(paths.auditPath, 'utf8');
    const state = canary.state;
    const bad: [string, () => unknown][] = [
      ['halt()', () => canary.halt(undefined as unknown as string)],
      ['halt(42)', () => canary.halt(42 as unknown as string)],
      ["halt('')", () => canary.halt('')],
      ['halt(a long reason)', () => canary.halt('x'.repeat(1001))],
      ['rollback(null)', () => canary.rollback(null as unknown as string)],
      ['reject(1)', () => canary.reject(1, undefined as unknown as string)],
      ['approve(NaN)', () => canary.approve(Number.NaN)],
      ["approve('1')", () => canary.approve('1' as unknown as number)],
      ['reject(1.5)', () => canary.reject(1.5, 'no')],
    ];
    for (const [what, call] of bad) {
      expect(call, what).toThrow(
        expect.objectContaining({
          code: 'E_USAGE',
          message: expect.stringMatching(/^(halt|rollback|reject|approve): /u) as string,
        }) as Error,
      );
    }
    expect(readFileSync(paths.auditPath, 'utf8')).toBe(audit);
    expect(canary.state).toEqual(state);
    expect(canary.halt('news').applied).toBe(true);
    canary.close();
    const restarted = testCanary(paths); // its audit log reads back
    expect(restarted.state.halted).toBe(true);
    restarted.close();
  });
});

describe('createCanary: a strategy error', () => {
  it('stamped over an hour after the clock (the wall clock’s time on a replayed feed) is INVALID, and the clock stays', () => {
    const canary = testCanary({ lateReportMs: 60_000 });
    canary.onMarketEvent(trade(T0_MS, 60_000));
    const error = (tsMs: number) =>
      ({ type: 'strategy-error', arm: 'canary', tsMs, message: 'NaN size' }) as const;
    const farAhead = T0_MS + 3_600_000 + 60_000 + 1;
    expect(canary.record(error(farAhead))).toMatchObject({
      accepted: false,
      rejection: { code: 'INVALID', message: expect.stringMatching(/^tsMs: .*an hour/u) as string },
    });
    expect(canary.clock.nowMs).toBe(T0_MS);
    expect(canary.state.status).toBe('step');
    // Its fills after it are not TIME_BACKWARDS; and an error within the hour is booked.
    const { order, fill } = orderAndFill(canary, 'o-1', T0_MS + 10, T0_MS + 30);
    expect(code(canary.record(order))).toBe('accepted');
    expect(code(canary.record(fill))).toBe('accepted');
    expect(code(canary.record(error(T0_MS + 3_600_000)))).toBe('accepted');
    expect(canary.state.status).toBe('rolled_back'); // a canary strategy error: a hard guardrail
  });
});

describe('createCanary: an order', () => {
  it('decided over an hour after the clock (the wall clock’s time on a replayed feed) is INVALID, and its fill cannot jump the clock', () => {
    const canary = testCanary({ lateReportMs: 60_000 });
    canary.onMarketEvent(trade(T0_MS, 60_000));
    const later = T0_MS + 3_600_000 + 60_000 + 1;
    const { order, fill } = orderAndFill(canary, 'o-1', later, later + 20);
    expect(canary.record(order)).toMatchObject({
      accepted: false,
      rejection: {
        code: 'INVALID',
        message: expect.stringMatching(/^decisionTsMs: .*an hour/u) as string,
      },
    });
    expect(code(canary.record(fill))).toBe('UNKNOWN_ORDER');
    expect(canary.clock.nowMs).toBe(T0_MS);
    const within = orderAndFill(canary, 'o-2', T0_MS + 3_600_000, T0_MS + 3_600_020);
    expect(code(canary.record(within.order))).toBe('accepted');
  });
});
