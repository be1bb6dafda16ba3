import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport, SAMPLES, spawnCli, tempDir } from './cli-harness.js';

/** What a user writes in their own folder: value imports (not only types) from the package. */
function strategySource(id: string): string {
  return `import { referencePrice } from 'strategy-canary';
import { listStrategyIds } from 'strategy-canary/strategies';
export default {
  name: '${id}', version: '1.0.0', description: 'a strategy outside the package',
  parseParams: () => ({ bundled: listStrategyIds().length }),
  create: () => ({
    id: '${id}@1.0.0',
    onMarketEvent: (event) => (referencePrice(event) > 0 ? null : null),
    targetQuantity: () => 0,
  }),
};
`;
}

function replayWith(canary: string): ReturnType<typeof spawnCli> {
  return spawnCli([
    'replay',
    join(SAMPLES, 'spot_btcusdt_20240808.gz'),
    '--canary',
    canary,
    '--accounts',
    '10',
    '--weight',
    '50',
  ]);
}

// The real CLI in its own process (the test runner resolves imports its own way).
describe('a strategy module outside the package (no install of its own)', () => {
  it('imports strategy-canary as an ES module: .mjs, .mts, and .ts under "type": "module"', () => {
    const dir = tempDir('sc-outside-');
    const project = join(dir, 'esm-project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
    const files = {
      'outside.mjs': join(dir, 'outside.mjs'),
      'outside.mts': join(dir, 'outside.mts'),
      'outside.ts': join(project, 'outside.ts'),
    };
    for (const [name, path] of Object.entries(files)) {
      writeFileSync(path, strategySource(name.replace('.', '-')));
      const result = replayWith(path);
      expect(result.stderr, name).toBe('');
      expect(result.code, name).toBe(0);
      expect(result.stdout).toContain(`${name.replace('.', '-')}@1.0.0`);
    }
  });

  it('a .ts file in a CommonJS scope is told how to load as an ES module, without loader internals', () => {
    const path = join(tempDir('sc-outside-'), 'outside.ts');
    writeFileSync(path, strategySource('outside-cjs'));
    const result = replayWith(path);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[E_STRATEGY_LOAD]');
    expect(result.stderr).toContain('rename it .mts');
    expect(result.stderr).not.toContain('namespace=');
  });

  it('report.json names a module strategy by its path, its own name@version and its sha256', () => {
    const dir = tempDir('sc-outside-');
    const path = join(dir, 'outside.mjs');
    writeFileSync(path, strategySource('outside-named'));
    const out = join(dir, 'run');
    const result = spawnCli([
      'replay',
      join(SAMPLES, 'spot_btcusdt_20240808.gz'),
      '--canary',
      path,
      '--accounts',
      '10',
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const { strategies } = readReport(out).inputs;
    expect(strategies.canary).toMatchObject({
      id: path,
      version: 'outside-named@1.0.0',
      sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    });
    expect(strategies.stable).toMatchObject({
      id: 'momentum@1.0.0',
      version: 'momentum@1.0.0',
      sha256: null,
    });
  });
});
