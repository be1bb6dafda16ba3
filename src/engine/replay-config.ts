import type { Account } from '../core/account.js';
import type { Arm } from '../core/arm.js';
import type { StrategyDefinition } from '../core/strategy.js';
import type { ExecutionConfig, FaultInjection } from '../execution/index.js';
import type { FeedOptions } from '../../feeds/index.js';
import type { OperatorCommand, RolloutMode, RolloutPlan } from '../rollout/index.js';

/** One arm's strategy: how the user named it, its definition and its validated parameters. */
export interface ArmStrategyConfig {
  /** As given: a bundled id (`momentum@1.0.0`) or a module path. */
  readonly spec: string;
  readonly definition: StrategyDefinition;
  /** `definition.parseParams`'s output: the arm's instance is created from it as it is. */
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
   * One candidate's lane of an A/B/n rollout (docs/rollout.md, "Several candidates"): the accounts
   * are the lane's, and `weightBps` is a share of the lane (the router's `lane`). Absent: the book.
   */
  readonly lane?: { readonly index: number; readonly candidates: number };
  /**
   * The wall clock strategies' decision times are measured with, ms (default
   * `performance.now`); never part of the results, only of the timing printed beside them.
   */
  readonly wallClockMs?: () => number;
  /**
   * Book every account in `bigint`s, the reference representation, instead of machine words
   * (`LedgerOptions.machineWords` false): the same results to the byte, more slowly. For checking
   * the words (`replay --bigint-books`); not part of the configuration hash.
   */
  readonly bigintBooks?: boolean;
}

/** A rollout to run during the replay (instead of a fixed weight). */
export interface ReplayRollout {
  readonly plan: RolloutPlan;
  readonly mode: RolloutMode;
  /** The audit log's path, or null to keep it in memory. */
  readonly auditPath: string | null;
  /** Stop reading once the rollout has promoted or rolled back (calibration runs). */
  readonly stopWhenFinished?: boolean;
  /** Also judge the data by seed 004's threshold rules (calibration's baseline). */
  readonly naiveBaseline?: boolean;
  /** Keep the analysis's promote waiting for approve (an A/B/n candidate's lane). */
  readonly holdPromotion?: boolean;
  /** The factor the plan's durations were scaled by, for the report (default 1). */
  readonly timeScale?: number;
  /**
   * A scripted operator (`--operator FILE`): each command is applied, audited like a live
   * operator's, after the first market event at or after its time.
   */
  readonly operatorScript?: readonly OperatorCommand[];
}

/** A replay: the engine's configuration plus the files to read and how. */
export interface ReplayConfig extends EngineConfig {
  readonly files: readonly string[];
  readonly feed: FeedOptions & { readonly onBadLine: 'fail' | 'skip' };
  /** How the accounts were given, for the report: `generated` or the file path. */
  readonly accountsSource: string;
  /** A rollout plan to run; without one, the canary weight stays at `weightBps`. */
  readonly rollout?: ReplayRollout;
  /** The command line that reproduces the run, for the report (see `reproduceCommand`). */
  readonly command?: string;
  /** The segment this run is, in a segmented replay (docs/rollout.md, "Segments"). */
  readonly segment?: { readonly name: string; readonly venue: string | null };
}
