import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { NORMALIZED_CSV_HEADER } from '../feeds/normalized-csv-format.js';
import { SeededRng } from '../src/core/seeded-rng.js';
import { PLAN_PRESETS } from '../src/rollout/plan-presets.js';
import { scalePlan } from '../src/rollout/scale-plan.js';
import {
  calendarArb,
  type DailyCalendar,
} from '../src/rollout/test-support/calendar-arbitraries.js';
import { openByLocalClock } from '../src/rollout/test-support/local-clock-reference.js';
import { cli, tempDir, readAuditLines } from './cli-harness.js';

/**
 * The trading calendar over a generated multi-day feed: for random calendars (zones, sessions,
 * daily blackouts, both duration modes), an A/A replay of the `short` plan stretched a hundredfold
 * (steps of 1.5 to 2.5 hours) never advances while the calendar is closed, read off the local
 * clock by an independent reference (not the TradingCalendar the controller uses). Monday
 * 2024-03-04 to Friday: no clock change in any of the zones, so the reference needs no
 * daylight-saving rules.
 */

const START_US = Date.parse('2024-03-04T00:00:00Z') * 1000;
const EVENT_EVERY_US = 30_000_000;
const EVENTS = 12_000; // 100 hours

/** momentum@1.0.0 on a 30-second tape: its time constants stretched as the feed is. */
const SLOW_MOMENTUM = JSON.stringify({
  fastMs: 150_000,
  slowMs: 900_000,
  warmupMs: 900_000,
  minHoldMs: 90_000,
  resetAfterGapMs: 3_600_000,
});

let feed = '';

beforeAll(() => {
  // A seeded geometric random walk (10 bps a trade, about 5 % a day), one trade every 30 s.
  const rng = new SeededRng(11);
  const lines = [NORMALIZED_CSV_HEADER];
  let price = 60_000;
  for (let i = 0; i < EVENTS; i++) {
    price *= Math.exp(0.001 * rng.nextNormal());
    const side = rng.nextBoolean(0.5) ? 'buy' : 'sell';
    lines.push(
      `${START_US + i * EVENT_EVERY_US},binance,BTCUSDT,trade,${side},${price.toFixed(2)},0.01,,,,,`,
    );
  }
  feed = join(tempDir(), 'multiday.csv');
  writeFileSync(feed, `${lines.join('\n')}\n`);
});

interface AuditLine {
  readonly tsUs: number;
  readonly kind: string;
  readonly action: string;
  readonly stepIndex: number | null;
  readonly detail: { readonly code: string } | null;
}

/** Replays the feed under `short` × 100 with `calendar`: its audit log. */
async function replay(calendar: DailyCalendar): Promise<AuditLine[]> {
  const dir = tempDir();
  const plan = join(dir, 'plan.json');
  writeFileSync(plan, JSON.stringify({ ...scalePlan(PLAN_PRESETS.short, 100), calendar }));
  const out = join(dir, 'run');
  const args = ['replay', feed, '--plan', plan, '--accounts', '200', '--no-fills', '--out', out];
  const same = ['--stable-params', SLOW_MOMENTUM, '--canary-params', SLOW_MOMENTUM];
  const result = await cli([
    ...args,
    '--stable',
    'momentum@1.0.0',
    '--canary',
    'momentum@1.0.0',
    ...same,
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return readAuditLines<AuditLine>(out);
}

describe('a trading calendar over a generated multi-day feed (property)', () => {
  it('never advances a step while the calendar is closed', async () => {
    const seen = { advances: 0, refusals: 0 };
    await fc.assert(
      fc.asyncProperty(calendarArb, async (calendar) => {
        const open = (tsUs: number): boolean =>
          openByLocalClock(calendar.timeZone, calendar.sessions, calendar.blackouts, tsUs);
        for (const line of await replay(calendar)) {
          const advance =
            line.kind === 'transition' &&
            (line.action === 'promote' || (line.action === 'set-weight' && line.stepIndex !== 0));
          if (advance) {
            expect(
              open(line.tsUs),
              `an advance at ${new Date(line.tsUs / 1000).toISOString()}`,
            ).toBe(true);
            seen.advances++;
          }
          if (line.detail?.code === 'CALENDAR_CLOSED') {
            expect(open(line.tsUs)).toBe(false);
            seen.refusals++;
          }
        }
      }),
      { numRuns: 6, seed: 20241205 },
    );
    // Both sides of the rule happened in these runs: advances while open, refusals while closed.
    expect(seen.advances).toBeGreaterThan(0);
    expect(seen.refusals).toBeGreaterThan(0);
  }, 240_000);
});
