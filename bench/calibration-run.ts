import { getStrategyDefinition } from '../strategies/index.js';
import type { Arm } from '../src/core/arm.js';
import { generateAccounts } from '../src/engine/generate-accounts.js';
import type { ArmStrategyConfig } from '../src/engine/replay-config.js';
import { runReplay } from '../src/engine/run-replay.js';
import { DEFAULT_EXECUTION_CONFIG, parseInjectSpecs } from '../src/execution/index.js';
import { loadPlan, scalePlan } from '../src/rollout/index.js';

/** One calibration replay: which data, which account split, which fault, which plan. */
export interface CalibrationJob {
  readonly id: number;
  readonly scenario: string;
  readonly files: readonly string[];
  readonly salt: string;
  readonly seed: number;
  readonly accounts: number;
  readonly plan: string;
  readonly planTimeScale: number;
  /** The same strategy on both arms (A/A), with these parameters. */
  readonly strategy: string;
  readonly strategyParams: unknown;
  readonly inject: readonly string[];
}

/** What a calibration replay decided, and what it cost to get there. */
export interface CalibrationResult {
  readonly id: number;
  readonly scenario: string;
  readonly outcome: string;
  /** Event time from the first event to the rollout's end (or to the end of the data), minutes. */
  readonly minutes: number;
  readonly canaryFills: number;
  readonly canaryCapitalMinutes: number;
  readonly maxCanarySharePct: number;
  /** The reason code and metric of the decision that ended the rollout. */
  readonly endedBy: string | null;
  /** What seed 004's threshold rules said on the same data. */
  readonly naiveRolledBack: boolean;
  readonly naiveAdvanced: boolean;
}

function armStrategy(id: string, params: unknown): ArmStrategyConfig {
  const definition = getStrategyDefinition(id);
  if (definition === undefined) throw new Error(`no bundled strategy ${id}`);
  return { spec: id, definition, params: definition.parseParams(params) };
}

/** Runs one calibration replay in this process (no files written: the audit log stays in memory). */
export async function runCalibrationJob(job: CalibrationJob): Promise<CalibrationResult> {
  let plan = await loadPlan(job.plan);
  if (job.planTimeScale !== 1) plan = scalePlan(plan, job.planTimeScale);
  const strategies: Record<Arm, ArmStrategyConfig> = {
    stable: armStrategy(job.strategy, job.strategyParams),
    canary: armStrategy(job.strategy, job.strategyParams),
  };
  const { report, rollout } = await runReplay({
    files: job.files,
    feed: { onBadLine: 'fail' },
    accountsSource: 'generated',
    accounts: generateAccounts(job.accounts, job.seed),
    salt: job.salt,
    weightBps: 0,
    seed: job.seed,
    strategies,
    execution: DEFAULT_EXECUTION_CONFIG,
    injections: parseInjectSpecs(job.inject),
    maxLeverage: 1,
    quantityDecimals: 8,
    sampleIntervalMs: 1000,
    rollout: { plan, mode: 'auto', auditPath: null, stopWhenFinished: true, naiveBaseline: true },
  });
  const last = [...report.decisions].reverse().find((d) => d.action !== 'hold');
  const main = last?.reasons[0];
  const firstTs = Date.parse(report.inputs.firstEventAt ?? '');
  const endTs =
    last !== undefined && (report.outcome === 'promoted' || report.outcome === 'rolled_back')
      ? Date.parse(last.at)
      : Date.parse(report.inputs.lastEventAt ?? '');
  const naive = rollout?.naiveOutcome;
  return {
    id: job.id,
    scenario: job.scenario,
    outcome: report.outcome,
    minutes: (endTs - firstTs) / 60_000,
    canaryFills: rollout?.canaryCounts().fills ?? 0,
    canaryCapitalMinutes: report.exposure.canaryCapitalMinutes,
    maxCanarySharePct: report.exposure.maxCapitalSharePct,
    endedBy:
      main === undefined ? null : `${main.code}${main.metric === null ? '' : ` ${main.metric}`}`,
    naiveRolledBack: naive?.firstRollbackTsUs != null,
    naiveAdvanced: naive?.firstAdvanceTsUs != null,
  };
}
