import { z } from 'zod';
import type { Strategy, StrategyDefinition } from '../../src/core/strategy.js';
import { parseParamsWith } from '../shared/parse-params.js';
import { MeanReversionStrategy } from './mean-reversion-strategy.js';

const ID = 'mean-reversion@1.0.0';

/** Parameters of `mean-reversion@1.0.0`; every field is optional (defaults in brackets). */
export const meanReversionV1ParamsSchema = z
  .strictObject({
    /** Time constant of the mean (EWMA of price), ms of event time [30 000]. */
    meanMs: z.number().positive().default(30_000),
    /** Time constant of σ, the RMS distance of the price from the mean, ms [300 000]. */
    volMs: z.number().positive().default(300_000),
    /** Fade when the price is more than entryZ σ from the mean [2]. */
    entryZ: z.number().positive().default(2),
    /** Exit when the price is back within exitZ σ of the mean [0.25]; below entryZ. */
    exitZ: z.number().min(0).default(0.25),
    /** Floor of σ, bps of the mean [0.5]. */
    minSigmaBps: z.number().positive().default(0.5),
    /** Stop loss after this adverse move from the entry price, bps [15]. */
    stopLossBps: z.number().positive().default(15),
    /** Exposure, % of equity [1]. */
    sizingPct: z.number().positive().max(100).default(1),
    /** Minimum time between signal-driven target changes, ms [10 000]. */
    minHoldMs: z.number().min(0).default(10_000),
    /** Watch time before the first entry (and after a gap), ms [30 000]. */
    warmupMs: z.number().min(0).default(30_000),
    /** A silence longer than this restarts the signal, ms [300 000]. */
    resetAfterGapMs: z.number().positive().default(300_000),
  })
  .refine((p) => p.exitZ < p.entryZ, {
    message: 'exitZ must be less than entryZ',
    path: ['exitZ'],
  });

/** Validated parameters of `mean-reversion@1.0.0`. */
export type MeanReversionV1Params = z.infer<typeof meanReversionV1ParamsSchema>;

/**
 * `mean-reversion@1.0.0`: fades moves beyond entryZ σ from a time-decayed mean, exits near the
 * mean, stop-loss 15 bps from the arm's entry price; exposure 1 % of equity.
 *
 * @example
 * const strategy = meanReversionV1.create(meanReversionV1.parseParams({ entryZ: 2.5 }));
 */
export const meanReversionV1: StrategyDefinition<MeanReversionV1Params> = {
  name: 'mean-reversion',
  version: '1.0.0',
  description:
    'Fades 2σ stretches from a 30 s EWMA of price, exits near the mean, 15 bps stop, 1 % sizing.',
  parseParams: (input: unknown): MeanReversionV1Params =>
    parseParamsWith(meanReversionV1ParamsSchema, input, ID),
  create: (params: MeanReversionV1Params): Strategy =>
    new MeanReversionStrategy({
      id: ID,
      meanTauUs: params.meanMs * 1000,
      volTauUs: params.volMs * 1000,
      warmupUs: params.warmupMs * 1000,
      resetAfterGapUs: params.resetAfterGapMs * 1000,
      minHoldUs: params.minHoldMs * 1000,
      entryZ: params.entryZ,
      exitZ: params.exitZ,
      minSigmaBps: params.minSigmaBps,
      stopLossBps: params.stopLossBps,
      sizingPct: params.sizingPct,
    }),
};
