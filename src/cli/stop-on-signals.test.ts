import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stopOnSignals } from './stop-on-signals.js';

const EVENTS = ['SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection'] as const;
type Listener = (...args: unknown[]) => void;

describe('stopOnSignals', () => {
  // The test runner's own listeners are set aside while these events are raised by hand.
  let others: Map<string, Listener[]>;
  beforeEach(() => {
    others = new Map(EVENTS.map((event) => [event, process.rawListeners(event) as Listener[]]));
    for (const event of EVENTS) process.removeAllListeners(event);
  });
  afterEach(() => {
    for (const event of EVENTS) {
      process.removeAllListeners(event);
      for (const listener of others.get(event) ?? []) process.on(event, listener);
    }
  });

  it('aborts with the reason on the first signal, then says so, and leaves a second to Node', () => {
    const said: string[] = [];
    const stop = stopOnSignals({
      reason: (signal) => new Error(`stopped by ${signal}`),
      said: (signal) => said.push(`${signal}, aborted: ${String(stop.signal.aborted)}`),
    });
    expect(process.listenerCount('SIGINT')).toBe(1);
    expect(stop.signal.aborted).toBe(false);
    process.emit('SIGTERM', 'SIGTERM');
    expect((stop.signal.reason as Error).message).toBe('stopped by SIGTERM');
    expect(said).toEqual(['SIGTERM, aborted: true']);
    // Both handlers are gone: the next Ctrl-C is Node's (it ends the process).
    expect(process.listenerCount('SIGINT')).toBe(0);
    expect(process.listenerCount('SIGTERM')).toBe(0);
    stop.release();
  });

  it('stops on an error thrown outside the calls only when asked, and release removes every handler', () => {
    const plain = stopOnSignals({ reason: () => new Error('signal') });
    expect(process.listenerCount('uncaughtException')).toBe(0);
    plain.release();
    expect(process.listenerCount('SIGINT')).toBe(0);

    const stop = stopOnSignals({
      reason: () => new Error('signal'),
      outsideError: (error) => new Error(`outside: ${(error as Error).message}`),
    });
    process.emit('unhandledRejection', new Error('a promise'), Promise.resolve());
    expect((stop.signal.reason as Error).message).toBe('outside: a promise');
    stop.release();
    for (const event of EVENTS) expect(process.listenerCount(event), event).toBe(0);
  });
});
