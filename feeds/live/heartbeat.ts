import type { Observable, OperatorFunction, SchedulerLike } from 'rxjs';
import { asyncScheduler, interval, map, merge, startWith, switchMap, takeWhile, timer } from 'rxjs';

/** What the heartbeat asks of the connection: send a ping, or give up on a silent one. */
export type HeartbeatCommand = 'ping' | 'silent';

/**
 * Keep-alive for one connection. The source is the connection's activity (any message, ping or
 * pong received). Emits `ping` every `silenceMs / 2` from subscription on, and `silent` (then
 * completes) once the source has been quiet for `silenceMs`: the connection is dead. A quiet
 * market still answers pings, so a live connection never goes `silent`.
 *
 * @example
 * activity$.pipe(heartbeat(10_000)).subscribe((c) => (c === 'ping' ? ws.ping() : ws.terminate()));
 */
export function heartbeat(
  silenceMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<unknown, HeartbeatCommand> {
  return (activity$: Observable<unknown>) => {
    const silent$ = activity$.pipe(
      startWith(null),
      switchMap(() => timer(silenceMs, scheduler)),
      map((): HeartbeatCommand => 'silent'),
    );
    const ping$ = interval(silenceMs / 2, scheduler).pipe(map((): HeartbeatCommand => 'ping'));
    return merge(silent$, ping$).pipe(takeWhile((command) => command !== 'silent', true));
  };
}
