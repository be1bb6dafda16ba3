import { describe, expect, it } from 'vitest';
import { thrown } from './test-support/thrown.js';
import { splitInjectSpecs } from './lane-inject-specs.js';

const NAMES = ['spot', 'usdm', 'eth'];

describe('splitInjectSpecs', () => {
  it('gives unprefixed parts to every segment and NAME/ parts to their segment, part by part', () => {
    const split = splitInjectSpecs(
      [
        'canary:latency=+5ms;usdm/canary:slippage=+3bp,from=10%',
        'spot/stable:rejects=+1%',
        ' usdm/canary:fees=+1bp',
      ],
      { kind: 'segment', names: NAMES },
    );
    expect(split.common).toEqual(['canary:latency=+5ms']);
    expect(Object.fromEntries(split.byLane)).toEqual({
      usdm: ['canary:slippage=+3bp,from=10%', 'canary:fees=+1bp'],
      spot: ['stable:rejects=+1%'],
    });
  });

  it('refuses a prefix naming no segment, and any prefix without segments', () => {
    expect(
      thrown(() =>
        splitInjectSpecs(['futures/canary:latency=+5ms'], { kind: 'segment', names: NAMES }),
      ),
    ).toMatchObject({
      code: 'E_INJECT_SPEC',
      message: /no segment "futures" \(its segments: spot, usdm, eth\)/,
    });
    expect(thrown(() => splitInjectSpecs(['usdm/canary:latency=+5ms'], null))).toMatchObject({
      code: 'E_INJECT_SPEC',
      message: /needs a plan with segments or several --candidate/,
    });
    expect(splitInjectSpecs(['canary:latency=+5ms'], null).common).toEqual(['canary:latency=+5ms']);
  });
});
