import { loadStrategyDefinition, parseStrategyParams } from '../../strategies/index.js';
import type { Arm } from '../core/arm.js';
import type { ArmStrategyConfig } from './replay-config.js';

/** The two strategy versions of a bot, as `replay` takes them (`--stable`, `--canary`). */
export interface ArmStrategySpecs {
  /** A bundled id (`momentum@1.0.0`) or a module path (`./my-strategy.ts`). */
  readonly stable: string;
  readonly canary: string;
  /** Parameters (as parsed JSON), validated here (`parseParams`). */
  readonly stableParams?: unknown;
  readonly canaryParams?: unknown;
}

/**
 * Loads each arm's strategy definition (a bundled id or a module: `loadStrategyDefinition`) and
 * validates its parameters. Throws `ConfigError` `E_STRATEGY_UNKNOWN`, `E_STRATEGY_LOAD`,
 * `E_STRATEGY_INVALID` or `E_STRATEGY_PARAMS`.
 */
export async function loadArmStrategies(
  specs: ArmStrategySpecs,
): Promise<Record<Arm, ArmStrategyConfig>> {
  const stable = await loadStrategyDefinition(specs.stable);
  const canary = await loadStrategyDefinition(specs.canary);
  return {
    stable: {
      spec: specs.stable,
      definition: stable,
      params: parseStrategyParams(stable, specs.stableParams),
    },
    canary: {
      spec: specs.canary,
      definition: canary,
      params: parseStrategyParams(canary, specs.canaryParams),
    },
  };
}
