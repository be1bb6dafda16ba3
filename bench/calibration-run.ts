import { getStrategyDefinition } from '../strategies/index.js';
import type { Arm } from '../src/core/arm.js';
import type { StrategyDefinition } from '../src/core/strategy.js';
import { generateAccounts } from '../src/engine/generate-accounts.js';
import type { ArmStrategyConfig } from '../src/engine/replay-config.js';
import { calibrationFeedCache } from './calibration-feed-cache.js';
import { runReplay } from '../src/engine/run-replay.js';
import {
  DEFAULT_EXECUTION_CONFIG,
  parseInjectSpecs,
  type ExecutionConfig,
} from '../src/execution/index.js';
import { loadPlan, scalePlan } from '../src/rollout/index.js';
import { laggedStrategy } from './lagged-strategy.js';

/** One arm's strategy in a calibration run: a bundled id, its parameters, and an optional lag. */
export interface ArmSpec {
  readonly strategy: string;
  readonly params?: unknown;
  /** Act on every target change this many ms of event time late (an equally good B). */
  readonly lagMs?: number;
}

/** The fill model's knobs a scenario turns (both arms). */
export interface ExecutionKnobs {
  readonly latencySigma?: number;
  readonly accountSlippageSdBps?: number;
  readonly outages?: { readonly perHour: number; readonly durationMs: number };
}

/** One calibration replay: which data, which account split, which arms, which fault, which plan. */
export interface CalibrationJob {
  readonly id: number;
  /** The scenario family (one row of the table). */
  readonly family: string;
  /** The feed's label (runs of a family on different feeds are independent). */
  readonly feed: string;
  readonly files: readonly string[];
  readonly tradesOnly: boolean;
  readonly salt: string;
  readonly seed: number;
  readonly accounts: number;
  readonly plan: string;
  readonly planTimeScale: number;
  readonly stable: ArmSpec;
  readonly canary: ArmSpec;
  readonly inject: readonly string[];
  readonly execution: ExecutionKnobs;
}

/** What a calibration replay decided, and what it cost to get there. */
export interface CalibrationResult {
  readonly id: number;
  readonly family: string;
  readonly feed: string;
  readonly outcome: string;
  /** Event time from the first event to the rollout's end (or to the end of the data), minutes. */
  readonly minutes: number;
  readonly canaryFills: number;
  readonly canaryCapitalMinutes: number;
  readonly maxCanarySharePct: number;
  /** The reason code and metric of the decision that ended the rollout (or of its last hold). */
  readonly endedBy: string | null;
  /** Some increase or promotion was applied. */
  readonly anyIncrease: boolean;
  /** What rolled it back: the analysis, a guardrail, or a step's maximum duration. */
  readonly rollbackCause: 'metric' | 'guardrail' | 'max-duration' | null;
  /** The weight the rollback left, %. */
  readonly rollbackFromWeightPct: number | null;
  /** The canary's capital at the plan's first step (quote currency). */
  readonly firstStepCanaryCapital: number;
  /** When seed 004's threshold rules would first have rolled back, minutes from the start. */
  readonly naiveRollbackMinutes: number | null;
}

/** A calibration arm as the engine takes it (a lag wraps the bundled strategy). */
export function armStrategy(spec: ArmSpec): ArmStrategyConfig {
  const found = getStrategyDefinition(spec.strategy);
  if (found === undefined) throw new Error(`no bundled strategy ${spec.strategy}`);
  const definition: StrategyDefinition =
    spec.lagMs === undefined || spec.lagMs === 0 ? found : laggedStrategy(found, spec.lagMs);
  return {
    spec: spec.lagMs ? `${spec.strategy}+lag${spec.lagMs}ms` : spec.strategy,
    definition,
    params: definition.parseParams(spec.params),
  };
}

/** The fill model with a scenario's knobs turned. */
export function executionConfig(knobs: ExecutionKnobs): ExecutionConfig {
  const sigma = knobs.latencySigma;
  const latency =
    sigma === undefined
      ? DEFAULT_EXECUTION_CONFIG.latency
      : {
          stable: { ...DEFAULT_EXECUTION_CONFIG.latency.stable, jitterSigma: sigma },
          canary: { ...DEFAULT_EXECUTION_CONFIG.latency.canary, jitterSigma: sigma },
        };
  return {
    ...DEFAULT_EXECUTION_CONFIG,
    latency,
    accountSlippageSdBps: knobs.accountSlippageSdBps ?? 0,
    outages: knobs.outages ?? null,
  };
}

/** Replays one calibration job in this process (no files written: the audit log stays in memory). */
export async function replayCalibrationJob(job: CalibrationJob) {
  let plan = await loadPlan(job.plan);
  if (job.planTimeScale !== 1) plan = scalePlan(plan, job.planTimeScale);
  const strategies: Record<Arm, ArmStrategyConfig> = {
    stable: armStrategy(job.stable),
    canary: armStrategy(job.canary),
  };
  const accounts = generateAccounts(job.accounts, job.seed);
  const { report, rollout } = await runReplay(
    {
      files: job.files,
      feed: { onBadLine: 'fail', ...(job.tradesOnly ? { tradesOnly: true } : {}) },
      accountsSource: 'generated',
      accounts,
      salt: job.salt,
      weightBps: 0,
      seed: job.seed,
      strategies,
      execution: executionConfig(job.execution),
      injections: parseInjectSpecs(job.inject),
      maxLeverage: 1,
      quantityDecimals: 8,
      sampleIntervalMs: 1000,
      rollout: { plan, mode: 'auto', auditPath: null, stopWhenFinished: true, naiveBaseline: true },
    },
    {},
    // The thread's parsed files: a worker gets the jobs of one file in a row.
    { feedCache: calibrationFeedCache },
  );
  return { report, rollout, plan, accounts };
}

/** Runs one calibration replay and sums up what it decided and what it cost. */
export async function runCalibrationJob(job: CalibrationJob): Promise<CalibrationResult> {
  const { report, rollout, plan, accounts } = await replayCalibrationJob(job);
  const applied = report.decisions.filter((d) => d.disposition === 'applied');
  const ending = [...applied]
    .reverse()
    .find((d) => d.action === 'promote' || d.action === 'rollback');
  // A halted run: what its last hold before the halt was waiting for.
  const halt = report.decisions.findIndex((d) => d.reasons[0]?.code.startsWith('MAX_DURATION'));
  const waiting = halt > 0 ? report.decisions[halt - 1] : undefined;
  const last = ending ?? waiting ?? report.decisions[report.decisions.length - 1];
  const main = last?.reasons[0];
  const firstTs = Date.parse(report.inputs.firstEventAt ?? '');
  const endTs =
    ending !== undefined ? Date.parse(ending.at) : Date.parse(report.inputs.lastEventAt ?? '');
  const rollback = applied.find((d) => d.action === 'rollback');
  const cause =
    rollback === undefined
      ? null
      : rollback.reasons.some((r) => r.code.startsWith('GUARDRAIL_'))
        ? 'guardrail'
        : rollback.reasons.some((r) => r.code === 'METRIC_WORSE')
          ? 'metric'
          : 'max-duration';
  const totalCapital = accounts.reduce((sum, a) => sum + a.capital.toNumber(), 0);
  const firstWeight = plan.steps[0]?.weightPct ?? 0;
  const exposure = report.series.exposure;
  const firstAt = exposure.weightPct.findIndex((w) => w === firstWeight && w > 0);
  const firstStepCanaryCapital =
    firstAt >= 0 ? ((exposure.capitalSharePct[firstAt] ?? 0) * totalCapital) / 100 : 0;
  const naive = rollout?.naiveOutcome;
  return {
    id: job.id,
    family: job.family,
    feed: job.feed,
    outcome: report.outcome,
    minutes: (endTs - firstTs) / 60_000,
    canaryFills: rollout?.canaryCounts().fills ?? 0,
    canaryCapitalMinutes: report.exposure.canaryCapitalMinutes,
    maxCanarySharePct: report.exposure.maxCapitalSharePct,
    endedBy:
      main === undefined
        ? null
        : `${main.code}${main.metric === null ? '' : ` ${main.metric}`}${
            ending === undefined && waiting !== undefined
              ? ` at ${waiting.fromWeightPct} % (${main.message.replace(/^hold: /, '')})`
              : ''
          }`,
    anyIncrease: applied.some((d) => d.action === 'increase' || d.action === 'promote'),
    rollbackCause: cause,
    rollbackFromWeightPct: rollback?.fromWeightPct ?? null,
    firstStepCanaryCapital,
    naiveRollbackMinutes:
      naive?.firstRollbackTsUs == null ? null : (naive.firstRollbackTsUs / 1000 - firstTs) / 60_000,
  };
}
