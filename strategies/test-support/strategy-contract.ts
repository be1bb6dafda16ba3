import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../src/core/market-event.js';
import type { Strategy, StrategyDefinition } from '../../src/core/strategy.js';
import {
  SECOND_US,
  T0_US,
  path,
  quote,
  runStrategy,
  syntheticFeed,
  trade,
} from './synthetic-events.js';

/** Options of {@link describeStrategyContract}. */
export interface StrategyContractOptions {
  /** Parameters every instance is created with (default: undefined, i.e. the defaults). */
  readonly params?: unknown;
  /** Inputs `parseParams` must reject (default: a number, a string, an array, an unknown key). */
  readonly garbageParams?: readonly unknown[];
  /** Whether the strategy must set at least one target on the synthetic tape (default: true). */
  readonly expectTargets?: boolean;
}

const DEFAULT_GARBAGE: readonly unknown[] = [42, 'garbage', [1, 2, 3], { noSuchParameter: 1 }];

const TWO_SYMBOLS = [
  { symbol: 'BTCUSDT', price: 60_000 },
  { symbol: 'ETHUSDT', price: 2_600 },
] as const;

/**
 * The suite every strategy must pass (bundled or user module), in the spirit of trading-signals'
 * `testIndicatorContract`: a well-formed definition, defaults and rejected garbage parameters,
 * determinism, independent instances, valid targets, no throw on awkward tapes (single event,
 * quotes only, trades only, two symbols, identical timestamps, a 1-hour gap, ±20 % jumps) and sane
 * sizing.
 *
 * @example
 * describeStrategyContract(momentumV1);
 * describeStrategyContract(await loadStrategyDefinition('examples/strategies/breakout.ts'));
 */
export function describeStrategyContract(
  definition: StrategyDefinition,
  options: StrategyContractOptions = {},
): void {
  const id = `${definition.name}@${definition.version}`;
  const create = (): Strategy => definition.create(definition.parseParams(options.params));
  const tape = syntheticFeed({ seed: 11, events: 30_000, symbols: TWO_SYMBOLS, meanGapUs: 25_000 });

  describe(`strategy contract: ${id}`, () => {
    it('has a well-formed definition whose instances carry its id', () => {
      expect(definition.name).toMatch(/^\S+$/);
      expect(definition.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(typeof definition.description).toBe('string');
      expect(definition.description.length).toBeGreaterThan(0);
      const strategy = create();
      expect(strategy.id).toBe(id);
      expect(typeof strategy.onMarketEvent).toBe('function');
      expect(typeof strategy.targetQuantity).toBe('function');
    });

    it('gives defaults for undefined params and rejects garbage', () => {
      expect(() => definition.create(definition.parseParams(undefined))).not.toThrow();
      for (const garbage of options.garbageParams ?? DEFAULT_GARBAGE) {
        expect(() => definition.parseParams(garbage), JSON.stringify(garbage)).toThrow();
      }
    });

    it('is deterministic: two instances fed the same events give identical outputs', () => {
      const first = runStrategy(create(), tape);
      const second = runStrategy(create(), tape);
      expect(second).toEqual(first);
    });

    it('keeps instances independent: feeding one does not change another', () => {
      const other = syntheticFeed({ seed: 12, events: 10_000, symbols: TWO_SYMBOLS });
      const slice = tape.slice(0, 10_000);
      const alone = runStrategy(create(), slice);
      const a = create();
      const b = create();
      const interleaved: unknown[] = [];
      for (let i = 0; i < slice.length; i++) {
        a.onMarketEvent(other[i]!);
        interleaved.push(b.onMarketEvent(slice[i]!));
      }
      expect(interleaved).toEqual(alone);
    });

    it('sets only valid targets on a synthetic two-symbol tape', () => {
      const outputs = runStrategy(create(), tape);
      expect(firstInvalidOutput(outputs, tape)).toBeNull();
      const targets = outputs.filter((output) => output !== null).length;
      if (options.expectTargets ?? true) expect(targets).toBeGreaterThan(0);
    });

    describe('does not throw, and stays valid, on awkward tapes', () => {
      const cases: readonly (readonly [string, readonly MarketEvent[]])[] = [
        ['a single trade', [trade(T0_US, 60_000)]],
        ['a single quote', [quote(T0_US, 60_000)]],
        ['quotes only', syntheticFeed({ seed: 3, events: 5_000, quoteShare: 1 })],
        ['trades only', syntheticFeed({ seed: 4, events: 5_000, quoteShare: 0 })],
        ['two symbols interleaved', interleavedSymbols()],
        ['identical timestamps', identicalTimestamps()],
        ['a 1-hour gap', withGap()],
        ['a +20 % jump', withJump(1.2)],
        ['a −20 % jump', withJump(0.8)],
      ];
      for (const [name, events] of cases) {
        it(name, () => {
          const outputs = runStrategy(create(), events);
          expect(firstInvalidOutput(outputs, events)).toBeNull();
        });
      }
    });

    it('sizes finite quantities with the sign of the exposure, 0 when equity ≤ 0', () => {
      const strategy = create();
      const sized = (exposure: number, equity: number, price: number, position = 0): number =>
        strategy.targetQuantity(
          { symbol: 'BTCUSDT', exposure, reason: 'contract' },
          { accountId: 'contract-account', capital: 10_000, equity, position },
          price,
        );
      expect(sized(0.01, 10_000, 100)).toBeGreaterThan(0);
      expect(sized(-0.01, 10_000, 100)).toBeLessThan(0);
      expect(sized(0, 10_000, 100)).toBe(0);
      expect(sized(0.01, 0, 100)).toBe(0);
      expect(sized(0.01, -500, 100)).toBe(0);
      for (const price of [0, -1]) expect(Number.isFinite(sized(0.01, 10_000, price))).toBe(true);
      fc.assert(
        fc.property(
          fc.double({ min: -1, max: 1, noNaN: true }),
          fc.double({ min: -1e9, max: 1e9, noNaN: true }),
          fc.double({ min: 1e-6, max: 1e7, noNaN: true }),
          fc.double({ min: -1e6, max: 1e6, noNaN: true }),
          (exposure, equity, price, position) => {
            const quantity = sized(exposure, equity, price, position);
            expect(Number.isFinite(quantity)).toBe(true);
            if (equity <= 0 || exposure === 0) expect(quantity).toBe(0);
            else if (exposure > 0) expect(quantity).toBeGreaterThanOrEqual(0);
            else expect(quantity).toBeLessThanOrEqual(0);
          },
        ),
        { seed: 5, numRuns: 300 },
      );
    });
  });
}

/** The first output that is neither null nor a valid target for its event, described; or null. */
export function firstInvalidOutput(
  outputs: readonly unknown[],
  events: readonly MarketEvent[],
): string | null {
  for (let i = 0; i < outputs.length; i++) {
    const output = outputs[i];
    if (output === null) continue;
    const event = events[i]!;
    const where = `event #${i} (${event.symbol} @ ${event.tsUs})`;
    if (typeof output !== 'object') return `${where}: returned a ${typeof output}, not a target`;
    const target = output as { symbol?: unknown; exposure?: unknown; reason?: unknown };
    if (target.symbol !== event.symbol) return `${where}: symbol ${String(target.symbol)}`;
    if (typeof target.exposure !== 'number' || !Number.isFinite(target.exposure))
      return `${where}: exposure ${String(target.exposure)}`;
    if (target.exposure < -1 || target.exposure > 1)
      return `${where}: exposure ${target.exposure} outside [-1, 1]`;
    if (typeof target.reason !== 'string' || target.reason.length === 0)
      return `${where}: reason ${JSON.stringify(target.reason)}`;
  }
  return null;
}

/** Strictly alternating BTC and ETH, both trending, 3 minutes. */
function interleavedSymbols(): MarketEvent[] {
  const events: MarketEvent[] = [];
  for (let i = 0; i < 3_600; i++) {
    const tsUs = T0_US + i * 50_000;
    const drift = 1 + (i / 3_600) * 0.01;
    events.push(i % 2 === 0 ? trade(tsUs, 60_000 * drift) : quote(tsUs, 2_600 / drift, 'ETHUSDT'));
  }
  return events;
}

/** Bursts of 10 events sharing one timestamp, including one long run of 500 at a single µs. */
function identicalTimestamps(): MarketEvent[] {
  const events: MarketEvent[] = [];
  for (let burst = 0; burst < 300; burst++) {
    const tsUs = T0_US + burst * SECOND_US;
    for (let k = 0; k < 10; k++) events.push(trade(tsUs, 60_000 + burst * 2 + (k % 3)));
  }
  const stuckUs = T0_US + 300 * SECOND_US;
  for (let k = 0; k < 500; k++) events.push(quote(stuckUs, 60_600 + (k % 7) * 5));
  return events;
}

/** Two minutes of a rising tape, one hour of silence, two more minutes from a different level. */
function withGap(): MarketEvent[] {
  const before = path(T0_US, T0_US + 120 * SECOND_US, 100_000, (t) => 60_000 + (t - T0_US) / 2e4);
  const resumeUs = T0_US + 3_720 * SECOND_US;
  const after = path(
    resumeUs,
    resumeUs + 120 * SECOND_US,
    100_000,
    (t) => 59_000 - (t - resumeUs) / 2e4,
  );
  return [...before, ...after];
}

/** Two minutes of noise around 60 000, then the price jumps by `factor` and stays for two minutes. */
function withJump(factor: number): MarketEvent[] {
  const jumpUs = T0_US + 120 * SECOND_US;
  return path(T0_US, T0_US + 240 * SECOND_US, 100_000, (t) => {
    const wiggle = ((t / 100_000) % 5) - 2;
    return (t < jumpUs ? 60_000 : 60_000 * factor) + wiggle;
  });
}
