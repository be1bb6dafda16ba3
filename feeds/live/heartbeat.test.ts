import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { heartbeat } from './heartbeat.js';

/** Marble tests in run mode: one frame is 1 ms of virtual time; silenceMs = 10, pings every 5. */
function marbles(run: (helpers: Parameters<Parameters<TestScheduler['run']>[0]>[0]) => void) {
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(run);
}

describe('heartbeat (marbles)', () => {
  it('pings every silenceMs / 2 and gives up after silenceMs without activity', () => {
    marbles(({ hot, expectObservable }) => {
      const activity = hot<void>('-');
      expectObservable(activity.pipe(heartbeat(10))).toBe('5ms p 4ms (s|)', {
        p: 'ping',
        s: 'silent',
      });
    });
  });

  it('restarts the silence timer on every message, ping or pong', () => {
    marbles(({ hot, expectObservable }) => {
      const activity = hot<void>('8ms a 7ms a');
      expectObservable(activity.pipe(heartbeat(10))).toBe('5ms p 4ms p 4ms p 4ms p 4ms p (s|)', {
        p: 'ping',
        s: 'silent',
      });
    });
  });

  it('never goes silent while something arrives more often than silenceMs', () => {
    marbles(({ hot, expectObservable }) => {
      const activity = hot<void>('a 8ms a 8ms a 8ms a 8ms a');
      expectObservable(activity.pipe(heartbeat(10)), '^ 40ms !').toBe(
        '5ms p 4ms p 4ms p 4ms p 4ms p 4ms p 4ms p 4ms p',
        { p: 'ping' },
      );
    });
  });

  it('stops its timers when unsubscribed (a paused or closed connection)', () => {
    marbles(({ hot, expectObservable, expectSubscriptions }) => {
      const activity = hot<void>('-----');
      expectObservable(activity.pipe(heartbeat(10)), '^ 6ms !').toBe('5ms p', { p: 'ping' });
      expectSubscriptions(activity.subscriptions).toBe('^ 6ms !');
    });
  });
});
