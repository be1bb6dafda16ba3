import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reproduceCommand } from './reproduce-command.js';

describe('reproduceCommand', () => {
  it('leaves out output options and quotes what a shell would split', () => {
    expect(
      reproduceCommand([
        'replay',
        'feeds/samples/a.gz',
        '--out',
        'runs/x',
        '--json',
        '--out=runs/y',
        '--canary-params',
        '{"minHoldMs":3000}',
        '--salt',
        "it's",
        '--no-progress',
        '--no-fills',
        '--no-html',
      ]),
    ).toBe(
      `strategy-canary replay feeds/samples/a.gz --canary-params '{"minHoldMs":3000}' --salt 'it'\\''s'`,
    );
  });

  it('gives back the same arguments when a POSIX shell reads it (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 0, maxLength: 12 }).filter((s) => !s.includes('\0')),
          { maxLength: 5 },
        ),
        (args) => {
          const argv = args.filter((a) => !a.startsWith('--'));
          const command = reproduceCommand(argv);
          const script = `for a in ${command.slice('strategy-canary'.length)}; do printf '%s\\0' "$a"; done`;
          const out = execFileSync('sh', ['-c', script], { encoding: 'utf8' });
          expect(out === '' ? [] : out.slice(0, -1).split('\0')).toEqual(argv);
        },
      ),
      { numRuns: 50 },
    );
  });
});
