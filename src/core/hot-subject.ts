import { Observable, type Subscriber } from 'rxjs';

interface HotState<T> {
  /** Replaced, never mutated, when a subscriber comes or goes (a `next` in progress keeps its list). */
  subscribers: readonly Subscriber<T>[];
  stopped: { readonly error: unknown } | 'complete' | null;
}

/**
 * A multicast stream for the replay's per-fill path: an RxJS `Subject` as the engine uses one
 * (each subscriber gets every value pushed after it subscribed; one that subscribes after
 * `complete` or `error` gets that at once), without what a `Subject` allocates per value. RxJS
 * 7's `Subject.next` wraps each call in a closure and walks its observers with an iterator; the
 * engine pushes two or three values per fill, so that was a fifth of a replay's allocations
 * (`node dist/bench/allocation-probe.js`: 947 MiB over the bench replay with `Subject`, 741
 * with this).
 *
 * @example
 * const fills$ = new HotSubject<number>();
 * fills$.pipe(filter((n) => n > 0)).subscribe(console.log);
 * fills$.next(1);
 * fills$.complete();
 */
export class HotSubject<T> extends Observable<T> {
  readonly #state: HotState<T>;

  constructor() {
    const state: HotState<T> = { subscribers: [], stopped: null };
    super((subscriber) => {
      const stopped = state.stopped;
      if (stopped === 'complete') subscriber.complete();
      else if (stopped !== null) subscriber.error(stopped.error);
      else {
        state.subscribers = [...state.subscribers, subscriber];
        return () => {
          state.subscribers = state.subscribers.filter((s) => s !== subscriber);
        };
      }
      return undefined;
    });
    this.#state = state;
  }

  /** Pushes `value` to every current subscriber (nothing once completed or errored). */
  next(value: T): void {
    const state = this.#state;
    if (state.stopped !== null) return;
    const subscribers = state.subscribers;
    for (let i = 0; i < subscribers.length; i++) subscribers[i]!.next(value);
  }

  /** Completes every subscriber; later values are ignored, later subscribers complete at once. */
  complete(): void {
    const state = this.#state;
    if (state.stopped !== null) return;
    state.stopped = 'complete';
    const subscribers = state.subscribers;
    state.subscribers = [];
    for (const subscriber of subscribers) subscriber.complete();
  }

  /** Errors every subscriber; later values are ignored, later subscribers get the error at once. */
  error(error: unknown): void {
    const state = this.#state;
    if (state.stopped !== null) return;
    state.stopped = { error };
    const subscribers = state.subscribers;
    state.subscribers = [];
    for (const subscriber of subscribers) subscriber.error(error);
  }

  /** True while at least one subscriber listens. */
  get observed(): boolean {
    return this.#state.subscribers.length > 0;
  }
}
