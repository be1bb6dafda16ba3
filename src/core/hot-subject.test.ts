import fc from 'fast-check';
import { filter, Subject, type Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { HotSubject } from './hot-subject.js';

type Step =
  | { readonly kind: 'subscribe'; readonly piped: boolean }
  | { readonly kind: 'unsubscribe'; readonly which: number }
  | { readonly kind: 'next'; readonly value: number }
  | { readonly kind: 'complete' }
  | { readonly kind: 'error' }
  /** A subscriber that, on its first value, subscribes another one (re-entrancy). */
  | { readonly kind: 'subscribe-on-next' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('subscribe' as const), piped: fc.boolean() }),
    weight: 3,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('unsubscribe' as const), which: fc.nat(10) }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('next' as const), value: fc.integer() }), weight: 6 },
  { arbitrary: fc.constant({ kind: 'complete' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'error' as const }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'subscribe-on-next' as const }), weight: 1 },
);

interface Pushable {
  next(value: number): void;
  complete(): void;
  error(error: unknown): void;
  subscribe: Subject<number>['subscribe'];
  pipe: Subject<number>['pipe'];
}

/** What every subscriber saw, in order, when `steps` are played on `subject`. */
function play(subject: Pushable, steps: readonly Step[]): string[] {
  const log: string[] = [];
  const subscriptions: Subscription[] = [];
  let id = 0;
  const listen = (piped: boolean): void => {
    const me = id++;
    const source = piped ? subject.pipe(filter((v) => v % 2 === 0)) : subject;
    subscriptions.push(
      source.subscribe({
        next: (v) => log.push(`${me} next ${v}`),
        complete: () => log.push(`${me} complete`),
        error: (e) => log.push(`${me} error ${String(e)}`),
      }),
    );
  };
  for (const s of steps) {
    if (s.kind === 'subscribe') listen(s.piped);
    else if (s.kind === 'unsubscribe')
      subscriptions[s.which % Math.max(1, subscriptions.length)]?.unsubscribe();
    else if (s.kind === 'next') subject.next(s.value);
    else if (s.kind === 'complete') subject.complete();
    else if (s.kind === 'error') subject.error('boom');
    else {
      const me = id++;
      let done = false;
      subscriptions.push(
        subject.subscribe({
          next: (v) => {
            log.push(`${me} next ${v}`);
            if (!done) {
              done = true;
              listen(false);
            }
          },
          complete: () => log.push(`${me} complete`),
          // Without an error handler RxJS reports the error as unhandled (a thrown timer).
          error: (e) => log.push(`${me} error ${String(e)}`),
        }),
      );
    }
  }
  return log;
}

describe('HotSubject', () => {
  it('behaves as an RxJS Subject: values, late subscribers, unsubscribes, complete, error, re-entrancy', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        expect(play(new HotSubject<number>(), steps)).toEqual(play(new Subject<number>(), steps));
      }),
      { numRuns: 500 },
    );
  });

  it('tells whether anyone listens', () => {
    const subject = new HotSubject<number>();
    expect(subject.observed).toBe(false);
    const subscription = subject.subscribe(() => {});
    expect(subject.observed).toBe(true);
    subscription.unsubscribe();
    expect(subject.observed).toBe(false);
  });
});
