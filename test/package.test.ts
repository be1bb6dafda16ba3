import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './cli-harness.js';

interface PackageJson {
  name: string;
  type: string;
  engines: { node: string };
  bin: Record<string, string>;
  exports: Record<string, { types?: string; import?: string } | string>;
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;

describe('the package', () => {
  it('is the ESM package strategy-canary with its command, for Node >= 20', () => {
    expect(pkg.name).toBe('strategy-canary');
    expect(pkg.type).toBe('module');
    expect(pkg.engines.node).toMatch(/^>=20/);
    expect(pkg.bin).toEqual({ 'strategy-canary': 'bin/strategy-canary.js' });
    expect(readFileSync(join(ROOT, 'bin/strategy-canary.js'), 'utf8')).toMatch(
      /^#!\/usr\/bin\/env node/,
    );
  });

  it('exports each entry point with its types first, and the built files exist', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue; // ./package.json
      expect(Object.keys(target)[0], entry).toBe('types');
      expect(existsSync(join(ROOT, target.types!)), target.types).toBe(true);
      expect(existsSync(join(ROOT, target.import!)), target.import).toBe(true);
    }
  });

  it('resolves its entry points by name, as a user would import them', async () => {
    const main = (await import('strategy-canary')) as Record<string, unknown>;
    for (const name of [
      'runReplay',
      'TradingEngine',
      'Router',
      'Ledger',
      'armMetrics',
      'Decimal',
    ]) {
      expect(typeof main[name], name).toBe('function');
    }
    const feeds = (await import('strategy-canary/feeds')) as Record<string, unknown>;
    expect(typeof feeds['openFeed']).toBe('function');
    expect(typeof feeds['mergeFeeds']).toBe('function');
    const strategies = (await import('strategy-canary/strategies')) as Record<string, unknown>;
    expect(typeof strategies['loadStrategyDefinition']).toBe('function');
    expect((strategies['listStrategyIds'] as () => string[])()).toEqual(
      expect.arrayContaining(['momentum@1.0.0', 'momentum@2.0.0', 'mean-reversion@1.0.0']),
    );
    const adapter = (await import('strategy-canary/ccxt')) as Record<string, unknown>;
    expect(typeof adapter['CcxtOrderTracker']).toBe('function');
    expect(typeof adapter['followCcxtStreams']).toBe('function');
  });

  it('loads ccxt (an optional peer) only through strategy-canary/ccxt, and only its types there', () => {
    const pkgFull = pkg as PackageJson & {
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
      dependencies: Record<string, string>;
    };
    expect(pkgFull.dependencies['ccxt']).toBeUndefined();
    expect(pkgFull.peerDependencies['ccxt']).toBeDefined();
    expect(pkgFull.peerDependenciesMeta['ccxt']?.optional).toBe(true);
    const built = join(ROOT, 'dist/src/ccxt');
    const modules = readdirSync(built).filter((f) => f.endsWith('.js'));
    expect(modules).toContain('index.js');
    for (const file of modules) {
      expect(readFileSync(join(built, file), 'utf8'), file).not.toMatch(/['"]ccxt['"]/u);
    }
    expect(readFileSync(join(ROOT, 'dist/src/index.js'), 'utf8')).not.toMatch(/ccxt/u);
  });
});
