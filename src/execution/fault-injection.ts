import type { Arm } from '../core/arm.js';
import { ConfigError } from '../core/errors.js';
import { Decimal, ZERO } from '../core/money.js';

/** The faults one `--inject` spec plants on an arm, on top of the normal fill model. */
export interface FaultValues {
  /**
   * Added to every order's latency, ms. May be negative (a faster link) as long as the arm's
   * `baseMs` plus it stays >= 0; the broker checks that when it is built.
   */
  readonly latencyMs: number;
  /**
   * Every order's drawn latency (base + jitter) scaled up by this percentage before `latencyMs`
   * is added: `latency=+50%` makes the path half as slow again. Not negative.
   */
  readonly latencyPct: number;
  /**
   * Every fill price worsened by this many bps (buys pay more, sells get less), applied in
   * Decimal and rounded half-even to the symbol's tick. Negative improves prices; the total stays
   * within (-10000, 10000).
   */
  readonly slippageBps: number;
  /** Extra probability, in percent [0, 100], that an order is rejected with `INJECTED` at arrival. */
  readonly rejectPct: number;
  /**
   * Added to the taker fee rate of every fill, bps of its notional (Decimal; the fee is rounded to
   * 10⁻⁸ like any venue fee): a canary that
   * earns less per unit traded. May be negative as long as the arm's fee (`feeBps` of the config
   * plus this) stays >= 0; the broker checks that when it is built.
   */
  readonly feeBps: number;
}

/**
 * Faults that apply only while the canary's weight is at least `fromWeightPct` (load, rate
 * limits, market impact: regressions that appear when the canary trades more). The weight is the
 * canary's whichever arm the faults are planted on.
 */
export interface ConditionalFaults extends FaultValues {
  /** Canary weight, %, in (0, 100], 0.01 % steps: active while the weight is at least this. */
  readonly fromWeightPct: number;
}

/**
 * Faults planted on one arm's executions. Additive: several specs for the same arm add up; the
 * fields are the unconditional faults (specs without `from`, or `from=0%`).
 */
export interface FaultInjection extends FaultValues {
  /**
   * Weight-conditional faults (specs with `from=P%`), one entry per distinct threshold in
   * ascending order, each the sum of its specs. Every entry whose threshold the weight reaches
   * adds to the faults above. Omitted when there are none.
   */
  readonly conditional?: readonly ConditionalFaults[];
  /**
   * Faults that hit only a share of the accounts (specs with `accounts=P%`), on top of the
   * fields above: a canary that breaks for some accounts only. Omitted when there are none.
   */
  readonly subset?: AccountSubsetFaults;
}

/**
 * Faults of the specs with `accounts=P%`: they apply only to the orders of the accounts
 * {@link isFaultSubsetAccount} picks (a seeded hash of the account id, the same accounts on
 * either arm), added to the arm's faults for everyone.
 */
export interface AccountSubsetFaults {
  /** Share of the accounts hit, %, in (0, 100), 0.01 % steps. One share per arm. */
  readonly accountsPct: number;
  /** What those accounts get on top (its own `from` tiers in `conditional`; no nested subset). */
  readonly faults: FaultInjection;
}

/** No fault. */
export const NO_FAULT_INJECTION: FaultInjection = {
  latencyMs: 0,
  latencyPct: 0,
  slippageBps: 0,
  rejectPct: 0,
  feeBps: 0,
};

/** No fault on either arm. */
export const NO_INJECTIONS: Readonly<Record<Arm, FaultInjection>> = {
  stable: NO_FAULT_INJECTION,
  canary: NO_FAULT_INJECTION,
};

/** The form shown in every spec error. */
export const INJECT_SPEC_FORM =
  "ARM:latency=+20ms,slippage=+2bp,rejects=+1%,fees=+2bp[,from=25%][,accounts=20%] (ARM is stable or canary; keys optional, any order; latency in ms|s, or % of the drawn latency; slippage and fees in bp|bps; rejects in %; from: only while the canary's weight is at least that %; accounts: only on that share of the accounts, one share per arm; several specs separated by ';')";

const VALUE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([a-z%]*)$/;

/** Exact running sums of one arm's faults at one threshold. */
interface Totals {
  latencyMs: Decimal;
  latencyPct: Decimal;
  slippageBps: Decimal;
  rejectPct: Decimal;
  feeBps: Decimal;
}

const FAULT_KEYS = ['latencyMs', 'latencyPct', 'slippageBps', 'rejectPct', 'feeBps'] as const;

const zeroTotals = (): Totals => ({
  latencyMs: ZERO,
  latencyPct: ZERO,
  slippageBps: ZERO,
  rejectPct: ZERO,
  feeBps: ZERO,
});

function specError(part: string, problem: string): ConfigError {
  return new ConfigError(
    'E_INJECT_SPEC',
    `bad --inject spec "${part}": ${problem}; expected ${INJECT_SPEC_FORM}`,
  );
}

function totalsError(problem: string): ConfigError {
  return new ConfigError(
    'E_INJECT_SPEC',
    `bad --inject spec: ${problem}; expected ${INJECT_SPEC_FORM}`,
  );
}

function parseValue(part: string, item: string, key: string, raw: string): [Decimal, string] {
  const match = VALUE.exec(raw.trim().toLowerCase());
  if (match === null || match[1] === undefined)
    throw specError(part, `"${item}": ${key} value "${raw}" is not a signed number with a unit`);
  return [new Decimal(match[1]), match[2] ?? ''];
}

const isNegative = (value: Decimal): boolean => value.isNegative() && !value.isZero();

/**
 * Most decimal places of a slippage or fee in bp: a millionth of a basis point, far below any
 * venue's, and what keeps a fill's price and fee within the exact books' scales
 * (docs/accounting.md).
 */
export const MAX_BPS_DECIMALS = 6;

function checkBpsPlaces(part: string, item: string, key: string, value: Decimal): void {
  if (value.decimalPlaces() > MAX_BPS_DECIMALS)
    throw specError(part, `"${item}": ${key} has at most ${MAX_BPS_DECIMALS} decimals (bp)`);
}

/** A spec's condition item: `from=P%` (canary weight) or `accounts=P%` (share), in bps. */
interface ConditionItem {
  readonly key: 'from' | 'accounts';
  readonly bps: number;
}

/** Reads a `P%` between 0 and 100 with at most 2 decimals, in bps. */
function percentBps(part: string, item: string, key: string, raw: string, what: string): number {
  const [value, unit] = parseValue(part, item, key, raw);
  if (unit !== '%') throw specError(part, `"${item}": ${key} needs the unit % (${what})`);
  if (isNegative(value) || value.greaterThan(100))
    throw specError(part, `"${item}": ${key} must be a ${what} between 0% and 100%`);
  const bps = value.times(100);
  if (!bps.isInteger())
    throw specError(part, `"${item}": ${key} must have at most 2 decimals (0.01 % steps)`);
  return bps.toNumber();
}

/** Adds one `key=value` item to `totals`; returns the item's condition, if it is one. */
function applyItem(totals: Totals, part: string, item: string): ConditionItem | null {
  const eq = item.indexOf('=');
  if (eq < 0) throw specError(part, `"${item}" is not key=value`);
  const key = item.slice(0, eq).trim().toLowerCase();
  const raw = item.slice(eq + 1);
  if (key === 'latency') {
    const [value, unit] = parseValue(part, item, key, raw);
    if (unit === 'ms') totals.latencyMs = totals.latencyMs.plus(value);
    else if (unit === 's') totals.latencyMs = totals.latencyMs.plus(value.times(1000));
    else if (unit === '%') {
      if (isNegative(value))
        throw specError(part, `"${item}": a relative latency cannot be negative`);
      totals.latencyPct = totals.latencyPct.plus(value);
    } else throw specError(part, `"${item}": latency needs the unit ms, s or %`);
  } else if (key === 'slippage') {
    const [value, unit] = parseValue(part, item, key, raw);
    if (unit !== 'bp' && unit !== 'bps')
      throw specError(part, `"${item}": slippage needs the unit bp or bps`);
    checkBpsPlaces(part, item, key, value);
    totals.slippageBps = totals.slippageBps.plus(value);
  } else if (key === 'rejects') {
    const [value, unit] = parseValue(part, item, key, raw);
    if (unit !== '%') throw specError(part, `"${item}": rejects needs the unit %`);
    if (isNegative(value))
      throw specError(
        part,
        `"${item}": rejects cannot be negative (there is no base rate to lower)`,
      );
    totals.rejectPct = totals.rejectPct.plus(value);
  } else if (key === 'fees') {
    const [value, unit] = parseValue(part, item, key, raw);
    if (unit !== 'bp' && unit !== 'bps')
      throw specError(part, `"${item}": fees needs the unit bp or bps`);
    checkBpsPlaces(part, item, key, value);
    totals.feeBps = totals.feeBps.plus(value);
  } else if (key === 'from') {
    return { key, bps: percentBps(part, item, key, raw, 'canary weight') };
  } else if (key === 'accounts') {
    const bps = percentBps(part, item, key, raw, 'share of the accounts');
    if (bps === 0) throw specError(part, `"${item}": accounts must be more than 0%`);
    return { key, bps };
  } else {
    throw specError(
      part,
      `unknown key "${item.slice(0, eq).trim()}" (known: latency, slippage, rejects, fees, from, accounts)`,
    );
  }
  return null;
}

/** Per threshold (`from`, bps; 0 = unconditional): the summed faults. */
type TierTotals = Map<number, Totals>;

/** One arm's specs: those for every account, and those for one share of them. */
interface ArmTotals {
  readonly all: TierTotals;
  subset: { readonly accountsBps: number; readonly tiers: TierTotals } | null;
}

function applyPart(all: Record<Arm, ArmTotals>, part: string): void {
  const colon = part.indexOf(':');
  if (colon < 0) throw specError(part, 'missing "ARM:" prefix');
  const armText = part.slice(0, colon).trim().toLowerCase();
  if (armText !== 'stable' && armText !== 'canary')
    throw specError(part, `unknown arm "${part.slice(0, colon).trim()}" (stable or canary)`);
  const body = part.slice(colon + 1);
  if (body.trim() === '') throw specError(part, 'no key=value after the arm');
  const spec = zeroTotals();
  const conditions: { from?: number; accounts?: number } = {};
  let faults = 0;
  for (const item of body.split(',')) {
    if (item.trim() === '') throw specError(part, 'empty item between commas');
    const condition = applyItem(spec, part, item.trim());
    if (condition === null) faults++;
    else if (conditions[condition.key] !== undefined)
      throw specError(part, `${condition.key} is given twice`);
    else conditions[condition.key] = condition.bps;
  }
  if (faults === 0) {
    const given = conditions.from !== undefined ? 'from' : 'accounts';
    throw specError(part, `${given} needs at least one fault to apply`);
  }
  const arm = all[armText];
  let tiers = arm.all;
  const accountsBps = conditions.accounts ?? 10_000;
  if (accountsBps < 10_000) {
    // One share per arm: with two, an account could be in either, both or neither.
    if (arm.subset !== null && arm.subset.accountsBps !== accountsBps)
      throw specError(
        part,
        `${armText} already has faults on accounts=${arm.subset.accountsBps / 100}%; one share of the accounts per arm`,
      );
    arm.subset ??= { accountsBps, tiers: new Map() };
    tiers = arm.subset.tiers;
  }
  const threshold = conditions.from ?? 0;
  const totals = tiers.get(threshold) ?? zeroTotals();
  for (const key of FAULT_KEYS) totals[key] = totals[key].plus(spec[key]);
  tiers.set(threshold, totals);
}

const isZeroTotals = (totals: Totals): boolean => FAULT_KEYS.every((key) => totals[key].isZero());

// The sums are exact in Decimal; toNumber() gives the shortest float, e.g. 0.3 not 0.30000000000000004.
const valuesOf = (totals: Totals): FaultValues => ({
  latencyMs: totals.latencyMs.toNumber(),
  latencyPct: totals.latencyPct.toNumber(),
  slippageBps: totals.slippageBps.toNumber(),
  rejectPct: totals.rejectPct.toNumber(),
  feeBps: totals.feeBps.toNumber(),
});

/**
 * Range checks on what applies at each weight: the unconditional faults plus every tier reached
 * (for a share of the accounts, with the faults every account gets).
 */
function checkTotals(arm: Arm, layers: readonly TierTotals[], whose: string): void {
  const thresholds = [...new Set(layers.flatMap((tiers) => [...tiers.keys()]))].sort(
    (a, b) => a - b,
  );
  const running = zeroTotals();
  for (const threshold of thresholds) {
    for (const tiers of layers) {
      const totals = tiers.get(threshold);
      if (totals === undefined) continue;
      for (const key of FAULT_KEYS) running[key] = running[key].plus(totals[key]);
    }
    const at = threshold === 0 ? '' : ` at a canary weight of ${threshold / 100}% or more`;
    if (running.rejectPct.greaterThan(100))
      throw totalsError(
        `${arm} rejects add up to ${running.rejectPct.toFixed()}%${whose}${at}, more than 100%`,
      );
    if (running.slippageBps.abs().greaterThanOrEqualTo(10_000))
      throw totalsError(
        `${arm} slippage adds up to ${running.slippageBps.toFixed()}bp${whose}${at}, outside (-10000, 10000) (a price would reach zero)`,
      );
  }
}

function toInjection(arm: Arm, totals: ArmTotals): FaultInjection {
  checkTotals(arm, [totals.all], '');
  const injection = tiersToInjection(totals.all);
  if (totals.subset === null || [...totals.subset.tiers.values()].every(isZeroTotals))
    return injection;
  const share = totals.subset.accountsBps / 100;
  checkTotals(arm, [totals.all, totals.subset.tiers], ` on accounts=${share}%`);
  return {
    ...injection,
    subset: { accountsPct: share, faults: tiersToInjection(totals.subset.tiers) },
  };
}

function tiersToInjection(byThreshold: TierTotals): FaultInjection {
  const thresholds = [...byThreshold.keys()].sort((a, b) => a - b);
  const base = valuesOf(byThreshold.get(0) ?? zeroTotals());
  const conditional = thresholds
    .filter((threshold) => threshold > 0 && !isZeroTotals(byThreshold.get(threshold)!))
    .map((threshold) => ({
      ...valuesOf(byThreshold.get(threshold)!),
      fromWeightPct: threshold / 100,
    }));
  return conditional.length === 0 ? base : { ...base, conditional };
}

/**
 * Parses `--inject` specs into the faults of each arm. Each string holds one or more specs
 * separated by `;`; every spec names an arm and any of `latency` (ms|s, or % of the drawn
 * latency), `slippage` (bp|bps), `rejects` (%) and `fees` (bp|bps), optionally `from` (a canary
 * weight in %: the spec's faults apply only while the weight is at least that) and `accounts` (a
 * share in %: only those accounts' orders get them, one share per arm). Specs add up per arm,
 * share and threshold. Arms not named get no fault.
 *
 * @throws ConfigError `E_INJECT_SPEC` quoting the bad part and showing the expected form.
 * @example
 * parseInjectSpecs(['canary:latency=+20ms,slippage=+2bp', 'canary:rejects=+1%']).canary;
 * // { latencyMs: 20, latencyPct: 0, slippageBps: 2, rejectPct: 1, feeBps: 0 }
 * parseInjectSpecs(['canary:slippage=+3bp,from=25%']).canary.conditional;
 * // [{ latencyMs: 0, latencyPct: 0, slippageBps: 3, rejectPct: 0, feeBps: 0, fromWeightPct: 25 }]
 */
export function parseInjectSpecs(specs: readonly string[]): Readonly<Record<Arm, FaultInjection>> {
  const all: Record<Arm, ArmTotals> = {
    stable: { all: new Map(), subset: null },
    canary: { all: new Map(), subset: null },
  };
  for (const spec of specs) {
    for (const part of spec.split(';')) {
      if (part.trim() === '') throw specError(spec, 'empty spec');
      applyPart(all, part.trim());
    }
  }
  return { stable: toInjection('stable', all.stable), canary: toInjection('canary', all.canary) };
}

const signed = (value: number): string => {
  const text = new Decimal(String(value)).toFixed();
  return value < 0 ? text : `+${text}`;
};

/** The non-zero items of one tier, in spec order (at least one item). */
function tierItems(values: FaultValues): string[] {
  const items: string[] = [];
  if (values.latencyPct !== 0) items.push(`latency=${signed(values.latencyPct)}%`);
  if (values.latencyMs !== 0) items.push(`latency=${signed(values.latencyMs)}ms`);
  if (values.slippageBps !== 0) items.push(`slippage=${signed(values.slippageBps)}bp`);
  if (values.rejectPct !== 0) items.push(`rejects=${signed(values.rejectPct)}%`);
  if (values.feeBps !== 0) items.push(`fees=${signed(values.feeBps)}bp`);
  if (items.length === 0) items.push('latency=+0ms');
  return items;
}

/**
 * One arm's faults in the `--inject` form, e.g. `canary:latency=+20ms,slippage=+2bp,rejects=+1%`,
 * with `,fees=` when there is a fee, one `;ARM:...,from=P%` spec per conditional tier and the
 * faults of a share of the accounts as specs ending `,accounts=P%`; `parseInjectSpecs` reads it
 * back to the same values.
 */
export function formatFaultInjection(arm: Arm, injection: FaultInjection): string {
  const all = formatTiers(arm, injection);
  const subset = injection.subset;
  if (subset === undefined) return all;
  const share = `,accounts=${new Decimal(String(subset.accountsPct)).toFixed()}%`;
  const faults = subset.faults;
  const base = tierItems(faults);
  const specs = [
    ...(base[0] === 'latency=+0ms' ? [] : [`${arm}:${base.join(',')}${share}`]),
    ...(faults.conditional ?? []).map(
      (tier) =>
        `${arm}:${tierItems(tier).join(',')},from=${new Decimal(String(tier.fromWeightPct)).toFixed()}%${share}`,
    ),
  ];
  return [all, ...specs].join(';');
}

function formatTiers(arm: Arm, injection: FaultInjection): string {
  const relative = injection.latencyPct === 0 ? '' : `latency=${signed(injection.latencyPct)}%,`;
  const fees = injection.feeBps === 0 ? '' : `,fees=${signed(injection.feeBps)}bp`;
  const base = `${arm}:${relative}latency=${signed(injection.latencyMs)}ms,slippage=${signed(injection.slippageBps)}bp,rejects=${signed(injection.rejectPct)}%${fees}`;
  const tiers = (injection.conditional ?? []).map(
    (tier) =>
      `${arm}:${tierItems(tier).join(',')},from=${new Decimal(String(tier.fromWeightPct)).toFixed()}%`,
  );
  return [base, ...tiers].join(';');
}
