import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { createExampleCanary, runCcxtBot, type CcxtBotOptions } from '../examples/ccxt-bot.js';
import { recordedFetch, type RecordedRequest, type RecordedResponse } from '../src/ccxt/index.js';
import type { ExecutionReport } from '../src/core/execution-report.js';
import { ROOT } from './cli-harness.js';

// The example ccxt bot's whole loop (ticker → canary → route → ccxt createOrder → adapter →
// canary) against ccxt's own Binance class, answering from what Binance answered it once:
// ccxt signs, sends (to recordings: no network), parses and maps errors as it would live.

const RECORDED = join(ROOT, 'examples/ccxt-bot.recorded.json');
const recordings = JSON.parse(readFileSync(RECORDED, 'utf8')) as {
  symbol: string;
  responses: RecordedResponse[];
};

/** ccxt's Binance class, configured as the example does, answering from the recordings. */
function recordedBinance(log: RecordedRequest[]): InstanceType<typeof ccxt.binance> {
  const exchange = new ccxt.binance({ apiKey: 'recorded', secret: 'recorded' });
  exchange.options['fetchMarkets'] = { types: ['spot'] };
  exchange.options['fetchMargins'] = false;
  exchange.options['fetchCurrencies'] = false;
  exchange.fetchImplementation = recordedFetch(recordings.responses, log);
  return exchange;
}

async function run(
  canary = createExampleCanary(),
  extra: Partial<Omit<CcxtBotOptions, 'canary'>> = {},
) {
  const log: RecordedRequest[] = [];
  const lines: string[] = [];
  const executions: ExecutionReport[] = [];
  canary.executions$.subscribe((e) => executions.push(e));
  const result = await runCcxtBot({
    exchange: recordedBinance(log),
    canary,
    symbol: recordings.symbol,
    polls: 4,
    pollMs: 0,
    log: (line) => lines.push(line),
    ...extra,
  });
  return { canary, result, log, lines, executions };
}

describe('examples/ccxt-bot.ts, on recorded Binance answers', () => {
  it('routes, orders through ccxt, reports through the adapter: the canary books every account exactly', async () => {
    const { canary, result, log, lines, executions } = await run();
    expect(result).toEqual({ accepted: 10, refused: 0 });
    expect(log.every((request) => request.answered)).toBe(true);
    // What ccxt sent: the canary's order ids as client ids, the adapter's amounts, IOC for v2.
    const orders = log.filter((r) => r.url.includes('/api/v3/order'));
    expect(
      orders.map((r) => [
        r.params['newClientOrderId'],
        r.params['side'],
        r.params['type'],
        r.params['quantity'],
        r.params['timeInForce'],
      ]),
    ).toEqual([
      ['acct-0001-t1', 'BUY', 'MARKET', '0.001', undefined],
      ['acct-0002-t1', 'BUY', 'LIMIT', '0.002', 'IOC'],
      ['acct-0003-t1', 'BUY', 'MARKET', '0.001', undefined],
      ['acct-0001-t3', 'SELL', 'MARKET', '0.001', undefined],
      ['acct-0002-t3', 'SELL', 'LIMIT', '0.0012', 'IOC'],
    ]);
    expect(orders.every((r) => r.params['signature']?.length === 64)).toBe(true);

    expect(canary.recorded).toEqual({
      stable: { orders: 3, fills: 2, rejects: 1 },
      canary: { orders: 2, fills: 2, rejects: 0 },
    });
    // The canary's IOC order filled 0.0012 of 0.002 before it expired: booked at what filled.
    const partial = executions.find((e) => e.orderId === 'acct-0002-t1');
    expect(partial).toMatchObject({ type: 'fill', arm: 'canary' });
    expect(partial?.quantity.toFixed()).toBe('0.0012');
    expect(lines).toContain(
      'reject acct-0003-t1 stable: INSUFFICIENT_BUYING_POWER (binance Account has insufficient balance for requested action.)',
    );
    // Stable: bought 0.001 at 60010.02, sold at 60004.98; fees 0.06001002 + 0.06000498.
    expect(canary.totals('stable')).toMatchObject({
      realizedPnl: '-0.00504',
      fees: '0.120015',
      pnl: '-0.125055',
    });
    // Canary: 72.012005 paid for 0.0012 (a price of 60010.0041666…, rounded at 24 places, the
    // rounding's 4e-28 carried by the fee), 72.005988 received; fees 0.07201201 + 0.07200599.
    expect(canary.totals('canary')).toMatchObject({
      realizedPnl: '-0.0060170000000000000000000004',
      fees: '0.1440179999999999999999999996',
      pnl: '-0.150035', // 72.005988 − 72.012005 − 0.144018, exactly
    });
    canary.close();
  });

  it('obeys a rollback: the account leaving the canary is flattened by the version it leaves, booked to stable', async () => {
    const rollout = createExampleCanary();
    const { canary, lines, executions } = await run(rollout, {
      afterPoll: (poll) => {
        if (poll === 1)
          expect(rollout.rollback('operator: canary under review').applied).toBe(true);
      },
    });
    expect(canary.state.status).toBe('rolled_back');
    expect(lines).toContain('moved: acct-0002 canary → stable (flatten)');
    const flatten = executions.find((e) => e.orderId === 'acct-0002-t2');
    expect(flatten).toMatchObject({ type: 'fill', arm: 'stable', side: 'sell' });
    expect(flatten?.quantity.toFixed()).toBe('0.0012');
    expect(canary.recorded.canary).toEqual({ orders: 1, fills: 1, rejects: 0 });
    expect(canary.totals('canary').positions).toEqual([]);
    expect(canary.totals('stable').positions).toEqual([
      expect.objectContaining({ symbol: 'BTC/USDT', quantity: '0' }),
    ]);
    canary.close();
  });

  it('runs as a command with --recorded: exits 0 and prints each arm’s books', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'examples/ccxt-bot.ts', '--recorded', 'examples/ccxt-bot.recorded.json'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    expect(stdout).toContain(
      'stable: 3 orders, 2 fills, 1 rejects; fees 0.120015, realized -0.00504, P&L -0.125055',
    );
    expect(stdout).toContain('canary accepted 10 reports, refused 0');
  });
});
