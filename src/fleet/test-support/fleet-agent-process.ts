/**
 * One bot of the fleet tests (on the websocket, or on NATS with `nats`), as its own process: `node --import tsx fleet-agent-process.ts JSON`.
 * Every 10 s of event time each of its accounts trades (an order, then its fill, and every 500th
 * order a reject instead), routed by the server's weight, through a {@link CanaryAgent} with an
 * outbox journal. Event time runs `speed` times faster than the wall clock from `wallStartMs`
 * (every agent is given the same), so a restarted agent takes up where the clock is. Prints one
 * JSON line per state it hears (`{"state":…}`), per connection (`{"connected":n}`), per tick it
 * has reported (`{"tick":n}`, n ticks of 10 s after t0), and at the end `{"done":stats}` once every
 * report is acknowledged.
 */
import { CanaryAgent } from '../canary-agent.js';
import { NatsAgentTransport } from '../nats-agent-transport.js';
import type { CanaryState } from '../../embed/create-canary.js';

interface FleetAgentArgs {
  /** The server's websocket URL and agent token; or `nats`: the agent reports on NATS. */
  readonly url: string;
  readonly token: string;
  readonly nats?: { readonly url: string; readonly rollout: string };
  readonly agentId: string;
  readonly salt: string;
  readonly accountIds: readonly string[];
  readonly outboxPath: string;
  readonly t0Ms: number;
  readonly wallStartMs: number;
  readonly speed: number;
  /** Event time to stop at, ms. */
  readonly untilMs: number;
}

const TICK_MS = 10_000;
const args = JSON.parse(process.argv[2] ?? '{}') as FleetAgentArgs;
const agent = new CanaryAgent({
  ...(args.nats === undefined
    ? { url: args.url, token: args.token }
    : {
        transport: new NatsAgentTransport({
          url: args.nats.url,
          rollout: args.nats.rollout,
          agentId: args.agentId,
        }),
      }),
  agentId: args.agentId,
  salt: args.salt,
  accounts: args.accountIds.map((id) => ({ id })),
  outboxPath: args.outboxPath,
  outboxCompactAfterAcks: Number.MAX_SAFE_INTEGER, // the journal stays the full history
  backoff: { initialMs: 100, maxMs: 500 },
});
const print = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};
let lastState: CanaryState | null = null;
agent.state$.subscribe((state) => {
  if (state === null) return;
  if (
    lastState?.status === state.status &&
    lastState.weightPct === state.weightPct &&
    lastState.halted === state.halted
  ) {
    return;
  }
  lastState = state;
  print({ state: { status: state.status, weightPct: state.weightPct, halted: state.halted } });
});
agent.status$.subscribe((status) => {
  if (status.type === 'connected') print({ connected: status.replaying });
  if (status.type === 'refused') {
    print({ refused: status.message });
    process.exit(3);
  }
});

const eventNowMs = (): number => args.t0Ms + (Date.now() - args.wallStartMs) * args.speed;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function run(): Promise<void> {
  let n = 0;
  let tick = Math.max(0, Math.ceil((eventNowMs() - args.t0Ms) / TICK_MS));
  for (;;) {
    const tickMs = args.t0Ms + tick * TICK_MS;
    if (tickMs > args.untilMs) break;
    await sleep((tickMs - eventNowMs()) / args.speed);
    agent.market({
      type: 'trade',
      tsUs: tickMs * 1000,
      exchangeTsUs: null,
      exchange: 'binance',
      symbol: 'BTCUSDT',
      id: null,
      side: null,
      price: '60000',
      priceNum: 60_000,
      size: '1',
      sizeNum: 1,
    });
    const side = tick % 2 === 0 ? 'buy' : 'sell';
    for (const accountId of args.accountIds) {
      const orderId = `${args.agentId}-${process.pid}-${++n}`;
      const order = {
        orderId,
        accountId,
        arm: agent.route(accountId),
        symbol: 'BTCUSDT',
        side,
        quantity: '0.001',
        decisionTsMs: tickMs,
      } as const;
      agent.report({ type: 'order', ...order });
      if (n % 500 === 0) {
        agent.report({ type: 'reject', ...order, reason: 'VENUE', tsMs: tickMs + 20 });
        continue;
      }
      agent.report({
        type: 'fill',
        ...order,
        fillId: `${orderId}-f`,
        price: '60000',
        fee: '0.06',
        tsMs: tickMs + 20,
        latencyMs: 20 + (n % 5),
        slippageBps: ((n % 9) - 4) * 0.1,
      });
    }
    agent.clock(tickMs + 20);
    print({ tick });
    tick++;
  }
  await agent.flush(60_000);
  print({ done: agent.stats });
  await agent.close();
}

run().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
