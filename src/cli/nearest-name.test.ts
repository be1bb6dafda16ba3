import { describe, expect, it } from 'vitest';
import { nameDistance, nearestName } from './nearest-name.js';

describe('nearestName', () => {
  it('counts edits case-insensitively, a swap of neighbours as one', () => {
    expect(nameDistance('fastMS', 'fastMs')).toBe(0);
    expect(nameDistance('standrad', 'standard')).toBe(1);
    expect(nameDistance('short', 'shirt')).toBe(1);
    expect(nameDistance('', 'abc')).toBe(3);
    expect(nameDistance('abc', '')).toBe(3);
  });

  it('suggests the nearest name, or none when nothing is close', () => {
    const presets = ['standard', 'aggressive', 'classic', 'ramped', 'blue-green', 'short'];
    expect(nearestName('standrad', presets)).toBe('standard');
    expect(nearestName('agressive', presets)).toBe('aggressive');
    expect(nearestName('bluegreen', presets)).toBe('blue-green');
    expect(nearestName('zzzzzz', presets)).toBeNull();
    expect(nearestName('fastMS', ['fastMs', 'slowMs'])).toBe('fastMs');
  });
});
