import { describe, expect, it } from 'vitest';
import { textWidth } from './text-width.js';

describe('textWidth', () => {
  it('sums per-character widths at the font size (12 px by default)', () => {
    expect(textWidth('12:05:00', '12px sans-serif')).toBe(53.88);
    expect(textWidth('12:05:00')).toBe(53.88);
    expect(textWidth('12:05:00', 'normal normal 24px system-ui')).toBe(107.76);
  });

  it('tells narrow from wide text, and bold from regular', () => {
    expect(textWidth('iiii')).toBeLessThan(textWidth('mmmm') / 3);
    expect(textWidth('canary', 'bold 12px x')).toBeGreaterThan(textWidth('canary', '12px x'));
    expect(textWidth('')).toBe(0);
  });
});
