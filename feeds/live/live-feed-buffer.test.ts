import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../src/core/market-event.js';
import { LiveFeedBuffer } from './live-feed-buffer.js';
import type { LiveFeedItem } from './live-feed-item.js';

function event(n: number): LiveFeedItem {
  return {
    type: 'event',
    event: { tsUs: n, symbol: 'X', id: String(n) } as unknown as MarketEvent,
  };
}
function status(n: number): LiveFeedItem {
  return { type: 'status', status: 'open', attempt: n, atUs: n };
}
const label = (item: LiveFeedItem | undefined): string =>
  item === undefined
    ? '-'
    : item.type === 'event'
      ? `e${item.event.tsUs}`
      : item.type === 'dropped'
        ? `d${item.count}/${item.total}`
        : `s${item.type === 'status' ? item.attempt : '?'}`;

describe('LiveFeedBuffer', () => {
  it('drops the oldest market event when full, keeps status items, and says so once', () => {
    const buffer = new LiveFeedBuffer(3);
    expect([status(1), event(2), event(3)].map((item) => buffer.push(item))).toEqual([
      null,
      null,
      null,
    ]);
    expect(label(buffer.push(event(4)) ?? undefined)).toBe('e2');
    expect(label(buffer.push(status(5)) ?? undefined)).toBe('e3');
    expect(buffer.length).toBe(3);
    expect(buffer.dropped).toBe(2);
    const out: string[] = [];
    while (buffer.ready) out.push(label(buffer.shift()));
    expect(out).toEqual(['d2/2', 's1', 'e4', 's5']);
    expect(buffer.shift()).toBeUndefined();
  });

  it('drops the incoming event when only status items wait, and the oldest of those for another', () => {
    const buffer = new LiveFeedBuffer(2);
    buffer.push(status(1));
    buffer.push(status(2));
    expect(label(buffer.push(event(3)) ?? undefined)).toBe('e3');
    expect(label(buffer.push(status(4)) ?? undefined)).toBe('s1');
    const out: string[] = [];
    while (buffer.ready) out.push(label(buffer.shift()));
    expect(out).toEqual(['d2/2', 's2', 's4']);
  });

  it('stays bounded, loses only what it counts, and keeps the order (fast-check)', () => {
    const op = fc.oneof(
      { weight: 6, arbitrary: fc.constant('event' as const) },
      { weight: 1, arbitrary: fc.constant('status' as const) },
      { weight: 4, arbitrary: fc.constant('take' as const) },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(op, { maxLength: 400 }),
        (limit, ops) => {
          const buffer = new LiveFeedBuffer(limit);
          let n = 0;
          const pushed: number[] = [];
          const taken: number[] = [];
          let noticed = 0;
          const take = (): void => {
            const item = buffer.shift();
            if (item === undefined) return;
            if (item.type === 'dropped') noticed += item.count;
            else taken.push(item.type === 'event' ? item.event.tsUs : item.atUs);
          };
          for (const o of ops) {
            if (o === 'take') take();
            else {
              n++;
              pushed.push(n);
              buffer.push(o === 'event' ? event(n) : status(n));
            }
            expect(buffer.length).toBeLessThanOrEqual(limit);
          }
          while (buffer.ready) take();
          // everything pushed was delivered or counted as dropped, in order
          expect(taken.length + noticed).toBe(pushed.length);
          expect(noticed).toBe(buffer.dropped);
          expect([...taken].sort((a, b) => a - b)).toEqual(taken);
        },
      ),
    );
  });

  it('never drops a status item while an event waits (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 100 }),
        fc.integer({ min: 1, max: 6 }),
        (kinds, limit) => {
          const buffer = new LiveFeedBuffer(limit);
          const waiting: boolean[] = []; // a model: is the waiting item an event?
          kinds.forEach((isEvent, i) => {
            const dropped = buffer.push(isEvent ? event(i) : status(i));
            if (dropped !== null && dropped.type !== 'event') {
              expect(waiting.includes(true)).toBe(false);
              expect(isEvent).toBe(false);
            }
            if (dropped === null) waiting.push(isEvent);
            else if (dropped.type === 'event' && waiting.includes(true)) {
              waiting.splice(waiting.indexOf(true), 1);
              waiting.push(isEvent);
            } else if (dropped.type !== 'event') {
              waiting.shift();
              waiting.push(isEvent);
            }
          });
        },
      ),
    );
  });
});
