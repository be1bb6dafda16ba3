import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { TradingEngine } from '../../engine/trading-engine.js';
import type { FillModelDescription } from '../../execution/index.js';
import type { ReportJson } from '../../report/report-json.js';
import { cli, readReport, ROOT, SAMPLES, tempDir } from '../../../test/cli-harness.js';

const SPOT = join(SAMPLES, 'spot_btcusdt_20240808.gz');
const TARDIS = join(ROOT, 'feeds', 'fixtures', 'tardis-trades.csv');

/** The report of a `replay --json` run (its last line, the summary). */
async function replayReport(args: readonly string[]): Promise<ReportJson> {
  const result = await cli(['replay', SPOT, '--accounts', '10', '--json', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const lines = result.stdout.trimEnd().split('\n');
  return JSON.parse(lines.at(-1)!) as ReportJson;
}

describe('replay --time', () => {
  it('reads the feed with the local receive time by default and the exchange time with --time exchange', async () => {
    const local = await replayReport([]);
    const exchange = await replayReport(['--time', 'exchange']);
    // The first event: the capture's first bookTicker at its local time, else the first trade's T
    // (the bookTicker before it has no exchange time and is skipped).
    expect(local.inputs.files[0]).toMatchObject({
      events: 37_797,
      firstEventAt: '2024-08-08T23:54:14.087891Z',
    });
    expect(exchange.inputs.files[0]).toMatchObject({
      events: 37_796,
      skipped: { untimed: 1 },
      outOfOrder: 0,
      firstEventAt: '2024-08-08T23:54:15.342000Z',
    });
    expect(exchange.inputs.command).toBe(
      `strategy-canary replay ${SPOT} --accounts 10 --time exchange`,
    );
  });

  it('refuses an unknown time and --time exchange on a Tardis file', async () => {
    const unknown = await cli(['replay', SPOT, '--time', 'remote']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/'--time <source>' argument 'remote' is invalid/);
    const tardis = await cli(['replay', TARDIS, '--time', 'exchange']);
    expect(tardis.code).toBe(2);
    expect(tardis.stderr).toBe(
      `strategy-canary: ${TARDIS}: time 'exchange' (--time exchange) is not supported for tardis-trades files: their event time is local_timestamp (the exchange's timestamp stays in exchangeTsUs); use time 'local' [E_USAGE]\n`,
    );
  });
});

describe('replay: execution faults from the command line', () => {
  it('records --latency-sigma, --account-slippage-sd, --outages and fee and weight-conditional injections', async () => {
    const args = [
      '--weight',
      '50',
      '--latency-sigma',
      '1',
      '--account-slippage-sd',
      '0.5',
      '--outages',
      '360:2000',
      '--inject',
      'canary:fees=+2bp',
      '--inject',
      'canary:slippage=+3bp,from=25%',
    ];
    const report = await replayReport(args);
    const execution = report.inputs.execution as FillModelDescription;
    expect(execution.parameters.latency.stable.jitterSigma).toBe(1);
    expect(execution.parameters.latency.canary.jitterSigma).toBe(1);
    expect(execution.parameters.accountSlippageSdBps).toBe(0.5);
    expect(execution.parameters.outages).toEqual({ perHour: 360, durationMs: 2000 });
    expect(execution.injections.canary.spec).toBe(
      'canary:latency=+0ms,slippage=+0bp,rejects=+0%,fees=+2bp;canary:slippage=+3bp,from=25%',
    );
    // 360 outages of 2 s an hour: down about 18 % of the time, on both arms.
    expect(report.arms.stable.rejectsByReason['VENUE']).toBeGreaterThan(0);
    expect(report.arms.canary.rejectsByReason['VENUE']).toBeGreaterThan(0);
    expect(report.inputs.command).toBe(
      `strategy-canary replay ${SPOT} --accounts 10 ${args.join(' ')}`,
    );
    // Same command, same report.
    expect(await replayReport(args)).toEqual(report);
  });

  it('plants the conditional slippage only at or above its weight', async () => {
    const canarySlippage = async (weight: string) =>
      (
        await replayReport([
          '--stable',
          'momentum@1.0.0',
          '--canary',
          'momentum@1.0.0',
          '--weight',
          weight,
          '--inject',
          'canary:slippage=+5bp,from=50%',
        ])
      ).arms;
    const below = await canarySlippage('49.99');
    const at = await canarySlippage('50');
    expect(below.canary.slippageBps.mean! - below.stable.slippageBps.mean!).toBeLessThan(1);
    expect(at.canary.slippageBps.mean! - at.stable.slippageBps.mean!).toBeGreaterThan(4);
  });

  const bad: readonly (readonly [string[], string])[] = [
    [['--outages', '36'], '--outages: expected PER_HOUR:DURATION_MS'],
    [['--outages', '36:1000:5'], '--outages: expected PER_HOUR:DURATION_MS'],
    [['--outages', '0:1000'], 'the rate and the duration must be above 0'],
    [['--outages', '36:fast'], '--outages (duration ms): expected a number, got "fast"'],
    [['--outages', '4000:1000'], '--outages (per hour): 4000 is outside 0–3600'],
    [['--latency-sigma', '4'], '--latency-sigma: 4 is outside 0–3'],
    [['--account-slippage-sd', '-1'], '--account-slippage-sd: -1 is outside 0–100'],
    [['--account-slippage-sd', '101'], '--account-slippage-sd: 101 is outside 0–100'],
  ];
  it.each(bad)('refuses %j with E_USAGE', async (args, message) => {
    const result = await cli(['replay', SPOT, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('[E_USAGE]');
  });

  it('refuses a fee injection that makes the fee negative with E_INJECT_SPEC', async () => {
    const result = await cli(['replay', SPOT, '--inject', 'canary:fees=-11bp']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('fees -11bp would make the fee -1bp negative (base 10bp)');
    expect(result.stderr).toContain('[E_INJECT_SPEC]');
  });
});

describe('replay --trades-only', () => {
  it('replays the sample as its trade tape: no quote reaches the engine, every one is counted', async () => {
    const spy = vi.spyOn(TradingEngine.prototype, 'process'); // records, and calls through
    const out = tempDir();
    const result = await cli(['replay', SPOT, '--accounts', '50', '--trades-only', '--out', out]);
    const types = spy.mock.calls.map(([event]) => event.type);
    spy.mockRestore();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The sample holds 9,757 trades and 28,040 bookTickers (feeds/samples.test.ts).
    expect(types.filter((type) => type === 'quote')).toHaveLength(0);
    expect(types.filter((type) => type === 'trade')).toHaveLength(9_757);

    const report = readReport(out);
    expect(report.inputs.events).toBe(9_757);
    expect(report.inputs.files[0]).toMatchObject({
      trades: 9_757,
      quotes: 0,
      events: 9_757,
      skipped: { depthSnapshot: 1, depthUpdate: 3_451, droppedQuote: 28_040 },
    });
    expect(report.inputs.command).toBe(
      `strategy-canary replay ${SPOT} --accounts 50 --trades-only`,
    );
    expect(result.stdout).toContain(
      `${SPOT} [binance-ws] 9,757 trades, 0 quotes; skipped 1 depthSnapshot, 3,451 depthUpdate, 28,040 droppedQuote\n`,
    );
    // Orders still fill: at the first trade after they arrive.
    expect(report.arms.stable.fills + report.arms.canary.fills).toBeGreaterThan(0);
  });
});

describe("replay's summary counts", () => {
  it('say "1 event", "1 trade" and "1 quote", not "1 events"', async () => {
    const feed = join(tempDir(), 'one-of-each.csv');
    writeFileSync(
      feed,
      [
        'ts_us,exchange,symbol,type,side,price,size,bid_price,bid_size,ask_price,ask_size,id',
        '1723161255342000,binance,BTCUSDT,trade,sell,61837.63,0.02,,,,,3735683259',
        '1723161255343000,binance,BTCUSDT,quote,,,,61837.63,3.78826,61837.64,1.54698,',
        '',
      ].join('\n'),
    );
    const two = await cli(['replay', feed, '--accounts', '3']);
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('replayed 2 events from 1 file');
    expect(two.stdout).toContain(`${feed} [normalized] 1 trade, 1 quote\n`);
    writeFileSync(feed, `${readFirstLines(feed, 2)}\n`);
    const one = await cli(['replay', feed, '--accounts', '3']);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain('replayed 1 event from 1 file');
    expect(one.stdout).toContain(`${feed} [normalized] 1 trade, 0 quotes\n`);
  });
});

function readFirstLines(path: string, n: number): string {
  return readFileSync(path, 'utf8').split('\n').slice(0, n).join('\n');
}
