import type { Arm } from '../core/arm.js';
import { moneyToString } from '../core/money.js';
import { DEFAULT_JITTER_SIGMA, type ExecutionConfig } from './execution-config.js';
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
  /** Expected submission-to-arrival latency, ms: `(baseMs + jitterMs) × (1 + injectedPct/100) + injectedMs`. */
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
  return {
    model: 'full-fill-at-touch',
    assumptions: [
      "Market orders only, filled in full at the first market event of the order's symbol at or after its arrival (event time >= arrival): a quote fills a buy at the ask and a sell at the bid; a trade fills either side at its price.",
      'No market impact and no queue position: the order never moves the price, never exhausts the quoted size and never waits behind other orders.',
      `Latency from submission to arrival is (base + log-normal jitter (given mean, log-space sd ${latency.stable.jitterSigma} stable / ${latency.canary.jitterSigma} canary)) × (1 + injected %) + injected ms, rounded to the µs: ${armLatency('stable')}; ${armLatency('canary')}.`,
      "Each arm draws its latencies and injected rejects from its own seeded random streams, one draw of each per submitted order in submission order, so one arm's orders never shift the other's draws.",
      "Event times are the feed's (receive time where the capture has one): an order arriving at time t fills at the first event time >= t, the book as the bot saw it then.",
      "A fill's latencyMs is the order's own latency, decision to arrival at the market (what a bot measures from sending to the venue's fill): the wait until the next market event after arrival is an artefact of discrete market data, so it moves the fill's time and price but not its latency.",
      `Fee: ${config.feeBps} bps of the fill's notional (price × quantity) in quote currency, exact decimal, not rounded to a venue fee precision.`,
      'Decision price: set by the engine, the mid of the last quote of the symbol at decision time, else the last trade price.',
      'Slippage: the fill price against the decision price in bps, positive = worse for us: (fill - decision) / decision × 1e4 for a buy, the negative for a sell.',
      `Rejects: MIN_NOTIONAL at submission when quantity × decision price < ${minNotional}; at arrival, in order, INJECTED (fault injection), PRICE_PROTECTION (slippage worse than ${config.protectionBandBps} bps; better prices always fill), INSUFFICIENT_BUYING_POWER (the ledger's check at the fill price); EXPIRED for orders still pending when the data ends.`,
      'Orders due at the same market event are settled one at a time in (arrival, submission) order, each report emitted before the next check, so a buying-power check sees the fills before it.',
      'Reports settled at arrival carry the time of the market event that settled them; MIN_NOTIONAL carries the submission time and EXPIRED the end of data.',
      'Fault injection per arm: latency scaled (%) and added (ms) to every order, every fill price worsened by exactly the injected bps (decimal), and an extra seeded share of orders rejected as INJECTED.',
    ],
    rejectChecks: [
      'MIN_NOTIONAL (submission)',
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
    },
    injections: {
      stable: { ...injections.stable, spec: formatFaultInjection('stable', injections.stable) },
      canary: { ...injections.canary, spec: formatFaultInjection('canary', injections.canary) },
    },
  };
}
