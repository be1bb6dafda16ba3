import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { BehaviorSubject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  binanceStreamUrl,
  BinanceStreamClient,
  serveFeed,
  type FeedServer,
} from '../feeds/index.js';
import { ARMS } from '../src/core/arm.js';
import type { MarketEvent } from '../src/core/market-event.js';
import { Decimal } from '../src/core/money.js';
import type { BotReport } from '../src/embed/bot-report.js';
import { createCanary, type Canary, type CanaryState } from '../src/embed/create-canary.js';
import type { ReportRejection } from '../src/embed/report-rejection.js';
import type { ArmStrategyConfig } from '../src/engine/replay-config.js';
import { generateAccounts } from '../src/engine/generate-accounts.js';
import { runReplay } from '../src/engine/run-replay.js';
import { DEFAULT_EXECUTION_CONFIG, NO_INJECTIONS } from '../src/execution/index.js';
import { loadArmStrategies, SimulatedBot } from '../src/live/index.js';
import type { ReportDecision, ReportJson } from '../src/report/report-json.js';
import { PLAN_PRESETS, type RolloutPlan } from '../src/rollout/index.js';
import { createCanaryServer, type CanaryServer } from '../src/server/index.js';
import { TestClient } from '../src/server/test-support/test-client.js';
import { SAMPLES } from './cli-harness.js';

// Live versus replay, end to end on loopback: serve-feed replays the bundled spot sample as fast as
// it is read → BinanceStreamClient (time exchange) → SimulatedBot, wired synchronously to an
// in-process createCanary (no agent: a routing change applies at the very event the canary
// decides it, as in a replay) → createCanaryServer → a subscriber collects the decision frames.
// They are compared with runReplay of the same file (time exchange), the same strategies,
// accounts, seed, salt, execution model and plan, its decisions mapped to the frame form
// (reportDecisionOf: report.json's `decisions`).
//
// Wiring, per market event: the bot's engine clock moves to the event's time, the canary gets the
// event (event time, marks, equity samples on interval boundaries), its state goes to the bot,
// then the bot processes the event; every report goes to the canary at once and the canary's
// state to the bot right after it. This is the replay's order: engine.process moves the clock,
// samples equity at the boundaries the event passes (where the rollout may decide), then marks,
// fills and trades; the runner sees every order, fill and reject as the engine makes it. (On this
// sample that order does not show: no command given on a boundary sample moves an account with a
// position, so the canary seeing the event after the bot passes too. Were a closing order sent
// at another event, the trading checks below would very likely catch it.)
//
// In every case the bot trades exactly as the replay's engine: the same orders, fills and rejects
// per arm, the same P&L and fees per arm to the last digit, all recorded by the canary.
//
// What is equal, and what is not:
// - `aggressive` plan, the strategies' default parameters: no account ever changes arm with a
//   position (the plan holds at 5 % and halts on its maximum duration). Every decision frame is
//   identical to the replay's: seq, event time, action, from/to weight, step, disposition, every
//   reason (codes, messages, estimates, confidence sequences, n) and the guardrails, exactly (no
//   float tolerance needed: both sides feed the same numbers to the analysis in the same order).
// - `short` without its shadow step, rolling back on its maximum duration (fast momentum): the
//   rollback comes from an equity-sample tick and sends the canary's 56 accounts back to stable
//   (flat at that moment on this sample). Every decision frame is identical, and so is the
//   trading.
// - `short` without its shadow and 50 % steps, margins ×100 and fast momentum, so that the rollout
//   moves on this sample (increase 10→100 %, promote; at 50 % the step would see no paired bucket
//   of its own before its maximum, and a step never advances before its own deterioration test
//   can speak). Same number of decisions, same
//   action, from/to weight, step, disposition and reason codes for each; the increases and the
//   promotion are identical in time and evidence. Two things differ, both because EmbeddedBooks
//   (the canary's host) moves an account to its new arm at once, as it is, while the replay's
//   TradingEngine moves it only once its positions are flattened on the arm it leaves:
//   1. The transition: the replay's rollout is "in transition" until the last closing fill and
//      does not evaluate meanwhile; the embedded one completes at once. The first decision after
//      a transition with positions to close (the hold after 10→100 % here) is taken earlier live,
//      at the event of the replay's last closing fill (150 ms), on less evidence; the step's
//      start, hence every later time gate, is the same (the transition's time).
//   2. The books: the closing fills (fees, slippage, and the marks between the move and the
//      fill) are booked on the arm the account joined, not the one it left, so the canary's loss
//      and drawdown guardrail values differ after such a transition (not their limits nor whether
//      they breached). The analysis's metrics are unaffected here but for the return comparison's
//      last digits (see roundNumbers).
//   Fixing either means EmbeddedBooks waiting for the bot's closing fills before moving an
//   account, which it cannot judge without the venue's minimum order value (a dust position is
//   never closed, and the rollout would wait forever): a design change, not done here.

const SAMPLE = join(SAMPLES, 'spot_btcusdt_20240808.gz');
const TOKENS = { operator: 'operator-token-live-vs-replay', agent: 'agent-token-live-vs-replay' };
const STABLE = 'momentum@1.0.0';
const CANARY = 'momentum@2.0.0';
const SALT = 'live-vs-replay';
const SEED = 7;
const ACCOUNTS = generateAccounts(500, SEED); // as `replay --accounts 500 --seed 7`
/** Momentum deciding every few seconds (README's fast settings): enough batches to move. */
const FAST = { minHoldMs: 3000, warmupMs: 10_000 };
/** `short` without its shadow and 50 % steps, every margin ×100: a rollout that moves here. */
const SHORT_WIDE: RolloutPlan = (() => {
  const short = PLAN_PRESETS.short;
  const metrics = Object.fromEntries(
    Object.entries(short.metrics).map(([name, policy]) => [
      name,
      { ...policy, margin: policy.margin * 100 },
    ]),
  ) as unknown as RolloutPlan['metrics'];
  return {
    ...short,
    name: 'short-wide',
    steps: short.steps.filter((step) => step.weightPct === 10 || step.weightPct === 100),
    metrics,
  };
})();

/** `short` without its shadow step, rolling back when a step outlasts its maximum duration. */
const SHORT_ROLLBACK: RolloutPlan = {
  ...PLAN_PRESETS.short,
  name: 'short-rollback',
  steps: PLAN_PRESETS.short.steps.filter((step) => step.weightPct > 0),
  onMaxDuration: 'rollback',
};

const open: { feeds: FeedServer[]; servers: CanaryServer[]; clients: TestClient[] } = {
  feeds: [],
  servers: [],
  clients: [],
};

afterEach(async () => {
  for (const client of open.clients.splice(0)) client.close();
  await Promise.all(open.servers.splice(0).map((server) => server.close()));
  await Promise.all(open.feeds.splice(0).map((feed) => feed.close()));
});

interface Setup {
  readonly plan: RolloutPlan;
  readonly strategies: Record<'stable' | 'canary', ArmStrategyConfig>;
}

async function setupOf(plan: RolloutPlan, params?: unknown): Promise<Setup> {
  const strategies = await loadArmStrategies({
    stable: STABLE,
    canary: CANARY,
    ...(params === undefined ? {} : { stableParams: params, canaryParams: params }),
  });
  return { plan, strategies };
}

interface Replayed {
  readonly decisions: ReportDecision[];
  readonly events: number;
  readonly arms: ReportJson['arms'];
}

/** `replay SAMPLE --time exchange --plan … --accounts 500 --seed 7 --salt …`, in process. */
async function replayOf(setup: Setup): Promise<Replayed> {
  const { report } = await runReplay({
    files: [SAMPLE],
    feed: { onBadLine: 'fail', time: 'exchange' },
    accountsSource: 'generated',
    accounts: ACCOUNTS,
    salt: SALT,
    weightBps: 0,
    seed: SEED,
    strategies: setup.strategies,
    execution: DEFAULT_EXECUTION_CONFIG,
    injections: NO_INJECTIONS,
    maxLeverage: 1,
    quantityDecimals: 8,
    sampleIntervalMs: 1000,
    rollout: { plan: setup.plan, mode: 'auto', auditPath: null },
  });
  return { decisions: [...report.decisions], events: report.inputs.events, arms: report.arms };
}

/** The bot's routing source and report sink: the canary itself, synchronously. */
class SyncLink {
  readonly state$ = new BehaviorSubject<CanaryState | null>(null);
  readonly refused: ReportRejection[] = [];
  readonly #canary: Canary;

  constructor(canary: Canary) {
    this.#canary = canary;
  }

  report(report: BotReport): void {
    const result = this.#canary.record(report);
    if (!result.accepted) this.refused.push(result.rejection);
    this.publish();
  }

  publish(): void {
    const state = this.#canary.state;
    const last = this.state$.value;
    if (last === null || last.status !== state.status || last.weightPct !== state.weightPct) {
      this.state$.next(state);
    }
  }
}

/** The live chain; returns the decision frames the subscriber saw. */
interface Lived {
  readonly frames: ReportDecision[];
  readonly events: number;
  readonly refused: ReportRejection[];
  readonly bot: SimulatedBot;
  readonly canary: Canary;
}

async function liveOf(setup: Setup, expectedEvents: number): Promise<Lived> {
  const feed = await serveFeed({ files: [SAMPLE], speed: 'max', maxClients: 1 });
  open.feeds.push(feed);
  const canary = createCanary({
    stable: STABLE,
    canary: CANARY,
    plan: setup.plan,
    salt: SALT,
    accounts: ACCOUNTS.map((a) => ({ id: a.id, capital: a.capital.toFixed() })),
    lateReportMs: 0, // one bot, one clock: nothing is ever late
  });
  const server = await createCanaryServer({ canary, tokens: TOKENS });
  open.servers.push(server);
  const subscriber = await TestClient.hello(server.url, { role: 'subscriber' });
  open.clients.push(subscriber);

  const link = new SyncLink(canary);
  const bot = new SimulatedBot({
    agentId: 'bot-1',
    accounts: ACCOUNTS,
    salt: SALT,
    strategies: setup.strategies,
    seed: SEED,
    routing: link,
    reports: link,
    startedAtMs: 1_700_000_000_000,
    // No wall clock: the bot reports a canary that decides much more slowly than stable as a
    // strategy error (a guardrail rolls back on it). With the suite on both busy cores, one stall
    // inside a timed canary decision once did that here (the check then took the mean since the
    // start), and the bot traded another rollout than the replay (4,457 orders on stable against
    // 4,205). It now needs 3 slow checks in a row, but this comparison must not hang on the
    // machine's speed at all.
    wallClockMs: () => 0,
  });
  const onEvent = (event: MarketEvent): void => {
    bot.engine.clock.advance(event.tsUs); // a command on this event's samples moves accounts now
    canary.onMarketEvent(event);
    link.publish();
    bot.onMarketEvent(event);
  };

  const client = new BinanceStreamClient({
    url: binanceStreamUrl(feed.url, feed.streams),
    time: 'exchange',
    // Room for the whole file: serve-feed sends at full speed, and on a loaded machine the bot
    // (this test's consumer) can fall behind; past the default limit the client would drop
    // events, and the bot would trade on another market than the replay.
    bufferLimit: 2 * expectedEvents + 1_000,
  });
  const guard = setTimeout(() => void client.close(), 20_000); // fewer events than the file: fail
  let events = 0;
  try {
    for await (const item of client) {
      if (item.type !== 'event') continue;
      onEvent(item.event);
      if (++events === expectedEvents) break;
    }
  } finally {
    clearTimeout(guard);
    await client.close();
  }
  // The transport delivered the file once, whole and in order: else a difference below would be
  // the feed's, not the bot's.
  expect(client.stats).toMatchObject({ dropped: 0, gaps: 0, reconnects: 0, outOfOrder: 0 });
  bot.finish();

  const lastSeq = server.stats().seq;
  await subscriber.next((f) => 'seq' in f && f.seq === lastSeq, true);
  const frames = subscriber.frames.flatMap((f) => (f.type === 'decision' ? [f.decision] : []));
  return { frames, events, refused: link.refused, bot, canary };
}

/** Action, weights, step, disposition and reason codes: what a person reads of a decision. */
const outline = (d: ReportDecision): unknown => ({
  action: d.action,
  fromWeightPct: d.fromWeightPct,
  toWeightPct: d.toWeightPct,
  stepIndex: d.stepIndex,
  disposition: d.disposition,
  codes: d.reasons.map((r) => `${r.code}${r.metric === null ? '' : `:${r.metric}`}`),
});

/** Everything but the guardrails' current values (names, limits, units and breaches stay). */
/**
 * A decision without its guardrail values (closing fills move them), its numbers to 12
 * significant digits: the arms' equity reaches the analysis as a float kept within 1e-9 of the
 * exact books, and the embedded books and the replay's ledger sum it in different orders, so the
 * return comparison may differ in its last bits.
 */
const withoutGuardrailValues = (d: ReportDecision): unknown =>
  roundNumbers({ ...d, guardrails: d.guardrails.map((g) => ({ ...g, value: null })) });

/**
 * Numbers to 9 significant digits: the closing fills booked on the arm an account joined (point 2
 * above) also reach the equity samples behind the return comparison (edgeBps), in its tenth digit
 * on this sample (since a trade fills only orders of its aggressor's side, a closing fill can
 * settle at another event than before).
 */
function roundNumbers(value: unknown): unknown {
  if (typeof value === 'number')
    return Number.isFinite(value) ? Number(value.toPrecision(9)) : value;
  if (Array.isArray(value)) return value.map(roundNumbers);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundNumbers(v)]));
  return value;
}

const ms = (at: string): number => Date.parse(at);

/**
 * The bot traded as the replay's engine did: the whole file, the same orders, fills and rejects
 * per arm, the same P&L per arm to the last digit (so every routing change applied at the same
 * event), all recorded by the canary, none refused.
 */
function expectSameTrading(live: Lived, replay: Replayed): void {
  expect(live.events).toBe(replay.events);
  expect(live.refused).toEqual([]);
  for (const arm of ARMS) {
    const { orders, fills, rejects } = replay.arms[arm];
    expect(live.bot.stats.arms[arm], arm).toMatchObject({ orders, fills, rejects });
    expect(live.canary.recorded[arm], arm).toEqual({ orders, fills, rejects });
    const totals = live.bot.engine.ledger.armTotals(arm);
    expect(totals.pnl.equals(new Decimal(replay.arms[arm].pnl)), `${arm} pnl`).toBe(true);
    expect(totals.fees.equals(new Decimal(replay.arms[arm].fees)), `${arm} fees`).toBe(true);
  }
}

describe('live (serve-feed → bot → embedded canary → server) versus replay of the same file', () => {
  it('aggressive plan: every decision frame is the replay decision, field for field', async () => {
    const setup = await setupOf(PLAN_PRESETS.aggressive);
    const replay = await replayOf(setup);
    const live = await liveOf(setup, replay.events);

    expectSameTrading(live, replay);
    // The sample makes the plan wait, judge and halt: enough to compare (not only the start).
    expect(replay.decisions.length).toBeGreaterThanOrEqual(5);
    expect(replay.decisions.some((d) => d.reasons.some((r) => r.estimate !== null))).toBe(true);
    expect(replay.decisions.some((d) => d.reasons[0]?.code === 'MAX_DURATION')).toBe(true);
    expect(live.frames).toEqual(replay.decisions);
  });

  it('a rollback on a maximum duration (an equity-sample tick): identical decisions and trading', async () => {
    const setup = await setupOf(SHORT_ROLLBACK, FAST);
    const replay = await replayOf(setup);
    const live = await liveOf(setup, replay.events);

    expectSameTrading(live, replay);
    const last = replay.decisions.at(-1);
    expect(last).toMatchObject({ action: 'rollback', fromWeightPct: 10, toWeightPct: 0 });
    expect(last?.reasons[0]?.code).toBe('MAX_DURATION');
    expect(live.frames).toEqual(replay.decisions);
  });

  it('a plan that moves (increase, promote): same decisions; a transition’s closing fills explain the rest', async () => {
    const setup = await setupOf(SHORT_WIDE, FAST);
    const replay = await replayOf(setup);
    const live = await liveOf(setup, replay.events);

    expectSameTrading(live, replay);
    const moves = (ds: readonly ReportDecision[]): unknown[] =>
      ds.filter((d) => d.action !== 'hold').map((d) => [d.action, d.fromWeightPct, d.toWeightPct]);
    expect(moves(replay.decisions)).toEqual([
      ['increase', 10, 100],
      ['promote', 100, 100],
    ]);

    // Decision for decision: the same action, weights, step, disposition and reason codes.
    expect(live.frames.map(outline)).toEqual(replay.decisions.map(outline));

    // The moves: the same event time and evidence (guardrail values aside: closing fills).
    for (const [i, d] of replay.decisions.entries()) {
      if (d.action === 'hold') continue;
      expect(withoutGuardrailValues(live.frames[i]!), `decision ${i}`).toEqual(
        withoutGuardrailValues(d),
      );
    }

    // Any other difference is the first decision after a move, taken live while the replay still
    // waited for closing fills: a hold, after the move and no later than the replay's, within 1 s.
    const differing = replay.decisions.flatMap((d, i) =>
      isDeepStrictEqual(withoutGuardrailValues(live.frames[i]!), withoutGuardrailValues(d))
        ? []
        : [i],
    );
    expect(differing.length).toBeLessThanOrEqual(1); // at most one per increase
    for (const i of differing) {
      const replayed = replay.decisions[i]!;
      const lived = live.frames[i]!;
      const move = replay.decisions[i - 1]!;
      expect(replayed.action, `decision ${i}`).toBe('hold');
      expect(move.action, `decision ${i - 1}`).toBe('increase');
      expect(ms(lived.at)).toBeGreaterThanOrEqual(ms(move.at));
      expect(ms(lived.at)).toBeLessThanOrEqual(ms(replayed.at));
      expect(ms(replayed.at) - ms(move.at)).toBeLessThan(1000);
    }
  });
});
