import { z } from 'zod';
import type { Strategy, StrategyDefinition } from '../../src/core/strategy.js';
import { parseParamsWith } from '../shared/parse-params.js';
import { MomentumStrategy } from './momentum-strategy.js';

const ID = 'momentum@2.0.0';

/** Parameters of `momentum@2.0.0`; every field is optional (defaults in brackets). */
export const momentumV2ParamsSchema = z
  .strictObject({
    /** Fast EWMA time constant, ms of event time [5 000]. */
    fastMs: z.number().positive().default(5_000),
    /** Slow EWMA time constant, ms [30 000]; must exceed fastMs. */
    slowMs: z.number().positive().default(30_000),
    /** Time constant of the noise σ estimate, ms [300 000]. */
    volMs: z.number().positive().default(300_000),
    /** Adaptive entry threshold = max(minEntryBps, volMultiple × noise σ in bps) [1.25]. */
    volMultiple: z.number().positive().default(1.25),
    /** Floor of the adaptive entry threshold, bps [1]. */
    minEntryBps: z.number().positive().default(1),
    /** Exit when the trend in the position's favour falls below exitRatio × threshold [0.25]. */
    exitRatio: z.number().min(0).max(1).default(0.25),
    /** Full strength (2 × half) when the trend reaches this multiple of the threshold [2]. */
    fullStrengthRatio: z.number().min(1).default(2),
    /** Take profit after this favourable move from the entry price, bps [12.5]. */
    takeProfitBps: z.number().positive().default(12.5),
    /** Stop loss after this adverse move from the entry price, bps [7.5]. */
    stopLossBps: z.number().positive().default(7.5),
    /** Exposure at full strength, % of equity [1.5]. */
    sizingPct: z.number().positive().max(100).default(1.5),
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

/** Validated parameters of `momentum@2.0.0`. */
export type MomentumV2Params = z.infer<typeof momentumV2ParamsSchema>;

/**
 * `momentum@2.0.0`, the canary momentum strategy: v1's signal with an entry threshold that adapts
 * to measured volatility, a tighter stop (7.5 bps vs 10), a higher target (12.5 bps vs 10) and
 * 1.5× the sizing (1.5 % × strength of equity).
 *
 * @example
 * const strategy = momentumV2.create(momentumV2.parseParams(undefined)); // all defaults
 */
export const momentumV2: StrategyDefinition<MomentumV2Params> = {
  name: 'momentum',
  version: '2.0.0',
  description:
    'Momentum v2: volatility-adaptive threshold, 7.5 bps stop, 12.5 bps target, 1.5 % sizing.',
  parseParams: (input: unknown): MomentumV2Params =>
    parseParamsWith(momentumV2ParamsSchema, input, ID),
  create: (params: MomentumV2Params): Strategy =>
    new MomentumStrategy({
      id: ID,
      fastTauUs: params.fastMs * 1000,
      slowTauUs: params.slowMs * 1000,
      warmupUs: params.warmupMs * 1000,
      resetAfterGapUs: params.resetAfterGapMs * 1000,
      minHoldUs: params.minHoldMs * 1000,
      entryBps: params.minEntryBps,
      volMultiple: params.volMultiple,
      volTauUs: params.volMs * 1000,
      exitRatio: params.exitRatio,
      fullStrengthRatio: params.fullStrengthRatio,
      takeProfitBps: params.takeProfitBps,
      stopLossBps: params.stopLossBps,
      sizingPct: params.sizingPct,
    }),
};
