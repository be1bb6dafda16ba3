// A trading bot with simulated execution, as an agent of a rollout's server: it trades both
// strategy versions on a live feed (the replay's engine: router, simulated broker, ledger), routes
// its accounts by the rollout's state as the server sends it, and reports every order, fill and
// reject to the server, which runs the analysis and decides.
//
// Three terminals (any Binance-compatible stream works in place of serve-feed):
//
//   npx strategy-canary serve-feed feeds/samples/spot_btcusdt_20240808.gz --port 9443 --speed 10
//
//   STRATEGY_CANARY_OPERATOR_TOKEN=op-secret STRATEGY_CANARY_AGENT_TOKEN=agent-secret \
//     npx strategy-canary serve --port 8080 --stable momentum@1.0.0 --canary momentum@2.0.0 \
//     --plan aggressive --salt strategy-canary --accounts 500
//
//   STRATEGY_CANARY_AGENT_TOKEN=agent-secret npx tsx examples/live-bot.ts \
//     --feed 'ws://127.0.0.1:9443/stream?streams=btcusdt@trade/btcusdt@bookTicker' \
//     --server ws://127.0.0.1:8080/ws --agent-id bot-1 --accounts acct-0001..acct-0500 --idle-exit 5
//
// On a fleet on NATS (`serve --nats nats://127.0.0.1:4222`, several controllers), give
// `--nats nats://127.0.0.1:4222` instead of --server (and no token: NATS's own auth applies).
//
// It prints each decision the server takes and each connect and disconnect, and stops on Ctrl-C
// (SIGINT), SIGTERM, when the feed goes quiet (--idle-exit) or cannot be reached
// (--max-reconnects), once the server has acknowledged every report. Several bots can share the
// accounts: `--accounts 500 --slice 1/2` and `--slice 2/2`, each with its own --agent-id.
//
// In your own bot import from 'strategy-canary' and 'strategy-canary/feeds'; this example imports
// from the repository.
import { Command, Option } from 'commander';
import { filter, firstValueFrom } from 'rxjs';
import { BinanceStreamClient, type LiveFeedItem } from '../feeds/index.js';
import { CanaryError, UsageError } from '../src/core/errors.js';
import { CanaryAgent, NatsAgentTransport, type AgentStatus } from '../src/fleet/index.js';
import {
  describeDecision,
  driveFeed,
  liveAccounts,
  loadArmStrategies,
  SimulatedBot,
  type FeedEnd,
} from '../src/live/index.js';

const TOKEN_VARIABLE = 'STRATEGY_CANARY_AGENT_TOKEN';

interface Options {
  readonly feed: string;
  readonly server?: string;
  readonly nats?: string;
  readonly agentId: string;
  readonly accounts: string;
  readonly slice?: string;
  readonly capital?: string;
  readonly salt: string;
  readonly stable: string;
  readonly canary: string;
  readonly seed: string;
  readonly outbox?: string;
  readonly time: 'local' | 'exchange';
  readonly idleExit?: string;
  readonly maxReconnects?: string;
  readonly maxLag: string;
}

const options = new Command('live-bot')
  .description('A simulated-execution bot trading on a live feed, as an agent of a rollout server.')
  .requiredOption('--feed <ws-url>', 'market data: a Binance-compatible stream (serve-feed)')
  .option('--server <ws-url>', "the rollout server's websocket, ws://host:port/ws")
  .option(
    '--nats <url>',
    'instead of --server: the fleet on NATS (serve --nats), the rollout named by --salt',
  )
  .requiredOption(
    '--agent-id <id>',
    "this bot's id, stable across restarts (letters, digits, ._:-)",
  )
  .requiredOption(
    '--accounts <spec>',
    'N (acct-0001…), a range acct-0001..acct-0500, or a CSV file',
  )
  .option('--slice <i/k>', 'trade the i-th of k equal parts of the accounts')
  .option('--capital <amount>', "each account's capital, as the server's --capital (default 10000)")
  .option('--salt <salt>', "the rollout's routing salt, as the server's --salt", 'strategy-canary')
  .option('--stable <strategy>', 'stable strategy: a bundled id or a module path', 'momentum@1.0.0')
  .option('--canary <strategy>', 'canary strategy: a bundled id or a module path', 'momentum@2.0.0')
  .option('--seed <n>', "seed of the simulated broker's latency", '1')
  .option('--outbox <file>', 'journal of unacknowledged reports: a restarted bot sends them again')
  .addOption(
    new Option('--time <source>', "event time: the exchange's timestamps, or local receive time")
      .choices(['local', 'exchange'])
      .default('exchange'),
  )
  .option('--idle-exit <seconds>', 'stop when no market data came for this long (end of a capture)')
  .option('--max-reconnects <n>', 'stop after this many failed reconnects to the feed')
  .option('--max-lag <ms>', 'event time the bot may run ahead of the server (fast replays)', '1000')
  .parse()
  .opts<Options>();

async function main(): Promise<number> {
  if ((options.server === undefined) === (options.nats === undefined)) {
    throw new UsageError(
      'give --server ws://host:port/ws or --nats nats://host:4222 (one of them)',
    );
  }
  const token = process.env[TOKEN_VARIABLE];
  if (options.server !== undefined && (token === undefined || token === '')) {
    process.stderr.write(`live-bot: set ${TOKEN_VARIABLE} to the server's agent token\n`);
    return 2;
  }
  const accounts = await liveAccounts({
    accounts: options.accounts,
    ...(options.slice === undefined ? {} : { slice: options.slice }),
    ...(options.capital === undefined ? {} : { capital: options.capital }),
  });
  const strategies = await loadArmStrategies({ stable: options.stable, canary: options.canary });
  const seed = wholeNumber('--seed', options.seed);
  const maxLagMs = wholeNumber('--max-lag', options.maxLag);
  const idleExitMs =
    options.idleExit === undefined ? 0 : wholeNumber('--idle-exit', options.idleExit) * 1000;
  const maxReconnects =
    options.maxReconnects === undefined
      ? undefined
      : wholeNumber('--max-reconnects', options.maxReconnects);
  if (options.server !== undefined) websocketUrl('--server', options.server);
  const feed = new BinanceStreamClient({ url: options.feed, time: options.time });

  // The agent: routes by the server's state, sends the reports, hears the decisions.
  const agent = new CanaryAgent({
    ...(options.nats === undefined
      ? { url: options.server ?? '', token: token ?? '' }
      : {
          transport: new NatsAgentTransport({
            url: options.nats,
            rollout: options.salt,
            agentId: options.agentId,
          }),
        }),
    agentId: options.agentId,
    salt: options.salt,
    accounts,
    ...(options.outbox === undefined ? {} : { outboxPath: options.outbox }),
  });
  agent.decisions$.subscribe((decision) => console.log(describeDecision(decision)));
  const stop = new AbortController();
  let refused = false;
  agent.status$.subscribe((status) => {
    console.log(`server: ${describeAgentStatus(status)}`);
    if (status.type === 'refused') {
      refused = true;
      stop.abort();
    }
  });

  // The bot: both strategies and a simulated broker, routed as the agent says, reporting to it.
  const bot = new SimulatedBot({
    agentId: options.agentId,
    accounts,
    salt: options.salt,
    strategies,
    seed,
    routing: agent,
    reports: agent,
    market: agent,
  });

  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  console.log(
    `live-bot ${options.agentId}: ${accounts.length} accounts, ${options.stable} (stable) / ${options.canary} (canary), salt "${options.salt}"`,
  );

  // Trade only once the rollout's state is known: until then every account would trade stable.
  const ready = firstValueFrom(agent.state$.pipe(filter((state) => state !== null)));
  const aborted = new Promise<void>((resolve) =>
    stop.signal.addEventListener('abort', () => resolve()),
  );
  await Promise.race([ready, aborted]);

  let end: FeedEnd = 'stopped';
  if (!stop.signal.aborted) {
    const result = await driveFeed({
      feed,
      bot,
      pacer: agent,
      maxLagMs,
      idleExitMs,
      ...(maxReconnects === undefined ? {} : { maxReconnects }),
      signal: stop.signal,
      onFeedItem: (item) => {
        const line = describeFeedItem(item);
        if (line !== null) console.log(`feed: ${line}`);
      },
    });
    end = result.end;
  } else {
    await feed.close();
  }

  // Orders still in flight expire; then wait for the server to acknowledge every report.
  bot.finish();
  let unacknowledged = 0;
  if (!refused) {
    await agent.flush(30_000).catch(() => (unacknowledged = agent.stats.pending));
  }
  await agent.close();

  const { stable, canary } = bot.stats.arms;
  const sent = agent.stats;
  console.log(
    [
      `stopped (${refused ? 'the server refused this agent' : describeEnd(end)}): ${bot.stats.events.toLocaleString('en-US')} market events`,
      `stable ${stable.orders} orders, ${stable.fills} fills, ${stable.rejects} rejects`,
      `canary ${canary.orders} orders, ${canary.fills} fills, ${canary.rejects} rejects`,
      `server accepted ${sent.accepted} reports, refused ${sent.refused}` +
        (unacknowledged > 0 ? `, ${unacknowledged} unacknowledged` : ''),
    ].join('; '),
  );
  return refused || unacknowledged > 0 ? 1 : 0;
}

function wholeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/u.test(text) || !Number.isSafeInteger(value)) {
    throw new UsageError(`${flag}: expected a whole number, got "${text}"`);
  }
  return value;
}

function websocketUrl(flag: string, text: string): void {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (url === null || (url.protocol !== 'ws:' && url.protocol !== 'wss:')) {
    throw new UsageError(`${flag}: expected a websocket URL, ws://host:port/ws, got "${text}"`);
  }
}

function describeAgentStatus(status: AgentStatus): string {
  switch (status.type) {
    case 'connected':
      return status.replaying > 0
        ? `connected, sending ${status.replaying} reports again`
        : 'connected';
    case 'disconnected':
      return `disconnected (${status.code}${status.reason === '' ? '' : `: ${status.reason}`})`;
    case 'reconnecting':
      return `reconnecting in ${Math.round(status.delayMs)} ms (attempt ${status.attempt})`;
    case 'refused':
      return `refused (${status.message}): check the token and the agent id`;
  }
}

function describeFeedItem(item: Exclude<LiveFeedItem, { type: 'event' }>): string | null {
  switch (item.type) {
    case 'status':
      if (item.status === 'open') return 'connected';
      if (item.status === 'reconnecting')
        return `disconnected (${item.reason ?? 'closed'}), reconnecting in ${item.delayMs ?? 0} ms`;
      return item.status === 'closed' ? 'closed' : null;
    case 'gap':
      return `gap in ${item.stream}: ${item.expected} expected, ${item.received} received`;
    case 'dropped':
      return `${item.count} events dropped (the bot fell behind)`;
    case 'bad-message':
      return `bad message skipped: ${item.message}`;
  }
}

function describeEnd(end: FeedEnd): string {
  switch (end) {
    case 'closed':
      return 'the feed closed';
    case 'idle':
      return 'the feed went quiet';
    case 'unreachable':
      return 'the feed could not be reached';
    case 'stopped':
      return 'SIGINT or SIGTERM';
  }
}

// Bad input (an unknown strategy, a bad account range, a malformed URL…) is one line and exit 2.
process.exitCode = await main().catch((error: unknown) => {
  if (!(error instanceof CanaryError)) throw error;
  process.stderr.write(`live-bot: ${error.message}\n`);
  return 2;
});
