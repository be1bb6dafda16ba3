import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AssignmentChange } from './embedded-books.js';
import { ACCOUNTS, T0_MS, testCanary } from './test-support/bot-driver.js';

function persisted(): { statePath: string; auditPath: string; journalPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'canary-restart-'));
  return {
    statePath: join(dir, 'state.json'),
    auditPath: join(dir, 'audit.jsonl'),
    journalPath: join(dir, 'reports.jsonl'),
  };
}

describe('createCanary: a restart', () => {
  it('after a crash before a transition was acknowledged: applies it again, tells its moves, and goes on', () => {
    const paths = persisted();
    const first = testCanary({ statePath: paths.statePath, auditPath: paths.auditPath });
    first.clock.advance(T0_MS);
    const moved = ACCOUNTS.filter((a) => first.route(a.id) === 'canary').map((a) => a.id);
    first.close();
    // What a crash between a transition's line and its acknowledgement's leaves: a log that ends
    // at the transition (the state file saved with it says the same; here the log is replayed).
    const lines = readFileSync(paths.auditPath, 'utf8').trimEnd().split('\n');
    expect((JSON.parse(lines.at(-1)!) as { kind: string }).kind).toBe('transition-complete');
    writeFileSync(paths.auditPath, `${lines.slice(0, -1).join('\n')}\n`);
    rmSync(paths.statePath);

    const second = testCanary({ statePath: paths.statePath, auditPath: paths.auditPath });
    const moves: AssignmentChange[] = [];
    second.assignments$.subscribe((m) => moves.push(m));
    second.clock.advance(T0_MS + 1000);
    expect(moves.map((m) => m.accountId)).toEqual(moved);
    expect(second.rollback('by hand')).toEqual({ applied: true, refusal: null });
    expect(second.state.status).toBe('rolled_back'); // not queued behind a transition never done
    second.close();
  });
});
