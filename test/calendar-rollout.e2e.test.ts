import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_PRESETS } from '../src/rollout/plan-presets.js';
import { aaReplayArgs } from './aa-replay.js';
import { cli, readReport, tempDir, readAuditLines } from './cli-harness.js';

/** The samples run from 23:54 to 00:05 UTC; funding is paid at 00:00, this blackout ends before. */
const BLACKOUT_FROM_US = Date.parse('2024-08-08T23:56:00Z') * 1000;
const BLACKOUT_TO_US = Date.parse('2024-08-08T23:59:00Z') * 1000;

/** The `short` preset as a plan file, with a trading calendar. */
function planFile(dir: string, durations: 'event-time' | 'open'): string {
  const path = join(dir, `calendar-${durations}.json`);
  const plan = {
    ...PLAN_PRESETS.short,
    name: `calendar-${durations}`,
    calendar: {
      timeZone: 'UTC',
      blackouts: [{ name: 'funding', daily: { from: '23:56', to: '23:59' } }],
      durations,
    },
  };
  writeFileSync(path, JSON.stringify(plan));
  return path;
}

interface AuditLine {
  tsUs: number;
  kind: string;
  action: string;
  disposition: string;
  stepIndex: number | null;
  ref: number | null;
  seq: number;
  detail: { code: string; message: string } | null;
}

function readAudit(dir: string): AuditLine[] {
  return readAuditLines<AuditLine>(dir);
}

async function run(durations: 'event-time' | 'open'): Promise<{ out: string; audit: AuditLine[] }> {
  const out = tempDir();
  const result = await cli(aaReplayArgs(planFile(out, durations), join(out, 'run'), '--no-fills'));
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return { out: join(out, 'run'), audit: readAudit(join(out, 'run')) };
}

const inBlackout = (tsUs: number): boolean => tsUs >= BLACKOUT_FROM_US && tsUs < BLACKOUT_TO_US;

/** Advances (not the start): a weight change after the first step, or the promotion. */
function advances(audit: readonly AuditLine[]): AuditLine[] {
  return audit.filter(
    (l) =>
      l.kind === 'transition' &&
      (l.action === 'promote' || (l.action === 'set-weight' && l.stepIndex !== 0)),
  );
}

describe('a plan with a trading calendar, replayed on the BTCUSDT samples (A/A)', () => {
  it('holds every advance inside the blackout, says why in the audit log, and promotes after it', async () => {
    const { out, audit } = await run('event-time');
    const auditText = readFileSync(join(out, 'audit.jsonl'), 'utf8');
    expect(auditText).toContain('s of event time, minimum');
    expect(auditText).not.toContain('s of open time, minimum');
    const refused = audit.filter((l) => l.detail?.code === 'CALENDAR_CLOSED');
    expect(refused.length).toBeGreaterThan(0);
    for (const l of refused) {
      expect(inBlackout(l.tsUs)).toBe(true);
      expect(l.disposition).toBe('refused');
      expect(l.detail!.message).toBe(
        'the trading calendar is closed: blackout "funding", until 2024-08-08 23:59 UTC',
      );
    }
    const moved = advances(audit);
    expect(moved.map((l) => l.action)).toEqual([
      'set-weight',
      'set-weight',
      'set-weight',
      'promote',
    ]);
    for (const l of moved) expect(inBlackout(l.tsUs)).toBe(false);
    // The advance held by the blackout comes once it ends.
    expect(
      moved.some((l) => l.tsUs >= BLACKOUT_TO_US && l.tsUs < BLACKOUT_TO_US + 10_000_000),
    ).toBe(true);
    const report = readReport(out);
    expect(report.outcome).toBe('promoted');
    const plan = report.inputs.plan;
    expect(plan.type === 'plan' ? plan.calendar : null).toEqual({
      timeZone: 'UTC',
      blackouts: [{ name: 'funding', daily: { from: '23:56', to: '23:59' } }],
      durations: 'event-time',
    });
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      'trading calendar (UTC): open around the clock; blackouts "funding" daily 23:56–23:59; steps advance only while it is open, minimum durations count event time, maxima open time',
    );
  });

  it('with durations counting open time, a step lasts its minimum outside the blackout', async () => {
    const { out, audit } = await run('open');
    // The reasons say what the minimum counted.
    expect(readFileSync(join(out, 'audit.jsonl'), 'utf8')).toContain('s of open time, minimum');
    const plan = PLAN_PRESETS.short.steps.map((step) => step.minDurationMs);
    const moved = advances(audit);
    expect(moved.length).toBeGreaterThan(0);
    for (const l of moved) {
      expect(inBlackout(l.tsUs)).toBe(false);
      // The step's start: the transition that set its weight (the controller's step start).
      const stepIndex = l.action === 'promote' ? l.stepIndex! : l.stepIndex! - 1;
      const startUs = audit.find(
        (s) => s.kind === 'transition' && s.stepIndex === stepIndex && s.seq < l.seq,
      )!.tsUs;
      const overlap = Math.max(
        0,
        Math.min(l.tsUs, BLACKOUT_TO_US) - Math.max(startUs, BLACKOUT_FROM_US),
      );
      expect(l.tsUs - startUs - overlap).toBeGreaterThanOrEqual(plan[stepIndex]! * 1000);
    }
    // The step that straddles the blackout waited for open time: some advance came later than
    // its minimum of event time would have allowed.
    const straddling = moved.filter((l) => l.tsUs > BLACKOUT_TO_US);
    expect(straddling.length).toBeGreaterThan(0);
  });
});
