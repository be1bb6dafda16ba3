import { z } from 'zod';
import { REPORT_SCHEMA_VERSION } from './report-json.js';

// The fields of report.json (docs/report-json.md) that the reports are drawn from. Fields added
// within a schema version (absent in older files) are optional, and fields of their own beyond
// these are allowed: a schema version may gain fields without a bump.

const count = z.number().int().min(0);
const iso = z.string().nullable();
const decimal = z.string();
const orNull = z.number().nullable();

const inputFile = z.looseObject({
  path: z.string(),
  format: z.string(),
  sha256: z.string(),
  bytes: count,
  lines: count,
  events: count,
  trades: count,
  quotes: count,
  skipped: z.record(z.string(), count),
  badLines: count,
  outOfOrder: count,
  firstEventAt: iso,
  lastEventAt: iso,
});

const strategy = z.looseObject({
  id: z.string(),
  version: z.string(),
  sha256: z.string().nullable().optional(),
  params: z.unknown(),
});

const plan = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('fixed'), weightPct: z.number() }),
  z.looseObject({
    type: z.literal('plan'),
    name: z.string(),
    source: z.string(),
    hash: z.string(),
    timeScale: z.number(),
    mode: z.enum(['auto', 'manual']),
    positions: z.enum(['flatten', 'handoff']),
    steps: z.array(
      z.looseObject({ name: z.string(), weightPct: z.number(), minDurationMs: z.number() }),
    ),
    metrics: z.looseObject({}),
    guardrails: z.record(z.string(), z.number()),
    onMaxDuration: z.string(),
    baselineMs: z.number().optional(),
    calendar: z.looseObject({ timeZone: z.string() }).optional(),
  }),
]);

const inputs = z.looseObject({
  files: z.array(inputFile),
  events: count,
  firstEventAt: iso,
  lastEventAt: iso,
  seed: z.number(),
  salt: z.string(),
  plan,
  accounts: z.looseObject({ source: z.string(), count, capital: decimal }),
  strategies: z.looseObject({ stable: strategy, canary: strategy }),
  execution: z.looseObject({}),
  onBadLine: z.enum(['fail', 'skip']),
  sampleIntervalMs: z.number(),
  command: z.string().nullable(),
  segment: z
    .looseObject({ name: z.string(), venue: z.string().nullable(), events: count })
    .optional(),
});

const arm = z.looseObject({
  id: z.string(),
  accounts: count,
  capital: decimal,
  orders: count,
  fills: count,
  rejects: count,
  rejectsByReason: z.record(z.string(), count),
  strategyErrors: count,
  targetChanges: count,
  realizedPnl: decimal,
  unrealizedPnl: decimal,
  fees: decimal,
  pnl: decimal,
  equity: decimal,
  ordersBelowMinNotional: count,
  returnPct: z.number(),
  maxDrawdownPct: z.number(),
  maxDrawdownStartAt: iso,
  maxDrawdownEndAt: iso,
  fillRatio: orNull,
  sharpe: orNull,
  sortino: orNull,
  closedTrades: count,
  winRatePct: orNull,
  profitFactor: orNull,
  latencyMs: z.looseObject({ p50: orNull, p99: orNull }),
  slippageBps: z.looseObject({ mean: orNull, p95: orNull }),
});

const exposure = z.looseObject({
  accounts: count,
  canaryAccounts: count,
  excludedAccounts: count,
  accountSharePct: z.number(),
  capitalSharePct: z.number(),
  maxAccountSharePct: z.number(),
  maxCapitalSharePct: z.number(),
  canaryCapitalMinutes: z.number(),
});

const shadow = z.looseObject({
  paperAccounts: count,
  orders: count,
  fills: count,
  realizedPnl: decimal,
  unrealizedPnl: decimal,
  fees: decimal,
  pnl: decimal,
});

const rollout = z.looseObject({
  status: z.enum(['pending', 'shadow', 'step', 'promoted', 'rolled_back']),
  halted: z.boolean(),
  stepIndex: z.number().int().nullable(),
  finalWeightPct: z.number(),
  auditLog: z.string().nullable(),
  auditRecords: count,
  deployments: z.array(z.unknown()),
});

const reason = z.looseObject({
  code: z.string(),
  metric: z.string().nullable(),
  message: z.string(),
  estimate: orNull,
  ci: z.tuple([orNull, orNull]).nullable(),
  n: orNull,
  nStable: orNull,
  margin: orNull,
  test: z.string().nullable(),
  alpha: orNull,
  verdict: z.enum(['better', 'non_inferior', 'inconclusive', 'worse']).nullable(),
});

const decision = z.looseObject({
  seq: z.number().int().min(1),
  at: z.string(),
  action: z.enum(['increase', 'promote', 'hold', 'rollback']),
  fromWeightPct: z.number(),
  toWeightPct: z.number(),
  stepIndex: z.number().int().nullable(),
  disposition: z.enum(['applied', 'proposed', 'queued', 'refused']),
  reasons: z.array(reason),
  guardrails: z.array(
    z.looseObject({
      name: z.string(),
      value: z.number(),
      limit: z.number(),
      unit: z.string(),
      breached: z.boolean(),
    }),
  ),
});

const numbers = z.array(z.number());
const returns = z.looseObject({ tsMs: numbers, returnPct: numbers, drawdownPct: numbers });
const quantiles = z.looseObject({ q: numbers, value: numbers }).nullable();

const series = z.looseObject({
  returns: z.looseObject({ stable: returns, canary: returns }),
  exposure: z.looseObject({
    tsMs: numbers,
    weightPct: numbers,
    accountSharePct: numbers,
    capitalSharePct: numbers,
  }),
  latencyMs: z.looseObject({ stable: quantiles, canary: quantiles }),
  slippageBps: z.looseObject({ stable: quantiles, canary: quantiles }),
});

const reportJsonShape = z.looseObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.looseObject({ name: z.string(), version: z.string() }),
  inputs,
  arms: z.looseObject({ stable: arm, canary: arm }),
  exposure,
  shadow: shadow.nullable(),
  rollout: rollout.nullable(),
  decisions: z.array(decision),
  comparison: z.array(reason).nullable(),
  outcome: z.enum(['fixed_weight', 'promoted', 'rolled_back', 'halted', 'in_progress']),
  series,
});

/**
 * What is wrong with the shape of a parsed report.json of this schema version, as `field: what`
 * (the first problem, e.g. `arms: missing (an object)`), or null when it has every field the
 * reports are drawn from, of its type.
 */
export function reportJsonProblem(value: unknown): string | null {
  const parsed = reportJsonShape.safeParse(value);
  if (parsed.success) return null;
  const issue = parsed.error.issues[0];
  if (issue === undefined) return 'invalid';
  const field = issue.path.length === 0 ? '(the file)' : issue.path.map(String).join('.');
  return `${field}: ${issue.message}`;
}
