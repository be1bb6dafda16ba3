import { describe, expect, it } from 'vitest';
import { processIo } from '../cli-io.js';
import { replayCommand } from '../commands/replay-command.js';
import { optionKinds } from './option-kinds.js';
import { expandSweepGrid, MAX_SWEEP_RUNS, parseSweepGrid, sweepRunArgv } from './sweep-grid.js';

/** The replay command's own options, as the sweep command checks a grid against them. */
const REPLAY_OPTIONS = optionKinds(replayCommand(processIo()));
const parse = (json: unknown) => parseSweepGrid(json, 'grid.json', REPLAY_OPTIONS);

describe('sweep grids', () => {
  it('expand to every combination, the first axis slowest, with the shared options first', () => {
    const runs = expandSweepGrid(
      parse({
        feeds: ['a.csv', 'b.csv'],
        options: { '--plan': 'short', '--trades-only': true },
        grid: {
          '--salt': ['x', 'y'],
          '--inject': [null, 'canary:fees=+2bp', ['canary:slippage=+1bp', 'stable:latency=+1ms']],
        },
      }),
    );
    expect(runs).toHaveLength(6);
    expect(runs.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(runs[0]!.argv).toEqual([
      'replay',
      'a.csv',
      'b.csv',
      '--plan',
      'short',
      '--trades-only',
      '--salt',
      'x',
    ]);
    expect(runs[1]!.parameters).toEqual({ '--salt': 'x', '--inject': 'canary:fees=+2bp' });
    expect(runs[5]!.argv.slice(-6)).toEqual([
      '--salt',
      'y',
      '--inject',
      'canary:slippage=+1bp',
      '--inject',
      'stable:latency=+1ms',
    ]);
  });

  it('without axes is one run', () => {
    expect(expandSweepGrid(parse({ feeds: ['a.csv'] }))).toHaveLength(1);
  });

  it.each([
    [{ feeds: [] }, /feeds: .*/u],
    // A key the file does not have, at its top: not read as the `grid` field's.
    [{ feeds: ['a'], extra: 1 }, /: the file's top level: Unrecognized key: "extra"/u],
    [{ feeds: ['a'], grid: { '--salt': [] } }, /grid\.--salt/u],
    [
      { feeds: ['a'], grid: { '--sault': ['x'] } },
      /grid\.--sault: not an option of strategy-canary replay/u,
    ],
    [{ feeds: ['a'], options: { '--out': 'x' } }, /options\.--out: the sweep sets --out/u],
    [
      { feeds: ['a'], options: { '--salt': 'x' }, grid: { '--salt': ['y'] } },
      /--salt is both in options and in grid/u,
    ],
    [{ feeds: ['a'], extra: 1 }, /grid\.json: /u],
    [
      {
        feeds: ['a'],
        grid: {
          '--salt': Array.from({ length: 101 }, String),
          '--canary': Array.from({ length: 100 }, String),
        },
      },
      new RegExp(`more than ${MAX_SWEEP_RUNS.toLocaleString('en-US')}`, 'u'),
    ],
    // A value of the wrong kind for its option would change the run silently.
    [
      { feeds: ['a'], options: { '--salt': true, '--trades-only': true } },
      /options\.--salt: --salt takes one value: give a string .*, not true/u,
    ],
    [
      { feeds: ['a'], options: { '--trades-only': 'b.gz' } },
      /options\.--trades-only: --trades-only is a flag: give true .*, not "b\.gz"/u,
    ],
    [
      { feeds: ['a'], options: { '--no-fills': 'false' } },
      /options\.--no-fills: --no-fills is a flag/u,
    ],
    [
      { feeds: ['a'], grid: { '--salt': ['x', ['a', 'b']] } },
      /grid\.--salt\[1\]: --salt takes one value: .*, not \["a","b"\]/u,
    ],
    [{ feeds: ['a'], grid: { '--inject': [null, true] } }, /grid\.--inject\[1\]: .*not true/u],
    // An A/B/n run has one report per candidate, none a sweep row could summarize.
    [
      { feeds: ['a'], options: { '--plan': 'short', '--candidate': ['x', 'y'] } },
      /options\.--candidate: a sweep summarizes one rollout per run, and --candidate rolls out several/u,
    ],
    [
      { feeds: ['a'], options: { '--plan': 'short' }, grid: { '--candidate': [null, ['x', 'y']] } },
      /grid\.--candidate\[1\]: a sweep summarizes one rollout per run/u,
    ],
  ])('refuses %j with E_SWEEP_GRID', (json, message) => {
    expect(() => parse(json)).toThrow(message);
    try {
      parse(json);
    } catch (error) {
      expect((error as { code: string }).code).toBe('E_SWEEP_GRID');
    }
  });
});

describe('sweepRunArgv', () => {
  it('adds --no-html to each run unless the sweep draws report.html or the grid says so', () => {
    const grid = parse({ feeds: ['a.csv'], grid: { '--no-html': [null, true] } });
    const [plain, own] = expandSweepGrid(grid);
    expect(sweepRunArgv(grid, plain!, false)).toEqual(['replay', 'a.csv', '--no-html']);
    expect(sweepRunArgv(grid, plain!, true)).toEqual(['replay', 'a.csv']);
    expect(sweepRunArgv(grid, own!, false)).toEqual(['replay', 'a.csv', '--no-html']);
    expect(sweepRunArgv(grid, own!, true)).toEqual(['replay', 'a.csv', '--no-html']);
    // Another option's value that reads "--no-html" is not the flag.
    const salted = parse({ feeds: ['a.csv'], options: { '--salt': '--no-html' } });
    const [run] = expandSweepGrid(salted);
    expect(sweepRunArgv(salted, run!, false)).toEqual([
      'replay',
      'a.csv',
      '--salt',
      '--no-html',
      '--no-html',
    ]);
  });
});
