// A trading bot on a real exchange through ccxt, rolling out a new version of its strategy with
// an embedded canary (docs/embedding.md, "Using ccxt"): each poll of the market it routes every
// account to the version (arm) the canary says, places that version's orders with ccxt, reports
// them through the ccxt adapter, and obeys the canary's decisions (an account moved to the other
// arm has its position flattened by the version it leaves).
//
// This machine reaches no exchange, so the example runs on what Binance answered it once
// (ccxt's whole request path, signing and parsing included, with recorded answers):
//
//   npx tsx examples/ccxt-bot.ts --recorded examples/ccxt-bot.recorded.json
//
// Against Binance itself (real orders, real money: a test account first), with keys in the
// environment: BINANCE_API_KEY=… BINANCE_SECRET=… npx tsx examples/ccxt-bot.ts --polls 600
//
// In your own bot import from 'strategy-canary' and 'strategy-canary/ccxt'; this example imports
// from the repository.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import ccxt, { type Exchange, type Ticker } from 'ccxt';
import { Command } from 'commander';
import {
  CcxtOrderTracker,
  instrumentOf,
  quoteEventOfTicker,
  recordedFetch,
  type CcxtInstrument,
  type RecordedResponse,
} from '../src/ccxt/index.js';
import type { Arm } from '../src/core/arm.js';
import { CanaryError } from '../src/core/errors.js';
import { Decimal } from '../src/core/money.js';
import type { BotReport } from '../src/embed/bot-report.js';
import { createCanary, type Canary } from '../src/embed/create-canary.js';

/** The example's accounts: one on the canary whatever the weight (an override), two routed. */
export const EXAMPLE_ACCOUNTS = [
  { id: 'acct-0001', capital: '10000' },
  { id: 'acct-0002', capital: '10000', override: 'canary' },
  { id: 'acct-0003', capital: '10000' },
] as const;

/** The example's rollout: momentum@2.0.0 over momentum@1.0.0, the `aggressive` plan. */
export function createExampleCanary(): Canary {
  return createCanary({
    stable: 'momentum@1.0.0',
    canary: 'momentum@2.0.0',
    plan: 'aggressive',
    salt: 'ccxt-bot',
    accounts: EXAMPLE_ACCOUNTS,
    // Fills come from the exchange's clock, a little behind the market data that moved the
    // canary's: a fill up to a minute older than its clock is booked, not refused.
    lateReportMs: 60_000,
  });
}

/** One version of the strategy: its position when long, and how it trades. */
interface Version {
  readonly size: string;
  /** `market` takes the book; `ioc` sends a limit at the touch that fills what it can. */
  readonly execution: 'market' | 'ioc';
}

/** The two versions under comparison: long while the mid rises, flat when it falls. */
const VERSIONS: Readonly<Record<Arm, Version>> = {
  stable: { size: '0.001', execution: 'market' }, // momentum@1.0.0
  canary: { size: '0.002', execution: 'ioc' }, // momentum@2.0.0: bigger, cheaper execution
};

/** Options of {@link runCcxtBot}. */
export interface CcxtBotOptions {
  /** A ccxt exchange with credentials (or answering from recordings), markets not yet loaded. */
  readonly exchange: Exchange;
  readonly canary: Canary;
  readonly symbol: string;
  /** Market polls to run. */
  readonly polls: number;
  /** Wait between polls, ms (0 with recordings). */
  readonly pollMs: number;
  readonly log: (line: string) => void;
  /** Called after each poll's orders (an operator's command in a test). */
  readonly afterPoll?: (poll: number) => void;
}

/** What a run did: reports the canary took and refused. */
export interface CcxtBotResult {
  readonly accepted: number;
  readonly refused: number;
}

/**
 * The bot's loop: poll the ticker → the canary's event time and marks → each account's arm →
 * that version's order through ccxt → the adapter's reports → the canary.
 */
export async function runCcxtBot(options: CcxtBotOptions): Promise<CcxtBotResult> {
  const { exchange, canary, symbol, log } = options;
  await exchange.loadMarkets();
  const instrument = instrumentOf(exchange.market(symbol));
  const tracker = new CcxtOrderTracker({ markets: exchange, clock: () => canary.clock.nowMs });
  const positions = new Map<string, Decimal>(EXAMPLE_ACCOUNTS.map((a) => [a.id, new Decimal(0)]));
  /** Accounts moved to the other arm: flattened by the version they leave, at the next poll. */
  const toFlatten = new Map<string, Arm>();
  const result = { accepted: 0, refused: 0 };

  canary.decisions$.subscribe((d) =>
    log(`decision: ${d.action} ${d.fromWeightPct} % → ${d.toWeightPct} % (${d.disposition})`),
  );
  canary.assignments$.subscribe((move) => {
    log(`moved: ${move.accountId} ${move.from} → ${move.to} (${move.positions})`);
    if (move.positions === 'flatten') toFlatten.set(move.accountId, move.from);
  });

  const record = (report: BotReport): void => {
    const outcome = canary.record(report);
    if (!outcome.accepted) {
      result.refused++;
      log(`refused ${report.type}: ${outcome.rejection.code} ${outcome.rejection.message}`);
      return;
    }
    result.accepted++;
    if (report.type === 'fill') {
      const filled = new Decimal(report.filledQuantity ?? report.quantity);
      const signed = report.side === 'buy' ? filled : filled.negated();
      positions.set(
        report.accountId,
        (positions.get(report.accountId) ?? new Decimal(0)).plus(signed),
      );
      log(
        `fill ${report.orderId} ${report.arm}: ${report.side} ${filled.toFixed()} of ${String(report.quantity)} @ ${String(report.price)}, fee ${String(report.fee)}`,
      );
    } else if (report.type === 'reject') {
      log(`reject ${report.orderId} ${report.arm}: ${report.reason} (${report.message ?? ''})`);
    }
  };

  const place = async (
    accountId: string,
    arm: Arm,
    version: Version,
    side: 'buy' | 'sell',
    size: Decimal,
    ticker: Ticker,
    poll: number,
  ): Promise<void> => {
    const orderId = `${accountId}-t${poll}`;
    // The exchange's lot size, as a decimal string: what the order report and createOrder carry.
    const amount = exchange.amountToPrecision(symbol, size.toNumber()) ?? '';
    const mid = midOf(ticker, instrument);
    record(
      tracker.submit({
        orderId,
        accountId,
        arm,
        symbol,
        side,
        amount,
        decisionTsMs: canary.clock.nowMs,
        decisionPrice: mid,
      }),
    );
    const touch = side === 'buy' ? ticker.ask : ticker.bid;
    try {
      const placed =
        version.execution === 'market'
          ? await exchange.createOrder(symbol, 'market', side, Number(amount), undefined, {
              clientOrderId: orderId,
            })
          : await exchange.createOrder(symbol, 'limit', side, Number(amount), touch, {
              clientOrderId: orderId,
              timeInForce: 'IOC',
            });
      for (const report of tracker.onOrder(placed, orderId)) record(report);
    } catch (error) {
      const reject = tracker.onCreateOrderError(orderId, error);
      if (reject !== null) record(reject);
      else log(`order ${orderId}: fate unknown (${String(error)}): look it up by its client id`);
    }
  };

  let previousMid: Decimal | null = null;
  let wasRising: boolean | null = null;
  for (let poll = 0; poll < options.polls; poll++) {
    if (poll > 0 && options.pollMs > 0) await sleep(options.pollMs);
    const ticker = await exchange.fetchTicker(symbol);
    canary.onMarketEvent(quoteEventOfTicker(ticker, instrument, exchange.id));
    const mid = midOf(ticker, instrument);
    // Long from the poll the mid turns up, flat from the poll it falls.
    const rising: boolean | null = previousMid === null ? null : mid.greaterThan(previousMid);
    const turnedUp = rising === true && wasRising !== true;
    [previousMid, wasRising] = [mid, rising];

    for (const account of EXAMPLE_ACCOUNTS) {
      const position = positions.get(account.id) ?? new Decimal(0);
      const leftArm = toFlatten.get(account.id);
      if (leftArm !== undefined) {
        toFlatten.delete(account.id);
        if (!position.isZero()) {
          const side = position.greaterThan(0) ? 'sell' : 'buy';
          await place(
            account.id,
            canary.route(account.id),
            VERSIONS[leftArm],
            side,
            position.abs(),
            ticker,
            poll,
          );
          continue;
        }
      }
      const arm = canary.route(account.id);
      const version = VERSIONS[arm];
      if (turnedUp && position.isZero()) {
        await place(account.id, arm, version, 'buy', new Decimal(version.size), ticker, poll);
      } else if (rising === false && position.greaterThan(0)) {
        await place(account.id, arm, version, 'sell', position, ticker, poll);
      }
    }
    for (const waiting of tracker.awaitingTrades()) {
      log(
        `order ${waiting.orderId}: done, its trades not seen yet (fetchMyTrades would bring them)`,
      );
    }
    options.afterPoll?.(poll);
  }
  return result;
}

function midOf(ticker: Ticker, instrument: CcxtInstrument): Decimal {
  const quote = quoteEventOfTicker(ticker, instrument, 'mid');
  return new Decimal(quote.bidPrice).plus(quote.askPrice).dividedBy(2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Recordings of an exchange's answers (examples/ccxt-bot.recorded.json). */
interface Recordings {
  readonly symbol: string;
  readonly responses: readonly RecordedResponse[];
}

async function main(): Promise<number> {
  const options = new Command('ccxt-bot')
    .description('A bot trading through ccxt on Binance spot, rolling out a new strategy version.')
    .option('--recorded <file>', "answer from recordings of Binance's answers (no network)")
    .option('--symbol <symbol>', 'the market, ccxt unified symbol', 'BTC/USDT')
    .option('--polls <n>', 'market polls to run (default: every recorded one)')
    .option('--poll-ms <ms>', 'wait between polls, live', '1000')
    .parse()
    .opts<{ recorded?: string; symbol: string; polls?: string; pollMs: string }>();

  let exchange: Exchange;
  let polls: number;
  let symbol = options.symbol;
  if (options.recorded !== undefined) {
    const recordings = JSON.parse(readFileSync(options.recorded, 'utf8')) as Recordings;
    // Any key signs: the recordings answer whatever the signature.
    exchange = new ccxt.binance({ apiKey: 'recorded', secret: 'recorded' });
    exchange.fetchImplementation = recordedFetch(recordings.responses);
    symbol = recordings.symbol;
    polls =
      options.polls === undefined
        ? recordings.responses.filter((r) => r.path === '/api/v3/ticker/24hr').length
        : Number(options.polls);
  } else {
    const apiKey = process.env['BINANCE_API_KEY'];
    const secret = process.env['BINANCE_SECRET'];
    if (apiKey === undefined || secret === undefined) {
      process.stderr.write(
        'ccxt-bot: set BINANCE_API_KEY and BINANCE_SECRET, or give --recorded\n',
      );
      return 2;
    }
    exchange = new ccxt.binance({ apiKey, secret, enableRateLimit: true });
    polls = Number(options.polls ?? 600);
  }
  // Spot markets only, without the margin pairs and currencies loadMarkets also fetches.
  exchange.options['fetchMarkets'] = { types: ['spot'] };
  exchange.options['fetchMargins'] = false;
  exchange.options['fetchCurrencies'] = false;
  const canary = createExampleCanary();
  const result = await runCcxtBot({
    exchange,
    canary,
    symbol,
    polls,
    pollMs: options.recorded === undefined ? Number(options.pollMs) : 0,
    log: (line) => console.log(line),
  });
  for (const arm of ['stable', 'canary'] as const) {
    const counts = canary.recorded[arm];
    const books = canary.totals(arm);
    console.log(
      `${arm}: ${counts.orders} orders, ${counts.fills} fills, ${counts.rejects} rejects; fees ${books.fees}, realized ${books.realizedPnl}, P&L ${books.pnl}`,
    );
  }
  console.log(`canary accepted ${result.accepted} reports, refused ${result.refused}`);
  canary.close();
  return result.refused > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main().catch((error: unknown) => {
    if (!(error instanceof CanaryError)) throw error;
    process.stderr.write(`ccxt-bot: ${error.message} [${error.code}]\n`);
    return 2;
  });
}
