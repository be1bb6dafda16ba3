import { z } from 'zod';
import type { Strategy, StrategyDefinition } from '../../src/core/strategy.js';
import { parseParamsWith } from '../shared/parse-params.js';
import { MomentumStrategy } from './momentum-strategy.js';

const ID = 'momentum@1.0.0';

/** Parameters of `momentum@1.0.0`; every field is optional (defaults in brackets). */
export const momentumV1ParamsSchema = z
  .strictObject({
    /** Fast EWMA time constant, ms of event time [5 000]. */
    fastMs: z.number().positive().default(5_000),
    /** Slow EWMA time constant, ms [30 000]; must exceed fastMs. */
    slowMs: z.number().positive().default(30_000),
    /** Fixed entry threshold on the trend (fast − slow) / slow, bps [1.5]. */
    entryBps: z.number().positive().default(1.5),
    /** Exit when the trend in the position's favour falls below exitRatio × entryBps [0.25]. */
    exitRatio: z.number().min(0).max(1).default(0.25),
    /** Full strength (2 × half) when the trend reaches this multiple of the threshold [2]. */
    fullStrengthRatio: z.number().min(1).default(2),
    /** Take profit after this favourable move from the entry price, bps [10]. */
    takeProfitBps: z.number().positive().default(10),
    /** Stop loss after this adverse move from the entry price, bps [10]. */
    stopLossBps: z.number().positive().default(10),
    /** Exposure at full strength, % of equity [1]. */
    sizingPct: z.number().positive().max(100).default(1),
    /** Minimum time between signal-driven target changes, ms [10 000]. */
    minHoldMs: z.number().min(0).default(10_000),
    /** Watch time before the first entry (and after a gap), ms [30 000]. */
    warmupMs: z.number().min(0).default(30_000),
    /** A silence longer than this restarts the signal, ms [300 000]. */
    resetAfterGapMs: z.number().positive().default(300_000),
  })
  .refine((p) => p.fastMs < p.slowMs, {
    message: 'fastMs must be less than slowMs',
    path: ['fastMs'],
  });

/** Validated parameters of `momentum@1.0.0`. */
export type MomentumV1Params = z.infer<typeof momentumV1ParamsSchema>;

/**
 * `momentum@1.0.0`, the stable momentum strategy: fixed entry threshold, take-profit = stop-loss =
 * 10 bps from the arm's entry price, exposure 1 % × strength (0.5 or 1) of equity.
 *
 * @example
 * const strategy = momentumV1.create(momentumV1.parseParams({ entryBps: 2 }));
 */
export const momentumV1: StrategyDefinition<MomentumV1Params> = {
  name: 'momentum',
  version: '1.0.0',
  description:
    'Trend following on fast/slow EWMAs of price; fixed threshold, 10 bps target and stop, 1 % sizing.',
  parseParams: (input: unknown): MomentumV1Params =>
    parseParamsWith(momentumV1ParamsSchema, input, ID),
  create: (params: MomentumV1Params): Strategy =>
    new MomentumStrategy({
      id: ID,
      fastTauUs: params.fastMs * 1000,
      slowTauUs: params.slowMs * 1000,
      warmupUs: params.warmupMs * 1000,
      resetAfterGapUs: params.resetAfterGapMs * 1000,
      minHoldUs: params.minHoldMs * 1000,
      entryBps: params.entryBps,
      volMultiple: null,
      volTauUs: 1,
      exitRatio: params.exitRatio,
      fullStrengthRatio: params.fullStrengthRatio,
      takeProfitBps: params.takeProfitBps,
      stopLossBps: params.stopLossBps,
      sizingPct: params.sizingPct,
    }),
};
