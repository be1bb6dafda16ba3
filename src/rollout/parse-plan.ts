import { z } from 'zod';
import { guardrailLimitIssues } from '../analysis/index.js';
import {
  DEFAULT_ANALYSIS_INTERVAL_MS,
  DEFAULT_GUARDRAIL_LIMITS,
  GUARDRAIL_LIMIT_NAMES,
  DEFAULT_ON_MAX_DURATION,
  DEFAULT_PLAN_METRICS,
  DEFAULT_POSITIONS_POLICY,
  DEFAULT_REQUIRED_METRICS,
  MAX_DURATION_FACTOR,
} from './plan-defaults.js';
import { PlanError, type PlanIssue } from './plan-error.js';
import { calendarIssues, type PlanCalendar } from './trading-calendar.js';
import {
  PLAN_METRIC_NAMES,
  planGuardrailLimits,
  type MetricOverride,
  type PlanMetricName,
  type PlanMetricPolicy,
  type PlanRequirement,
  type PlanStep,
  type RolloutPlan,
  segmentPlan,
} from './plan.js';

const onMaxDurationSchema = z.enum(['halt', 'rollback']);

const metricOverrideSchema = z.strictObject({
  margin: z.number().optional(),
  nonInferiorityAlpha: z.number().optional(),
  // Not accepted any more (a step cannot set the rollout's false-rollback budget): kept in the
  // schema only to say so clearly in validatePlan's message.
  alpha: z.number().optional(),
});

const stepSchema = z.strictObject({
  name: z.string().min(1).optional(),
  weightPct: z.number(),
  minDurationMs: z.number(),
  maxDurationMs: z.number().nullable().optional(),
  minCanaryFills: z.number().optional(),
  metrics: z.record(z.string(), metricOverrideSchema).optional(),
  requireNonInferior: z
    .array(
      z.union([
        z.string(),
        z.strictObject({ metric: z.string(), scope: z.enum(['step', 'rollout']) }),
      ]),
    )
    .optional(),
  onMaxDuration: onMaxDurationSchema.optional(),
});

const timeText = z.string();
const dayNames = z.array(z.string());
const calendarSchema = z.strictObject({
  timeZone: z.string(),
  sessions: z.array(z.strictObject({ days: dayNames, open: timeText, close: timeText })).optional(),
  blackouts: z
    .array(
      z.union([
        z.strictObject({
          name: z.string(),
          daily: z.strictObject({ from: timeText, to: timeText }),
          days: dayNames.optional(),
        }),
        z.strictObject({ name: z.string(), from: timeText, to: timeText }),
      ]),
    )
    .optional(),
  durations: z.enum(['event-time', 'open']).optional(),
});

const segmentsSchema = z.strictObject({
  mode: z.enum(['parallel', 'sequence']).optional(),
  list: z
    .array(
      z.strictObject({
        name: z.string(),
        venue: z.string().min(1).nullable().optional(),
        steps: z.array(stepSchema).min(1).optional(),
      }),
    )
    .min(1),
});

/** What a plan file holds: only `steps` is required, everything else has a documented default. */
const planFileSchema = z.strictObject({
  type: z.literal('rollout-plan').optional(),
  name: z.string().min(1).optional(),
  source: z.string().optional(),
  steps: z.array(stepSchema).min(1),
  metrics: z
    .record(
      z.string(),
      z.strictObject({
        margin: z.number().optional(),
        alpha: z.number().optional(),
        nonInferiorityAlpha: z.number().optional(),
        nonInferiorityScope: z.enum(['step', 'rollout']).optional(),
        dryRun: z.boolean().optional(),
      }),
    )
    .optional(),
  guardrails: z.record(z.string(), z.number().nullable()).optional(),
  onMaxDuration: onMaxDurationSchema.optional(),
  positions: z.enum(['flatten', 'handoff']).optional(),
  analysisIntervalMs: z.number().optional(),
  baselineMs: z.number().optional(),
  calendar: calendarSchema.optional(),
  segments: segmentsSchema.optional(),
  primaryMetric: z.string().optional(),
  // Retired with the paired analysis (its sequences tune themselves to the margins): refused with
  // a message that says so.
  analysis: z.unknown().optional(),
});

type PlanFile = z.infer<typeof planFileSchema>;

/**
 * Validates a plan given as parsed JSON (the content of a plan file) and fills its defaults
 * (docs/rollout.md, "Plan files"). `file` names the source in errors. Throws a {@link PlanError}
 * (`E_PLAN`) listing every bad field with its path.
 *
 * @example
 * parsePlan({ steps: [{ weightPct: 10, minDurationMs: 60_000 }, { weightPct: 100, minDurationMs: 0 }] }, 'my-plan.json');
 */
export function parsePlan(input: unknown, file: string): RolloutPlan {
  const result = planFileSchema.safeParse(input);
  if (!result.success) {
    const issues: PlanIssue[] = [];
    for (const issue of result.error.issues)
      issues.push({ path: formatPath(issue.path), message: issue.message });
    throw new PlanError(file, issues);
  }
  const refused = [...retiredFields(result.data), ...nullWindowCounts(result.data)];
  if (refused.length > 0) throw new PlanError(file, refused);
  const plan = normalize(result.data, file);
  validatePlan(plan, file);
  return plan;
}

/** The reject guardrail's window counts, which `null` cannot turn off (they are not limits). */
const WINDOW_COUNTS = ['rejectWindowBatches', 'minBatchesForRejectRate'] as const;

/** A window count set to `null`: refused rather than silently read as its default. */
function nullWindowCounts(file: PlanFile): PlanIssue[] {
  return WINDOW_COUNTS.filter((name) => file.guardrails?.[name] === null).map((name) => ({
    path: `guardrails.${name}`,
    message:
      'is a count of batches, not a limit: null cannot turn it off (maxRejectRate: null turns the reject-rate guardrail off)',
  }));
}

/** Fields an older plan file may still carry, refused with what replaced them. */
function retiredFields(file: PlanFile): PlanIssue[] {
  const issues: PlanIssue[] = [];
  if (file.analysis !== undefined)
    issues.push({
      path: 'analysis',
      message:
        'is no longer used: the paired analysis tunes its sequences to the margins (docs/analysis.md); remove it',
    });
  file.steps.forEach((step, i) => {
    for (const [metric, override] of Object.entries(step.metrics ?? {}))
      if (override.alpha !== undefined)
        issues.push({
          path: `steps.${i}.metrics.${metric}.alpha`,
          message:
            "cannot be set per step: alpha is the metric's false-rollback budget for the whole rollout (metrics." +
            `${metric}.alpha); a step may set margin and nonInferiorityAlpha`,
        });
  });
  for (const name of ['returnBps'])
    if (
      file.metrics?.[name] !== undefined ||
      file.steps.some((s) => s.metrics?.[name] !== undefined)
    )
      issues.push({
        path: `metrics.${name}`,
        message:
          'was replaced by edgeBps: the return difference per unit of turnover, in bps of traded notional (docs/analysis.md)',
      });
  return issues;
}

/**
 * Checks a plan built in code (presets, `scalePlan`) against every rule of a plan file: weights
 * strictly increasing, at most 2 decimals, the last one 100 %; at most one shadow step (weight 0),
 * first; durations ≥ 0 and max ≥ min; fills a non-negative integer; margins > 0 and 0 < α < 0.5;
 * unique step names; overrides and requirements only for known metrics; known guardrails, each
 * in its range (`guardrailLimitIssues`); and a plan that could never reach a verdict is refused: a
 * 100 % step cannot require non-inferiority (no stable arm to compare), and a step that requires
 * it must last at least two analysis intervals before its maximum (two paired buckets are the
 * fewest any bound needs). Throws a {@link PlanError}.
 */
export function validatePlan(plan: RolloutPlan, file: string): void {
  const issues = planIssues(plan);
  if (issues.length > 0) throw new PlanError(file, issues);
}

/** Every rule violation of `plan`, in field order (empty when valid). */
export function planIssues(plan: RolloutPlan): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (plan.type !== 'rollout-plan') add('type', 'must be "rollout-plan"');
  if (plan.name === '') add('name', 'must not be empty');
  if (plan.steps.length === 0) add('steps', 'a plan needs at least one step');
  const names = new Set<string>();
  for (let i = 0; i < plan.steps.length; i++) {
    const step = plan.steps[i] as PlanStep;
    const at = `steps.${i}`;
    if (step.name === '') add(`${at}.name`, 'must not be empty');
    else if (names.has(step.name)) add(`${at}.name`, `duplicate step name "${step.name}"`);
    names.add(step.name);
    checkWeight(step.weightPct, i, plan.steps[i - 1]?.weightPct, add);
    if (i === plan.steps.length - 1 && step.weightPct !== 100)
      add(`${at}.weightPct`, `the last step must be 100 (the full switch), got ${step.weightPct}`);
    if (!(Number.isFinite(step.minDurationMs) && step.minDurationMs >= 0))
      add(`${at}.minDurationMs`, `must be a number of ms ≥ 0, got ${step.minDurationMs}`);
    if (step.maxDurationMs !== null) {
      if (!(Number.isFinite(step.maxDurationMs) && step.maxDurationMs >= 0))
        add(`${at}.maxDurationMs`, `must be a number of ms ≥ 0 or null, got ${step.maxDurationMs}`);
      else if (step.maxDurationMs < step.minDurationMs)
        add(
          `${at}.maxDurationMs`,
          `must be ≥ minDurationMs (${step.minDurationMs}), got ${step.maxDurationMs}`,
        );
    }
    if (!(Number.isInteger(step.minCanaryFills) && step.minCanaryFills >= 0))
      add(`${at}.minCanaryFills`, `must be an integer ≥ 0, got ${step.minCanaryFills}`);
    if (step.metrics !== undefined)
      for (const [metric, override] of Object.entries(step.metrics)) {
        if (!isMetricName(metric)) {
          add(`${at}.metrics.${metric}`, `unknown metric (known: ${PLAN_METRIC_NAMES.join(', ')})`);
          continue;
        }
        checkPolicyFields(override, `${at}.metrics.${metric}`, add);
      }
    const required = step.requireNonInferior;
    const seen = new Set<string>();
    for (const { metric, scope } of required) {
      if (!isMetricName(metric))
        add(
          `${at}.requireNonInferior`,
          `unknown metric "${String(metric)}" (known: ${PLAN_METRIC_NAMES.join(', ')})`,
        );
      else if (seen.has(metric)) add(`${at}.requireNonInferior`, `"${metric}" listed twice`);
      else if (plan.metrics[metric]?.dryRun === true)
        add(
          `${at}.requireNonInferior`,
          `"${metric}" is a dry-run metric (metrics.${metric}.dryRun): it never acts, so no step can require it`,
        );
      if (scope !== 'step' && scope !== 'rollout')
        add(
          `${at}.requireNonInferior`,
          `"${metric}": scope must be step or rollout, got ${String(scope)}`,
        );
      seen.add(metric);
    }
    if (required.length > 0 && step.weightPct === 100)
      add(
        `${at}.requireNonInferior`,
        'a 100 % step has no stable arm to compare with: it cannot require non-inferiority (require it on the step before)',
      );
    if (
      required.length > 0 &&
      step.maxDurationMs !== null &&
      Number.isFinite(plan.analysisIntervalMs) &&
      step.maxDurationMs < 2 * plan.analysisIntervalMs
    )
      add(
        `${at}.maxDurationMs`,
        `${step.maxDurationMs} ms cannot hold the two analysis intervals (2 × ${plan.analysisIntervalMs} ms) a verdict needs: this step could never advance; lengthen it or shorten analysisIntervalMs`,
      );
    if (step.onMaxDuration !== undefined && !isOnMaxDuration(step.onMaxDuration))
      add(`${at}.onMaxDuration`, `must be halt or rollback, got ${String(step.onMaxDuration)}`);
  }
  for (const metric of PLAN_METRIC_NAMES) {
    const policy = plan.metrics[metric] as PlanMetricPolicy | undefined;
    if (policy === undefined) {
      add(`metrics.${metric}`, 'missing');
      continue;
    }
    if (policy.margin === undefined) add(`metrics.${metric}.margin`, 'missing');
    if (policy.alpha === undefined) add(`metrics.${metric}.alpha`, 'missing');
    if (policy.nonInferiorityAlpha === undefined)
      add(`metrics.${metric}.nonInferiorityAlpha`, 'missing');
    if (policy.nonInferiorityScope !== 'step' && policy.nonInferiorityScope !== 'rollout')
      add(`metrics.${metric}.nonInferiorityScope`, 'must be step or rollout');
    checkPolicyFields(policy, `metrics.${metric}`, add);
    if (policy.alpha !== undefined && !isAlpha(policy.alpha))
      add(`metrics.${metric}.alpha`, `must be strictly between 0 and 0.5, got ${policy.alpha}`);
    if (policy.dryRun !== undefined && typeof policy.dryRun !== 'boolean')
      add(`metrics.${metric}.dryRun`, `must be true or false, got ${String(policy.dryRun)}`);
    for (const key of Object.keys(policy))
      if (
        !['margin', 'alpha', 'nonInferiorityAlpha', 'nonInferiorityScope', 'dryRun'].includes(key)
      )
        add(
          `metrics.${metric}.${key}`,
          'unknown field (known: margin, alpha, nonInferiorityAlpha, nonInferiorityScope, dryRun)',
        );
  }
  for (const metric of Object.keys(plan.metrics))
    if (!isMetricName(metric))
      add(`metrics.${metric}`, `unknown metric (known: ${PLAN_METRIC_NAMES.join(', ')})`);
  for (const name of Object.keys(plan.guardrails))
    if (!GUARDRAIL_LIMIT_NAMES.includes(name))
      add(`guardrails.${name}`, `unknown guardrail (known: ${GUARDRAIL_LIMIT_NAMES.join(', ')})`);
  for (const issue of guardrailLimitIssues(planGuardrailLimits(plan)))
    add(`guardrails.${issue.path}`, issue.message);
  if (!isOnMaxDuration(plan.onMaxDuration))
    add('onMaxDuration', `must be halt or rollback, got ${String(plan.onMaxDuration)}`);
  if (plan.positions !== 'flatten' && plan.positions !== 'handoff')
    add('positions', `must be flatten or handoff, got ${String(plan.positions)}`);
  if (
    !Number.isInteger(plan.analysisIntervalMs) ||
    plan.analysisIntervalMs < 1000 ||
    plan.analysisIntervalMs % 1000 !== 0
  )
    add(
      'analysisIntervalMs',
      `must be a whole number of seconds (a multiple of 1000 ms, at least 1000), got ${String(plan.analysisIntervalMs)}`,
    );
  const baselineMs = plan.baselineMs ?? 0;
  if (!(Number.isFinite(baselineMs) && baselineMs >= 0))
    add('baselineMs', `must be a finite number of ms ≥ 0, got ${String(plan.baselineMs)}`);
  if (plan.calendar !== undefined) issues.push(...calendarIssues(plan.calendar));
  if (plan.segments !== undefined) issues.push(...segmentsIssues(plan));
  if (plan.primaryMetric !== undefined && !isMetricName(plan.primaryMetric))
    add(
      'primaryMetric',
      `unknown metric ${JSON.stringify(plan.primaryMetric)} (known: ${PLAN_METRIC_NAMES.join(', ')})`,
    );
  return issues;
}

/** A segment's name names its directory in a run's outputs: kept to safe characters. */
const SEGMENT_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** The segments' own rules, and each segment's steps checked as a plan's (paths under the segment). */
function segmentsIssues(plan: RolloutPlan): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const names = new Set<string>();
  (plan.segments?.list ?? []).forEach((segment, i) => {
    const at = `segments.list.${i}`;
    if (!SEGMENT_NAME.test(segment.name))
      issues.push({
        path: `${at}.name`,
        message: `must be 1 to 64 lower-case letters, digits, "-" or "_" (it names a directory), got ${JSON.stringify(segment.name)}`,
      });
    else if (names.has(segment.name))
      issues.push({ path: `${at}.name`, message: `duplicate segment name "${segment.name}"` });
    names.add(segment.name);
    if (segment.steps !== undefined)
      for (const issue of planIssues(segmentPlan(plan, segment.name)))
        if (issue.path.startsWith('steps')) issues.push({ ...issue, path: `${at}.${issue.path}` });
  });
  return issues;
}

function checkWeight(
  weightPct: number,
  i: number,
  previous: number | undefined,
  add: (path: string, message: string) => void,
): void {
  const at = `steps.${i}.weightPct`;
  if (!(Number.isFinite(weightPct) && weightPct >= 0 && weightPct <= 100)) {
    add(at, `must be a percentage between 0 and 100, got ${weightPct}`);
    return;
  }
  // The router's resolution is 1 bp = 0.01 %; the same exact test as weightPctToBps.
  if (Math.round(weightPct * 100) / 100 !== weightPct)
    add(at, `must have at most 2 decimals (0.01 % steps), got ${weightPct}`);
  if (weightPct === 0 && i > 0)
    add(at, 'a shadow step (weight 0) can only be the first step, and there can be only one');
  else if (previous !== undefined && weightPct <= previous)
    add(at, `must be greater than steps.${i - 1}.weightPct (${previous}), got ${weightPct}`);
}

function checkPolicyFields(
  policy: MetricOverride,
  at: string,
  add: (path: string, message: string) => void,
): void {
  if (policy.margin !== undefined && !(Number.isFinite(policy.margin) && policy.margin > 0))
    add(`${at}.margin`, `must be > 0, got ${policy.margin}`);
  if (policy.nonInferiorityAlpha !== undefined && !isAlpha(policy.nonInferiorityAlpha))
    add(
      `${at}.nonInferiorityAlpha`,
      `must be strictly between 0 and 0.5, got ${policy.nonInferiorityAlpha}`,
    );
}

function isAlpha(value: number): boolean {
  return Number.isFinite(value) && value > 0 && value < 0.5;
}

function isMetricName(name: string): name is PlanMetricName {
  return (PLAN_METRIC_NAMES as readonly string[]).includes(name);
}

function isOnMaxDuration(value: unknown): boolean {
  return value === 'halt' || value === 'rollback';
}

function normalize(file: PlanFile, path: string): RolloutPlan {
  const metrics: Record<string, PlanMetricPolicy> = { ...DEFAULT_PLAN_METRICS };
  if (file.metrics !== undefined)
    for (const [metric, policy] of Object.entries(file.metrics)) {
      const given = Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined));
      metrics[metric] = { ...(metrics[metric] as PlanMetricPolicy), ...given };
    }
  // A metric named alone takes its own default scope (an unknown one: the step's, and an error).
  const requirement = (entry: string | { metric: string; scope: 'step' | 'rollout' }) =>
    typeof entry === 'string'
      ? { metric: entry, scope: metrics[entry]?.nonInferiorityScope ?? 'step' }
      : { metric: entry.metric, scope: entry.scope };
  const normalizeSteps = (raws: PlanFile['steps']): PlanStep[] => {
    const steps: PlanStep[] = [];
    for (const raw of raws) {
      const maxDurationMs =
        raw.maxDurationMs !== undefined
          ? raw.maxDurationMs
          : raw.minDurationMs > 0
            ? raw.minDurationMs * MAX_DURATION_FACTOR
            : null;
      steps.push({
        name: raw.name ?? (raw.weightPct === 0 ? 'shadow' : `${raw.weightPct}%`),
        weightPct: raw.weightPct,
        minDurationMs: raw.minDurationMs,
        maxDurationMs,
        minCanaryFills: raw.minCanaryFills ?? 0,
        ...(raw.metrics !== undefined ? { metrics: normalizeOverrides(raw.metrics) } : {}),
        requireNonInferior: (
          raw.requireNonInferior ??
          (raw.weightPct < 100
            ? DEFAULT_REQUIRED_METRICS.filter((metric) => metrics[metric]?.dryRun !== true)
            : [])
        ).map(requirement) as PlanRequirement[],
        ...(raw.onMaxDuration !== undefined ? { onMaxDuration: raw.onMaxDuration } : {}),
      });
    }
    return steps;
  };
  const steps = normalizeSteps(file.steps);
  const guardrails: Record<string, number> = { ...DEFAULT_GUARDRAIL_LIMITS };
  if (file.guardrails !== undefined)
    for (const [name, limit] of Object.entries(file.guardrails)) {
      if (limit === null) delete guardrails[name];
      else guardrails[name] = limit;
    }
  return {
    type: 'rollout-plan',
    name: file.name ?? baseName(path),
    source: file.source ?? path,
    steps,
    metrics: metrics as Record<PlanMetricName, PlanMetricPolicy>,
    guardrails,
    onMaxDuration: file.onMaxDuration ?? DEFAULT_ON_MAX_DURATION,
    positions: file.positions ?? DEFAULT_POSITIONS_POLICY,
    analysisIntervalMs: file.analysisIntervalMs ?? DEFAULT_ANALYSIS_INTERVAL_MS,
    ...(file.baselineMs === undefined ? {} : { baselineMs: file.baselineMs }),
    ...(file.calendar === undefined ? {} : { calendar: file.calendar as PlanCalendar }),
    ...(file.primaryMetric === undefined
      ? {}
      : { primaryMetric: file.primaryMetric as PlanMetricName }),
    ...(file.segments === undefined
      ? {}
      : {
          segments: {
            mode: file.segments.mode ?? 'parallel',
            list: file.segments.list.map((segment) => ({
              name: segment.name,
              venue: segment.venue ?? null,
              ...(segment.steps === undefined ? {} : { steps: normalizeSteps(segment.steps) }),
            })),
          },
        }),
  };
}

function normalizeOverrides(
  raw: Record<string, { margin?: number | undefined; nonInferiorityAlpha?: number | undefined }>,
): Partial<Record<PlanMetricName, MetricOverride>> {
  const out: Record<string, MetricOverride> = {};
  for (const [metric, override] of Object.entries(raw))
    out[metric] = {
      ...(override.margin !== undefined ? { margin: override.margin } : {}),
      ...(override.nonInferiorityAlpha !== undefined
        ? { nonInferiorityAlpha: override.nonInferiorityAlpha }
        : {}),
    };
  return out;
}

function baseName(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const name = path.slice(slash + 1);
  return name.endsWith('.json') ? name.slice(0, -5) : name === '' ? 'plan' : name;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(plan)' : path.map(String).join('.');
}
