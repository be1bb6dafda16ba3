import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportJson } from '../../report/report-json.js';
import { cli, ROOT, SAMPLES } from '../../../test/cli-harness.js';

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
