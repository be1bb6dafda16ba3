import type { Arm } from '../core/arm.js';
import { moneyToString } from '../core/money.js';
import {
  DEFAULT_JITTER_SIGMA,
  type ExecutionConfig,
  type OutageModel,
} from './execution-config.js';
import { formatFaultInjection, type FaultInjection } from './fault-injection.js';

/** One arm's latency parameters as report.json shows them. */
export interface LatencyDescription {
  readonly baseMs: number;
  readonly jitterMs: number;
  readonly jitterSigma: number;
  readonly jitterDistribution: 'lognormal';
  /** Added by fault injection, ms. */
  readonly injectedMs: number;
  /** Scaling of base + jitter by fault injection, %. */
  readonly injectedPct: number;
  /**
   * Expected submission-to-arrival latency, ms: `(baseMs + jitterMs) × (1 + injectedPct/100) +
   * injectedMs` (unconditional injections only; weight-conditional ones are in `injections`).
   */
  readonly meanArrivalMs: number;
}

/** One arm's fault injection as report.json shows it. */
export interface InjectionDescription extends FaultInjection {
  /** The same faults in `--inject` form. */
  readonly spec: string;
}

/**
 * The fill model in plain JSON for report.json (`describeFillModel()`): the assumptions as
 * sentences with the numbers in them, the parameters, and the injected faults per arm.
 * docs/fill-model.md says the same at length.
 */
export interface FillModelDescription {
  readonly model: 'full-fill-at-touch';
  readonly assumptions: readonly string[];
  /** Reject checks in the order they run, each `REASON (when)`. */
  readonly rejectChecks: readonly string[];
  readonly parameters: {
    readonly feeBps: number;
    /** Quote units, decimal string. */
    readonly minNotional: string;
    readonly protectionBandBps: number;
    readonly latency: Readonly<Record<Arm, LatencyDescription>>;
    /** Standard deviation of the per-account persistent slippage offsets, bps (0: none). */
    readonly accountSlippageSdBps: number;
    /** Venue outages (both arms), or null for none. */
    readonly outages: OutageModel | null;
  };
  readonly injections: Readonly<Record<Arm, InjectionDescription>>;
}

function latencyOf(
  config: ExecutionConfig,
  arm: Arm,
  injection: FaultInjection,
): LatencyDescription {
  const model = config.latency[arm];
  return {
    baseMs: model.baseMs,
    jitterMs: model.jitterMs,
    jitterSigma: model.jitterSigma ?? DEFAULT_JITTER_SIGMA,
    jitterDistribution: 'lognormal',
    injectedMs: injection.latencyMs,
    injectedPct: injection.latencyPct,
    meanArrivalMs:
      (model.baseMs + model.jitterMs) * (1 + injection.latencyPct / 100) + injection.latencyMs,
  };
}

/** Describes a fill model (see {@link FillModelDescription}); deterministic for the same inputs. */
export function describeFillModel(
  config: ExecutionConfig,
  injections: Readonly<Record<Arm, FaultInjection>>,
): FillModelDescription {
  const minNotional = moneyToString(config.minNotional);
  const latency = {
    stable: latencyOf(config, 'stable', injections.stable),
    canary: latencyOf(config, 'canary', injections.canary),
  };
  const armLatency = (arm: Arm): string =>
    `${arm} ${latency[arm].baseMs} ms + jitter of mean ${latency[arm].jitterMs} ms` +
    (latency[arm].injectedPct !== 0 ? `, × ${1 + latency[arm].injectedPct / 100} injected` : '') +
    (latency[arm].injectedMs !== 0 ? ` + ${latency[arm].injectedMs} ms injected` : '');
  const sd = config.accountSlippageSdBps ?? 0;
  const outages = config.outages ?? null;
  const conditional = (['stable', 'canary'] as const).flatMap((arm) =>
    (injections[arm].conditional ?? []).map(
      (tier) => `${arm} from a canary weight of ${tier.fromWeightPct}%`,
    ),
  );
  return {
    model: 'full-fill-at-touch',
    assumptions: [
      "Market orders only, filled in full at the first market event of the order's symbol at or after its arrival (event time >= arrival) that can fill its side: a quote fills a buy at the ask and a sell at the bid; a trade fills only its aggressor's side at its price (a buyer-initiated trade fills buys, a seller-initiated one sells; other orders wait), either side when its aggressor is unknown.",
      'No market impact and no queue position: the order never moves the price, never exhausts the quoted size and never waits behind other orders.',
      `Latency from submission to arrival is (base + log-normal jitter (given mean, log-space sd ${latency.stable.jitterSigma} stable / ${latency.canary.jitterSigma} canary)) × (1 + injected %) + injected ms, rounded to the µs: ${armLatency('stable')}; ${armLatency('canary')}.`,
      "Each arm draws its latencies and injected rejects from its own seeded random streams, one draw of each per submitted order in submission order, so one arm's orders never shift the other's draws.",
      "Event times are the feed's (receive time where the capture has one): an order arriving at time t fills at the first event time >= t, the book as the bot saw it then.",
      "A fill's latencyMs is the order's own latency, decision to arrival at the market (what a bot measures from sending to the venue's fill): the wait until the next market event after arrival is an artefact of discrete market data, so it moves the fill's time and price but not its latency.",
      `Fee: ${config.feeBps} bps of the fill's notional (price × quantity) in quote currency, the exact product rounded half-even to 10⁻⁸, the precision a venue reports commissions in.`,
      'Decision price: set by the engine, the mid of the last quote of the symbol at decision time, else the last trade price.',
      'Slippage: the fill price against the decision price in bps, positive = worse for us: (fill - decision) / decision × 1e4 for a buy, the negative for a sell.',
      `Rejects: MIN_NOTIONAL at submission when quantity × decision price < ${minNotional}; at arrival, in order, ${outages === null ? '' : 'VENUE (inside a venue outage), '}INJECTED (fault injection), PRICE_PROTECTION (slippage worse than ${config.protectionBandBps} bps; better prices always fill), INSUFFICIENT_BUYING_POWER (the ledger's check at the fill price); EXPIRED for orders still pending when the data ends.`,
      'Orders due at the same market event are settled one at a time in (arrival, submission) order, each report emitted before the next check, so a buying-power check sees the fills before it.',
      'Reports settled at arrival carry the time of the market event that settled them; MIN_NOTIONAL carries the submission time and EXPIRED the end of data.',
      "Fault injection per arm: latency scaled (%) and added (ms) to every order, every fill price worsened by the injected bps (decimal) and rounded half-even to the symbol's tick (the most decimals of its prices seen so far), an extra seeded share of orders rejected as INJECTED, and injected fee bps added to the fee rate (decimal).",
      conditional.length === 0
        ? 'No weight-conditional faults.'
        : `Weight-conditional faults (${conditional.join('; ')}): an order gets the faults in effect at the canary's routing weight when it is submitted (0 before a rollout's first live step, in shadow and after rollback; 100 % after promotion); they add to the unconditional ones, and the latency and reject draws stay one per order whatever applies.`,
      sd === 0
        ? 'No per-account heterogeneity: every account of an arm gets the same price at the same event.'
        : `Per-account heterogeneity: each account has a persistent slippage offset drawn from Normal(0, ${sd} bps) by a hash of the run seed and the account id (the same on either arm; a shadow step's paper copy gets its account's), added to the injected slippage in the fill price's decimal factor, the price then rounded half-even to the symbol's tick.`,
      outages === null
        ? 'No venue outages.'
        : `Venue outages: windows of ${outages.durationMs} ms starting as a Poisson process of ${outages.perHour} per hour of event time (a seeded stream per hour, independent of the orders), both arms; an order settling inside one is rejected as VENUE.`,
    ],
    rejectChecks: [
      'MIN_NOTIONAL (submission)',
      ...(outages === null ? [] : ['VENUE (arrival)']),
      'INJECTED (arrival)',
      'PRICE_PROTECTION (arrival)',
      'INSUFFICIENT_BUYING_POWER (arrival)',
      'EXPIRED (end of data)',
    ],
    parameters: {
      feeBps: config.feeBps,
      minNotional,
      protectionBandBps: config.protectionBandBps,
      latency,
      accountSlippageSdBps: sd,
      outages:
        outages === null ? null : { perHour: outages.perHour, durationMs: outages.durationMs },
    },
    injections: {
      stable: { ...injections.stable, spec: formatFaultInjection('stable', injections.stable) },
      canary: { ...injections.canary, spec: formatFaultInjection('canary', injections.canary) },
    },
  };
}
