import type { Account } from '../core/account.js';
import type { Arm } from '../core/arm.js';
import type { StrategyDefinition } from '../core/strategy.js';
import type { ExecutionConfig, FaultInjection } from '../execution/index.js';

/** One arm's strategy: how the user named it, its definition and its validated parameters. */
export interface ArmStrategyConfig {
  /** As given: a bundled id (`momentum@1.0.0`) or a module path. */
  readonly spec: string;
  readonly definition: StrategyDefinition;
  readonly params: unknown;
  /** A module's sha256 (hex, of the file's bytes) when `spec` is a path; absent for bundled ids. */
  readonly moduleSha256?: string;
}

/** Everything the trading engine needs, already validated. */
export interface EngineConfig {
  readonly accounts: readonly Account[];
  readonly salt: string;
  /** Canary weight in basis points (0–10,000). */
  readonly weightBps: number;
  readonly seed: number;
  readonly strategies: Readonly<Record<Arm, ArmStrategyConfig>>;
  readonly execution: ExecutionConfig;
  readonly injections: Readonly<Record<Arm, FaultInjection>>;
  /** Gross exposure limit per account, as a multiple of equity (buying-power check). */
  readonly maxLeverage: number;
  /** Order quantities are rounded to this many decimals (base units). */
  readonly quantityDecimals: number;
  /** Event-time interval of equity samples and metrics snapshots, ms. */
  readonly sampleIntervalMs: number;
  /**
   * The wall clock strategies' decision times are measured with, ms (default
   * `performance.now`); never part of the results, only of the timing printed beside them.
   */
  readonly wallClockMs?: () => number;
}
