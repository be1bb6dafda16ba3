/**
 * `npm run test:loaded [-- <vitest arguments>]`: the suite (or the named test files) while other
 * processes keep every core busy, one `for (;;) {}` per core (`LOAD_PROCESSES` to choose how
 * many). It passes when no test depends on how fast the machine is; it is slow by design. The
 * busy processes are ended when vitest exits, or when this is interrupted.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const count = Number(process.env['LOAD_PROCESSES'] ?? availableParallelism());
if (!Number.isInteger(count) || count < 0) {
  process.stderr.write(`LOAD_PROCESSES must be a whole number ≥ 0, got ${String(count)}\n`);
  process.exit(2);
}
const busy = Array.from({ length: count }, () =>
  spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
);
const stopLoad = (): void => {
  for (const child of busy) child.kill('SIGKILL');
};
process.stderr.write(`test:loaded: ${count} busy process(es) on ${availableParallelism()} cores\n`);

const vitestBin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const vitest = spawn(process.execPath, [vitestBin, 'run', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopLoad();
    vitest.kill(signal);
  });
}
vitest.on('exit', (code, signal) => {
  stopLoad();
  process.exit(code ?? (signal === null ? 1 : 128));
});
