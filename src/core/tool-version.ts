import { readFileSync } from 'node:fs';

/** The package name, as report.json records it. */
export const TOOL_NAME = 'strategy-canary';

/** The package version, read from package.json (found from here in the sources and in dist/). */
export const TOOL_VERSION: string = findPackageVersion();

function findPackageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === TOOL_NAME && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}
