import { loadStrategyDefinition } from '../../strategies/index.js';
import type { Arm } from '../core/arm.js';
import type { ArmStrategyConfig } from './replay-config.js';

/** The two strategy versions of a bot, as `replay` takes them (`--stable`, `--canary`). */
export interface ArmStrategySpecs {
  /** A bundled id (`momentum@1.0.0`) or a module path (`./my-strategy.ts`). */
  readonly stable: string;
  readonly canary: string;
  /** Parameters (as parsed JSON); validated when the bot creates the strategies. */
  readonly stableParams?: unknown;
  readonly canaryParams?: unknown;
}

/**
 * Loads each arm's strategy definition (a bundled id or a module: `loadStrategyDefinition`).
 * Throws `ConfigError` `E_STRATEGY_UNKNOWN`, `E_STRATEGY_LOAD` or `E_STRATEGY_INVALID`.
 */
export async function loadArmStrategies(
  specs: ArmStrategySpecs,
): Promise<Record<Arm, ArmStrategyConfig>> {
  return {
    stable: {
      spec: specs.stable,
      definition: await loadStrategyDefinition(specs.stable),
      params: specs.stableParams,
    },
    canary: {
      spec: specs.canary,
      definition: await loadStrategyDefinition(specs.canary),
      params: specs.canaryParams,
    },
  };
}
