import { getStrategyDefinition } from '../strategies/index.js';
import type { Arm } from '../src/core/arm.js';
import { generateAccounts } from '../src/engine/generate-accounts.js';
import type { ArmStrategyConfig } from '../src/engine/replay-config.js';
import type { ReplayConfig } from '../src/engine/run-replay.js';
import { DEFAULT_EXECUTION_CONFIG, NO_INJECTIONS } from '../src/execution/index.js';

const STRATEGIES: Readonly<Record<Arm, string>> = {
  stable: 'momentum@1.0.0',
  canary: 'momentum@2.0.0',
};

function armStrategy(arm: Arm): ArmStrategyConfig {
  const definition = getStrategyDefinition(STRATEGIES[arm]);
  if (definition === undefined) throw new Error(`no bundled strategy ${STRATEGIES[arm]}`);
  return { spec: STRATEGIES[arm], definition, params: definition.parseParams(undefined) };
}

/**
 * The benchmark's replay: the CLI's defaults (stable momentum@1.0.0 vs canary momentum@2.0.0,
 * 10 % canary weight, 1-second samples) on `accounts` generated accounts.
 */
export function benchReplayConfig(file: string, accounts: number): ReplayConfig {
  return {
    files: [file],
    feed: { onBadLine: 'fail' },
    accountsSource: 'generated',
    accounts: generateAccounts(accounts, 1),
    salt: 'strategy-canary',
    weightBps: 1000,
    seed: 1,
    strategies: { stable: armStrategy('stable'), canary: armStrategy('canary') },
    execution: DEFAULT_EXECUTION_CONFIG,
    injections: NO_INJECTIONS,
    maxLeverage: 1,
    quantityDecimals: 8,
    sampleIntervalMs: 1000,
  };
}
