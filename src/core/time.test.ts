import { describe, expect, it } from 'vitest';
import { EventClock } from './event-clock.js';
import { usToIso } from './time.js';

describe('event time', () => {
  it('formats µs timestamps as ISO 8601 with microseconds', () => {
    expect(usToIso(1723161253937085)).toBe('2024-08-08T23:54:13.937085Z');
    expect(usToIso(0)).toBe('1970-01-01T00:00:00.000000Z');
  });

  it('never moves the clock backwards', () => {
    const clock = new EventClock();
    expect(clock.advance(10)).toBe(10);
    expect(clock.advance(5)).toBe(10);
    expect(clock.advance(11)).toBe(11);
  });
});
