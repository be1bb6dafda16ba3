import { join } from 'node:path';

/** The two BTCUSDT spot samples, 23:54 to 00:05 UTC across midnight. */
export const SPOT_SAMPLES = ['spot_btcusdt_20240808.gz', 'spot_btcusdt_20240809.gz'].map((f) =>
  join('feeds', 'samples', f),
);

/** momentum@1.0.0 deciding every few seconds: enough decision batches in the samples' 11 minutes. */
export const FAST_MOMENTUM = '{"minHoldMs":3000,"warmupMs":10000}';

/** momentum@1.0.0 deciding fast as stable (the arms of every A/A replay, with {@link AA_CANARY}). */
export const FAST_STABLE = ['--stable', 'momentum@1.0.0', '--stable-params', FAST_MOMENTUM];

/** momentum@1.0.0 deciding fast as canary. */
export const AA_CANARY = ['--canary', 'momentum@1.0.0', '--canary-params', FAST_MOMENTUM];

/**
 * `replay` arguments of an A/A rollout on the spot samples (momentum@1.0.0 on both arms, deciding
 * fast, 1,000 accounts) under `plan` (a preset or a plan file), written to `out`.
 */
export function aaReplayArgs(plan: string, out: string, ...extra: string[]): string[] {
  return [
    'replay',
    ...SPOT_SAMPLES,
    '--plan',
    plan,
    ...FAST_STABLE,
    ...AA_CANARY,
    '--accounts',
    '1000',
    '--out',
    out,
    ...extra,
  ];
}
