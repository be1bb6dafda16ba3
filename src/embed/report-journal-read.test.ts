import type * as nodeFs from 'node:fs';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ReportJournal, type JournalEntry } from './report-journal.js';
import { ACCOUNTS, T0_MS, testCanary, trade } from './test-support/bot-driver.js';

/** The files read whole with readFileSync (the audit log and state are; the journal must not be). */
const readWhole = vi.hoisted(() => ({ paths: [] as string[] }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof nodeFs>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    readWhole.paths.push(String(path));
    return (fs.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

/** A persisted canary's journal of `rounds` rounds of an order and a fill per account. */
function journalOf(rounds: number) {
  const dir = mkdtempSync(join(tmpdir(), 'canary-journal-read-'));
  const paths = {
    statePath: join(dir, 'state.json'),
    auditPath: join(dir, 'audit.jsonl'),
    journalPath: join(dir, 'reports.jsonl'),
  };
  const canary = testCanary(paths);
  for (let i = 0; i < rounds; i++) {
    const nowMs = T0_MS + i * 10_000;
    canary.onMarketEvent(trade(nowMs, 60_000 + i));
    for (const account of ACCOUNTS.slice(0, 10)) {
      const order = {
        type: 'order',
        orderId: `o-${i}-${account.id}`,
        accountId: account.id,
        arm: canary.route(account.id),
        symbol: 'BTCUSDT',
        side: i % 2 === 0 ? 'buy' : 'sell',
        quantity: '0.5',
        decisionTsMs: nowMs,
      } as const;
      canary.record(order, { key: `k-${order.orderId}` });
      canary.record({
        ...order,
        type: 'fill',
        fillId: `f-${order.orderId}`,
        price: '60000.5',
        fee: '0.25',
        tsMs: nowMs + 20,
        latencyMs: 20,
        slippageBps: 0,
      });
    }
  }
  const recorded = canary.recorded;
  canary.close();
  return { paths, recorded };
}

function entriesOf(path: string, configHash: string, chunkBytes?: number): JournalEntry[] {
  const entries: JournalEntry[] = [];
  const opened = ReportJournal.open(path, configHash, (entry) => entries.push(entry), chunkBytes);
  opened.journal.close();
  return entries;
}

describe('report journal: reading it back', () => {
  it('reads it in chunks, never whole (a long rollout’s outgrows the longest string V8 makes)', () => {
    const { paths, recorded } = journalOf(3);
    readWhole.paths.length = 0;
    const restarted = testCanary(paths);
    expect(readWhole.paths).not.toContain(paths.journalPath);
    expect(restarted.recorded).toEqual(recorded);
    restarted.close();
  });

  it('gives the same entries whatever the chunk size, a line split across chunks included, and cuts a torn line', () => {
    const { paths } = journalOf(3);
    const header = JSON.parse(readFileSync(paths.journalPath, 'utf8').split('\n')[0]!) as {
      configHash: string;
    };
    const whole = entriesOf(paths.journalPath, header.configHash);
    expect(whole.length).toBeGreaterThan(60);
    appendFileSync(paths.journalPath, '{"k":"fill","orderId":"o-');
    for (const chunkBytes of [1, 7, 100, 4096]) {
      expect(entriesOf(paths.journalPath, header.configHash, chunkBytes), `${chunkBytes}`).toEqual(
        whole,
      );
    }
    expect(readFileSync(paths.journalPath, 'utf8').endsWith('\n')).toBe(true);
  });
});
