import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then the rate', () => {
    const bucket = new TokenBucket({ perSecond: 20, burst: 40 }, 0);
    let allowed = 0;
    for (let i = 0; i < 100; i++) if (bucket.take(0)) allowed++;
    expect(allowed).toBe(40);
    expect(bucket.take(49)).toBe(false); // 0.98 of a token
    expect(bucket.take(50)).toBe(true); // 1 token after 50 ms at 20/s
    expect(bucket.take(50)).toBe(false);
    let later = 0;
    for (let i = 0; i < 100; i++) if (bucket.take(1050)) later++;
    expect(later).toBe(20); // one second's worth
  });

  it('saves up no more than the burst, and ignores time going back', () => {
    const bucket = new TokenBucket({ perSecond: 1000, burst: 5 }, 0);
    let allowed = 0;
    for (let i = 0; i < 100; i++) if (bucket.take(60_000)) allowed++;
    expect(allowed).toBe(5);
    expect(bucket.take(30_000)).toBe(false);
  });
});
