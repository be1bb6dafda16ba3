import { describe, expect, it } from 'vitest';
import { crossesUtcDay, utcDateTime, utcTimeLabel } from './utc-time-label.js';

const T = Date.UTC(2024, 7, 8, 23, 54, 13, 937);

describe('utcTimeLabel', () => {
  it('shows HH:MM:SS for runs under a day', () => {
    expect(utcTimeLabel(T, 600_000)).toBe('23:54:13');
  });
  it('shows milliseconds under 10 s', () => {
    expect(utcTimeLabel(T, 5_000)).toBe('23:54:13.937');
  });
  it('puts the date before the time on an axis under a day that runs past midnight', () => {
    expect(utcTimeLabel(T, 600_000, true)).toBe('08-08 23:54:13');
    expect(utcTimeLabel(T, 5_000, true)).toBe('08-08 23:54:13.937');
    expect(utcTimeLabel(T, 3 * 86_400_000, true)).toBe('08-08 23:54');
    expect(crossesUtcDay(T, T + 600_000)).toBe(true);
    expect(crossesUtcDay(T - 600_000, T)).toBe(false);
  });
  it('shows the date and time for runs of a day or more', () => {
    expect(utcTimeLabel(T, 3 * 86_400_000)).toBe('08-08 23:54');
  });
  it('gives an empty label for an invalid time', () => {
    expect(utcTimeLabel(Number.NaN, 1_000)).toBe('');
    expect(utcTimeLabel(1e20, 1_000)).toBe('');
  });
  it('is UTC whatever the process time zone', () => {
    const before = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Kolkata';
      expect(utcTimeLabel(T, 600_000)).toBe('23:54:13');
      expect(utcDateTime(T)).toBe('2024-08-08 23:54:13.937');
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });
});
