import { BehaviorSubject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { openFeed } from '../../feeds/index.js';
import { ARMS, type Arm } from '../core/arm.js';
import type { Decision } from '../core/decision.js';
import type { MarketEvent } from '../core/market-event.js';
import { Decimal } from '../core/money.js';
import { botReportSchema, type BotReport } from '../embed/bot-report.js';
import { createCanary, type Canary } from '../embed/create-canary.js';
import type { CanaryState } from '../rollout/index.js';
import type { ReportRejection } from '../embed/report-rejection.js';
import { parseInjectSpecs } from '../execution/index.js';
import { PLAN_PRESETS, type RolloutPlan } from '../rollout/index.js';
import type { MarketSink, ReportSink, RoutingSource } from './agent-ports.js';
import { loadArmStrategies } from '../engine/load-arm-strategies.js';
import { SimulatedBot } from './simulated-bot.js';

/** The two consecutive BTCUSDT captures (11 minutes): enough decisions for every step's evidence. */
const SAMPLES = [
  'feeds/samples/spot_btcusdt_20240808.gz',
  'feeds/samples/spot_btcusdt_20240809.gz',
];
const SALT = 'live-bot-test';
const STARTED_AT_MS = 1_700_000_000_000;
/** Momentum deciding every few seconds: enough decision batches in six minutes (README). */
const FAST = { minHoldMs: 3000, warmupMs: 10_000 };
/**
 * The `short` preset without its shadow step (an embedded rollout has no paper execution), its
 * maxima doubled: the 50 % step waits through a quiet spell of the tape for its buckets.
 */
const SHORT_LIVE: RolloutPlan = {
  ...PLAN_PRESETS.short,
  name: 'short-live',
  steps: PLAN_PRESETS.short.steps
    .filter((step) => step.weightPct > 0)
    .map((step) => ({
      ...step,
      maxDurationMs: step.maxDurationMs === null ? null : 2 * step.maxDurationMs,
    })),
};

let events: readonly MarketEvent[] | null = null;

/** The bundled sample's events (read once). */
async function sampleEvents(): Promise<readonly MarketEvent[]> {
  if (events !== null) return events;
  const all: MarketEvent[] = [];
  for (const sample of SAMPLES)
    for await (const batch of (await openFeed(sample)).batches()) all.push(...batch);
  events = all;
  return all;
}

/**
 * A canary in this process as the bot's agent: reports recorded at once, marks and event time
 * passed on, and the canary's state published between market events, as a server's state frames
 * reach an agent (never in the middle of the engine's work on an event).
 */
class InProcessAgent implements RoutingSource, ReportSink, MarketSink {
  readonly state$ = new BehaviorSubject<CanaryState | null>(null);
  readonly reports: BotReport[] = [];
  readonly refused: ReportRejection[] = [];
  readonly #canary: Canary;

  constructor(canary: Canary) {
    this.#canary = canary;
  }

  report(report: BotReport): void {
    this.reports.push(report);
    const result = this.#canary.record(report);
    if (!result.accepted) this.refused.push(result.rejection);
  }

  market(event: MarketEvent): void {
    this.#canary.onMarketEvent(event);
  }

  clock(tsMs: number): void {
    this.#canary.clock.advance(tsMs);
  }

  publish(): void {
    const state = this.#canary.state;
    const last = this.state$.value;
    if (last === null || last.status !== state.status || last.weightPct !== state.weightPct) {
      this.state$.next(state);
    }
  }
}

interface Run {
  readonly bot: SimulatedBot;
  readonly canary: Canary;
  readonly agent: InProcessAgent;
  readonly decisions: Decision[];
}

async function run(options: {
  accounts: number;
  plan: RolloutPlan;
  inject?: string;
  lateReportMs?: number;
  /** The canary's strategy takes this many ms per event, on a wall clock it moves itself. */
  slowCanaryMs?: number;
  /** One call of the canary's strategy (a timed one, the 1,601st) stalls this many ms. */
  stallCanaryOnceMs?: number;
}): Promise<Run> {
  const accounts = Array.from({ length: options.accounts }, (_, i) => ({
    id: `acct-${String(i + 1).padStart(4, '0')}`,
    capital: '10000',
  }));
  const canary = createCanary({
    stable: 'momentum@1.0.0',
    canary: 'momentum@1.0.0',
    plan: options.plan,
    salt: SALT,
    accounts,
    lateReportMs: options.lateReportMs ?? 0,
  });
  const decisions: Decision[] = [];
  canary.decisions$.subscribe((decision) => decisions.push(decision));
  const agent = new InProcessAgent(canary);
  const strategies = await loadArmStrategies({
    stable: 'momentum@1.0.0',
    canary: 'momentum@1.0.0',
    stableParams: FAST,
    canaryParams: FAST,
  });
  let wallMs = 0;
  const slowMs = options.slowCanaryMs;
  const stallMs = options.stallCanaryOnceMs ?? 0;
  let canaryCalls = 0;
  const canaryDefinition = strategies.canary.definition;
  const bot = new SimulatedBot({
    agentId: 'bot-1',
    accounts: accounts.map((a) => ({ id: a.id, capital: new Decimal(a.capital) })),
    salt: SALT,
    strategies:
      slowMs === undefined && stallMs === 0
        ? strategies
        : {
            ...strategies,
            canary: {
              ...strategies.canary,
              definition: {
                ...canaryDefinition,
                create: (params) => {
                  const inner = canaryDefinition.create(params);
                  return {
                    id: inner.id,
                    onMarketEvent: (event) => {
                      // The engine times one event in 16 (the 1st, the 17th, …): call 1,600
                      // (from 0) is timed.
                      wallMs += (slowMs ?? 0) + (canaryCalls++ === 1600 ? stallMs : 0);
                      return inner.onMarketEvent(event);
                    },
                    targetQuantity: (t, a, p) => inner.targetQuantity(t, a, p),
                  };
                },
              },
            },
          },
    wallClockMs: () => wallMs,
    routing: agent,
    reports: agent,
    market: agent,
    startedAtMs: STARTED_AT_MS,
    ...(options.inject === undefined ? {} : { injections: parseInjectSpecs([options.inject]) }),
  });
  for (const event of await sampleEvents()) {
    bot.onMarketEvent(event);
    agent.publish();
  }
  bot.finish();
  return { bot, canary, agent, decisions };
}

function expectSameCounts(bot: SimulatedBot, canary: Canary): void {
  for (const arm of ARMS) {
    const { orders, fills, rejects } = bot.stats.arms[arm];
    expect(canary.recorded[arm], arm).toEqual({ orders, fills, rejects });
  }
}

describe('SimulatedBot: the replay engine on live events, routed by a rollout it reports to', () => {
  it('follows an A/A rollout to promotion; every report is accepted, counted on its arm', async () => {
    const { bot, canary, agent, decisions } = await run({ accounts: 1000, plan: SHORT_LIVE });

    expect(
      decisions
        .filter((d) => d.action !== 'hold' && d.disposition === 'applied')
        .map((d) => d.action),
    ).toEqual(['increase', 'increase', 'promote']);
    expect(canary.state.status).toBe('promoted');
    expect(bot.routing).toEqual({ status: 'promoted', weightBps: 10_000 });
    expect(bot.engine.accountsOn('stable')).toEqual([]);
    expect(bot.stats.routingChanges).toBe(4); // 10 % (from the first event), 50 %, 100 %, promoted
    expect(bot.stats.moves).toBe(1000);

    expect(agent.refused).toEqual([]);
    expectSameCounts(bot, canary);
    expect(bot.stats.arms.canary.fills).toBeGreaterThan(100);
    expect(bot.stats.reports).toBe(agent.reports.length);
    expect(bot.stats.events).toBe((await sampleEvents()).length);
  });

  it('follows a rollback at once: a canary 3 bp worse on slippage, then every account on stable', async () => {
    const { bot, canary, agent, decisions } = await run({
      accounts: 200,
      plan: SHORT_LIVE,
      inject: 'canary:slippage=+3bp',
    });

    const applied = decisions.filter((d) => d.action !== 'hold' && d.disposition === 'applied');
    expect(applied.map((d) => d.action)).toEqual(['rollback']);
    expect(applied[0]?.reasons[0]).toMatchObject({ code: 'METRIC_WORSE', metric: 'slippageBps' });
    expect(canary.state.status).toBe('rolled_back');
    expect(bot.engine.accountsOn('canary')).toEqual([]);
    // After the rollback the canary arm only closes what its accounts held.
    const rollbackMs = (applied[0]?.atTsUs ?? 0) / 1000;
    const lateCanaryOrders = agent.reports.filter(
      (r) => r.type === 'order' && r.arm === 'canary' && r.decisionTsMs > rollbackMs + 1000,
    );
    expect(lateCanaryOrders).toEqual([]);

    expect(agent.refused).toEqual([]);
    expectSameCounts(bot, canary);
  });

  it('reports a canary much slower than stable as a canary strategy error: the guardrail rolls it back', async () => {
    const { bot, canary, agent, decisions } = await run({
      accounts: 200,
      plan: SHORT_LIVE,
      slowCanaryMs: 5,
    });
    const slow = agent.reports.filter(
      (r) =>
        r.type === 'strategy-error' &&
        r.arm === 'canary' &&
        r.message.includes('slower than stable'),
    );
    expect(slow).toHaveLength(1); // reported once
    const rollback = decisions.find((d) => d.action === 'rollback' && d.disposition === 'applied');
    expect(rollback?.reasons[0]?.code).toMatch(/^GUARDRAIL_/);
    expect(canary.state.status).toBe('rolled_back');
    expect(bot.engine.accountsOn('canary')).toEqual([]);
    expect(agent.refused).toEqual([]);
  });

  it('does not take one stall inside a timed canary decision for a slow canary', async () => {
    const { decisions, agent, canary } = await run({
      accounts: 200,
      plan: SHORT_LIVE,
      stallCanaryOnceMs: 100,
    });
    const slow = agent.reports.filter(
      (r) => r.type === 'strategy-error' && r.message.includes('slower than stable'),
    );
    expect(slow).toEqual([]);
    expect(decisions.some((d) => d.reasons.some((r) => r.code.startsWith('GUARDRAIL_')))).toBe(
      false,
    );
    expect(canary.state.status).not.toBe('rolled_back');
  });

  it('reports each order before its fill or reject, with ids unique to the bot and its start', async () => {
    const { agent } = await run({ accounts: 50, plan: PLAN_PRESETS.aggressive });
    const reports = agent.reports;
    expect(reports.length).toBeGreaterThan(100);

    const ordered = new Map<string, Arm>();
    const fillIds = new Set<string>();
    for (const report of reports) {
      expect(botReportSchema.safeParse(report).success, JSON.stringify(report)).toBe(true);
      if (report.type === 'strategy-error') continue;
      expect(report.orderId.startsWith(`bot-1-${STARTED_AT_MS}-${report.arm}-`)).toBe(true);
      if (report.type === 'order') {
        expect(ordered.has(report.orderId)).toBe(false);
        ordered.set(report.orderId, report.arm);
        continue;
      }
      expect(ordered.get(report.orderId)).toBe(report.arm); // its order came first
      if (report.type === 'fill') {
        expect(fillIds.has(report.fillId)).toBe(false);
        fillIds.add(report.fillId);
        expect(report.quantity).toMatch(/^\d+(\.\d+)?$/u);
        expect(report.price).toMatch(/^\d+(\.\d+)?$/u);
        expect(report.fee).toMatch(/^\d+(\.\d+)?$/u);
      }
    }
    expect(fillIds.size).toBeGreaterThan(0);
  });

  it('sends marks and event time once per forward interval, and the last ones when it finishes', async () => {
    const { bot, agent } = await run({ accounts: 10, plan: PLAN_PRESETS.aggressive });
    const sample = await sampleEvents();
    const first = sample[0]!.tsUs;
    const last = sample.at(-1)!.tsUs;
    // One forward per second of event time the data touches, plus the final one.
    expect(bot.stats.forwards).toBeGreaterThan((last - first) / 1_000_000 - 5);
    expect(bot.stats.forwards).toBeLessThan((last - first) / 1_000_000 + 5);
    expect(agent.state$.value).not.toBeNull();
  });
});
