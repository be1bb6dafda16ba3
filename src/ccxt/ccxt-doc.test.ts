import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/embedding.md'), 'utf8');

/** The first `ts` code block of the doc's `## Using ccxt` section. */
function usingCcxtCode(): string {
  const start = DOC.indexOf('## Using ccxt');
  expect(start).toBeGreaterThanOrEqual(0);
  const block = /```ts\n([\s\S]*?)```/u.exec(DOC.slice(start));
  expect(block).not.toBeNull();
  return block![1]!;
}

describe('docs/embedding.md, "Using ccxt"', () => {
  it('shows code that compiles against the adapter, createCanary and ccxt (strict TypeScript)', () => {
    // The doc's free names are the bot's own: declared here, as the bot would have them.
    const code = `${usingCcxtCode().replace('/* … */', SNIPPET_OPTIONS)}
declare const apiKey: string, secret: string, accountId: string, seq: number, size: number;
declare const mid: string, signal: AbortSignal;
export {};
`;
    const file = join(ROOT, 'src/ccxt/using-ccxt.doc.ts'); // in memory only
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    options.noEmit = true;
    options.baseUrl = ROOT;
    options.paths = {
      'strategy-canary': ['src/index.ts'],
      'strategy-canary/ccxt': ['src/ccxt/index.ts'],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      name === file
        ? ts.createSourceFile(name, code, language)
        : getSourceFile(name, language, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file || d.file === undefined)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems, code).toEqual([]);
  });
});

/** createCanary's required options, where the doc elides them. */
const SNIPPET_OPTIONS = `stable: 'momentum@1.0.0', canary: 'momentum@2.0.0', plan: 'standard', salt: 's', accounts: [],`;
