import type { Arm } from '../core/arm.js';
import { ConfigError } from '../core/errors.js';
import { Decimal, ZERO } from '../core/money.js';

/**
 * Faults planted on one arm's executions, on top of the normal fill model. Additive: several
 * specs for the same arm add up.
 */
export interface FaultInjection {
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
   * Every fill price worsened by exactly this many bps (buys pay more, sells get less), applied in
   * Decimal. Negative improves prices; the total stays within (-10000, 10000).
   */
  readonly slippageBps: number;
  /** Extra probability, in percent [0, 100], that an order is rejected with `INJECTED` at arrival. */
  readonly rejectPct: number;
}

/** No fault. */
export const NO_FAULT_INJECTION: FaultInjection = {
  latencyMs: 0,
  latencyPct: 0,
  slippageBps: 0,
  rejectPct: 0,
};

/** No fault on either arm. */
export const NO_INJECTIONS: Readonly<Record<Arm, FaultInjection>> = {
  stable: NO_FAULT_INJECTION,
  canary: NO_FAULT_INJECTION,
};

/** The form shown in every spec error. */
export const INJECT_SPEC_FORM =
  "ARM:latency=+20ms,slippage=+2bp,rejects=+1% (ARM is stable or canary; keys optional, any order; latency in ms|s, or % of the drawn latency; slippage in bp|bps; rejects in %; several specs separated by ';')";

const VALUE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([a-z%]*)$/;

interface Totals {
  latencyMs: Decimal;
  latencyPct: Decimal;
  slippageBps: Decimal;
  rejectPct: Decimal;
}

function specError(part: string, problem: string): ConfigError {
  return new ConfigError(
    'E_INJECT_SPEC',
    `bad --inject spec "${part}": ${problem}; expected ${INJECT_SPEC_FORM}`,
  );
}

function parseValue(part: string, item: string, key: string, raw: string): [Decimal, string] {
  const match = VALUE.exec(raw.trim().toLowerCase());
  if (match === null || match[1] === undefined)
    throw specError(part, `"${item}": ${key} value "${raw}" is not a signed number with a unit`);
  return [new Decimal(match[1]), match[2] ?? ''];
}

function applyItem(totals: Totals, part: string, item: string): void {
  const eq = item.indexOf('=');
  if (eq < 0) throw specError(part, `"${item}" is not key=value`);
  const key = item.slice(0, eq).trim().toLowerCase();
  const raw = item.slice(eq + 1);
  if (key === 'latency') {
    const [value, unit] = parseValue(part, item, key, raw);
    if (unit === 'ms') totals.latencyMs = totals.latencyMs.plus(value);
    else if (unit === 's') totals.latencyMs = totals.latencyMs.plus(value.times(1000));
    else if (unit === '%') {
      if (value.isNegative() && !value.isZero())
        throw specError(part, `"${item}": a relative latency cannot be negative`);
      totals.latencyPct = totals.latencyPct.plus(value);
    } else throw specError(part, `"${item}": latency needs the unit ms, s or %`);
  } else if (key === 'slippage') {
    const [value, unit] = parseValue(part, item, key, raw);
    if (unit !== 'bp' && unit !== 'bps')
      throw specError(part, `"${item}": slippage needs the unit bp or bps`);
    totals.slippageBps = totals.slippageBps.plus(value);
  } else if (key === 'rejects') {
    const [value, unit] = parseValue(part, item, key, raw);
    if (unit !== '%') throw specError(part, `"${item}": rejects needs the unit %`);
    if (value.isNegative() && !value.isZero())
      throw specError(
        part,
        `"${item}": rejects cannot be negative (there is no base rate to lower)`,
      );
    totals.rejectPct = totals.rejectPct.plus(value);
  } else {
    throw specError(
      part,
      `unknown key "${item.slice(0, eq).trim()}" (known: latency, slippage, rejects)`,
    );
  }
}

function applyPart(all: Record<Arm, Totals>, part: string): void {
  const colon = part.indexOf(':');
  if (colon < 0) throw specError(part, 'missing "ARM:" prefix');
  const armText = part.slice(0, colon).trim().toLowerCase();
  if (armText !== 'stable' && armText !== 'canary')
    throw specError(part, `unknown arm "${part.slice(0, colon).trim()}" (stable or canary)`);
  const body = part.slice(colon + 1);
  if (body.trim() === '') throw specError(part, 'no key=value after the arm');
  for (const item of body.split(',')) {
    if (item.trim() === '') throw specError(part, 'empty item between commas');
    applyItem(all[armText], part, item.trim());
  }
}

function toInjection(arm: Arm, totals: Totals): FaultInjection {
  if (totals.rejectPct.greaterThan(100))
    throw new ConfigError(
      'E_INJECT_SPEC',
      `bad --inject spec: ${arm} rejects add up to ${totals.rejectPct.toFixed()}%, more than 100%; expected ${INJECT_SPEC_FORM}`,
    );
  if (totals.slippageBps.abs().greaterThanOrEqualTo(10_000))
    throw new ConfigError(
      'E_INJECT_SPEC',
      `bad --inject spec: ${arm} slippage adds up to ${totals.slippageBps.toFixed()}bp, outside (-10000, 10000) (a price would reach zero); expected ${INJECT_SPEC_FORM}`,
    );
  // The sums are exact in Decimal; toNumber() gives the shortest float, e.g. 0.3 not 0.30000000000000004.
  return {
    latencyMs: totals.latencyMs.toNumber(),
    latencyPct: totals.latencyPct.toNumber(),
    slippageBps: totals.slippageBps.toNumber(),
    rejectPct: totals.rejectPct.toNumber(),
  };
}

/**
 * Parses `--inject` specs into the faults of each arm. Each string holds one or more specs
 * separated by `;`; every spec names an arm and any of `latency` (ms|s, or % of the drawn latency), `slippage` (bp|bps) and
 * `rejects` (%); everything adds up per arm. Arms not named get no fault.
 *
 * @throws ConfigError `E_INJECT_SPEC` quoting the bad part and showing the expected form.
 * @example
 * parseInjectSpecs(['canary:latency=+20ms,slippage=+2bp', 'canary:rejects=+1%']).canary;
 * // { latencyMs: 20, latencyPct: 0, slippageBps: 2, rejectPct: 1 }
 */
export function parseInjectSpecs(specs: readonly string[]): Readonly<Record<Arm, FaultInjection>> {
  const all: Record<Arm, Totals> = {
    stable: { latencyMs: ZERO, latencyPct: ZERO, slippageBps: ZERO, rejectPct: ZERO },
    canary: { latencyMs: ZERO, latencyPct: ZERO, slippageBps: ZERO, rejectPct: ZERO },
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

/**
 * One arm's faults in the `--inject` form, e.g. `canary:latency=+20ms,slippage=+2bp,rejects=+1%`;
 * `parseInjectSpecs` reads it back to the same values.
 */
export function formatFaultInjection(arm: Arm, injection: FaultInjection): string {
  const relative = injection.latencyPct === 0 ? '' : `latency=${signed(injection.latencyPct)}%,`;
  return `${arm}:${relative}latency=${signed(injection.latencyMs)}ms,slippage=${signed(injection.slippageBps)}bp,rejects=${signed(injection.rejectPct)}%`;
}
