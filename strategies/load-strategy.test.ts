import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CanaryError } from '../src/core/errors.js';
import { loadStrategyDefinition } from './load-strategy.js';
import { meanReversionV1 } from './mean-reversion/mean-reversion-v1.js';
import { momentumV1 } from './momentum/momentum-v1.js';
import { momentumV2 } from './momentum/momentum-v2.js';

const dir = mkdtempSync(join(tmpdir(), 'strategy-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a fixture module into the temp directory and returns its path. */
function fixture(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

const VALID_JS = `export default {
  name: 'fixture', version: '0.1.0', description: 'test fixture',
  parseParams: (input) => input ?? {},
  create: () => ({ id: 'fixture@0.1.0', onMarketEvent: () => null, targetQuantity: () => 0 }),
};`;

/** The CanaryError `load` rejects with (fails the test if it resolves or throws something else). */
async function rejection(load: Promise<unknown>): Promise<CanaryError> {
  try {
    await load;
  } catch (error) {
    expect(error).toBeInstanceOf(CanaryError);
    const canary = error as CanaryError;
    expect(canary.message).not.toContain('\n');
    return canary;
  }
  throw new Error('expected the load to fail');
}

describe('loadStrategyDefinition', () => {
  it('resolves the bundled ids to their definitions', async () => {
    expect(await loadStrategyDefinition('momentum@1.0.0')).toBe(momentumV1);
    expect(await loadStrategyDefinition('momentum@2.0.0')).toBe(momentumV2);
    expect(await loadStrategyDefinition('mean-reversion@1.0.0')).toBe(meanReversionV1);
  });

  it('rejects an unknown id with E_STRATEGY_UNKNOWN listing the bundled ids', async () => {
    for (const spec of ['momentum@9.9.9', 'momentum', 'MOMENTUM@1.0.0', '']) {
      const error = await rejection(loadStrategyDefinition(spec));
      expect(error.code).toBe('E_STRATEGY_UNKNOWN');
      expect(error.message).toContain('momentum@1.0.0, momentum@2.0.0, mean-reversion@1.0.0');
    }
  });

  it('loads a plain JavaScript module by absolute or relative path', async () => {
    const file = fixture('valid.mjs', VALID_JS);
    const byAbsolute = await loadStrategyDefinition(file);
    expect(byAbsolute.name).toBe('fixture');
    const byRelative = await loadStrategyDefinition('./valid.mjs', { cwd: dir });
    expect(byRelative.version).toBe('0.1.0');
  });

  it('loads a TypeScript module through tsx', async () => {
    const file = fixture(
      'typed.ts',
      `interface Params { readonly level: number }
const definition = {
  name: 'typed', version: '2.0.0', description: 'typed fixture',
  parseParams: (input: unknown): Params => ({ level: (input as Partial<Params> | undefined)?.level ?? 1 }),
  create: (params: Params) => ({
    id: 'typed@2.0.0',
    onMarketEvent: () => null,
    targetQuantity: () => params.level,
  }),
};
export default definition;
`,
    );
    const definition = await loadStrategyDefinition(file);
    expect(definition.name).toBe('typed');
    expect(definition.parseParams(undefined)).toEqual({ level: 1 });
  });

  it('accepts a CommonJS module whose exports.default is the definition', async () => {
    const file = fixture(
      'common.cjs',
      `exports.default = { name: 'common', version: '1.0.0', description: 'cjs',
  parseParams: () => ({}), create: () => ({ id: 'common@1.0.0', onMarketEvent: () => null, targetQuantity: () => 0 }) };`,
    );
    expect((await loadStrategyDefinition(file)).name).toBe('common');
  });

  it('reports a missing file with E_STRATEGY_LOAD naming the path', async () => {
    const error = await rejection(loadStrategyDefinition('./no-such-strategy.mjs', { cwd: dir }));
    expect(error.code).toBe('E_STRATEGY_LOAD');
    expect(error.message).toContain('./no-such-strategy.mjs');
    expect(error.message).toContain('no such file');
  });

  it('reports a directory or an unsupported file type with E_STRATEGY_LOAD', async () => {
    mkdirSync(join(dir, 'folder.js'), { recursive: true });
    const folder = await rejection(loadStrategyDefinition(join(dir, 'folder.js')));
    expect(folder.code).toBe('E_STRATEGY_LOAD');
    expect(folder.message).toContain('not a file');
    const python = await rejection(loadStrategyDefinition(fixture('strategy.py', 'print(1)')));
    expect(python.code).toBe('E_STRATEGY_LOAD');
    expect(python.message).toContain('.py');
  });

  it('reports a syntax error or a throw at import time with E_STRATEGY_LOAD and the cause, on one line', async () => {
    const broken = fixture('broken.mjs', 'export default {\n  name: "broken",,\n};\n');
    const syntax = await rejection(loadStrategyDefinition(broken));
    expect(syntax.code).toBe('E_STRATEGY_LOAD');
    expect(syntax.message).toContain(broken);
    const throwing = fixture('throwing.mjs', 'throw new Error("database\\nunreachable");\n');
    const thrown = await rejection(loadStrategyDefinition(throwing));
    expect(thrown.code).toBe('E_STRATEGY_LOAD');
    expect(thrown.message).toContain('database unreachable');
    const badTs = fixture('broken.ts', 'const x: number = ;\nexport default x;\n');
    expect((await rejection(loadStrategyDefinition(badTs))).code).toBe('E_STRATEGY_LOAD');
  });

  it('reports a module that is not a strategy with E_STRATEGY_INVALID saying what is missing', async () => {
    const noDefault = fixture('named.mjs', 'export const strategy = {};\n');
    const missing = await rejection(loadStrategyDefinition(noDefault));
    expect(missing.code).toBe('E_STRATEGY_INVALID');
    expect(missing.message).toContain('no default export');

    const partial = fixture(
      'partial.mjs',
      "export default { name: 'partial', version: '', description: 'x', parseParams: () => ({}) };\n",
    );
    const incomplete = await rejection(loadStrategyDefinition(partial));
    expect(incomplete.code).toBe('E_STRATEGY_INVALID');
    expect(incomplete.message).toContain('version (non-empty string)');
    expect(incomplete.message).toContain('create() (function)');
    expect(incomplete.message).not.toContain('parseParams');

    const number = fixture('number.mjs', 'export default 42;\n');
    expect((await rejection(loadStrategyDefinition(number))).code).toBe('E_STRATEGY_INVALID');
  });
});
