import type { Arm } from '../src/core/arm.js';
import type { accountResults as AccountResults } from '../src/engine/account-results.js';
import type { generateAccounts as GenerateAccounts } from '../src/engine/generate-accounts.js';
import type { Ledger as LedgerClass } from '../src/ledger/index.js';
import { buildBase, importFromBuild, optionValue } from './build-under-test.js';

/**
 * What opening and closing the books of many accounts costs, without a replay between: a
 * {@link LedgerClass | Ledger} opened on `--accounts` generated accounts (default 100,000; one in
 * ten on the canary), then every account's closing figures as accounts.csv has them
 * (`accountResults`). Prints the best of `--rounds` (default 6) of each. With `--root DIR` the
 * ledger is another build's (`DIR/dist`, a built `git worktree`): run the two in turns.
 *
 *   npm run build && node dist/bench/account-books-probe.js [--accounts N] [--rounds N] [--root DIR]
 */
const args = process.argv.slice(2);
const count = Number(optionValue(args, '--accounts') ?? 100_000);
const rounds = Number(optionValue(args, '--rounds') ?? 6);
const root = optionValue(args, '--root');
const base = buildBase(root);
const { Ledger } = await importFromBuild<{ Ledger: typeof LedgerClass }>(
  base,
  'src/ledger/index.js',
);
const { generateAccounts } = await importFromBuild<{ generateAccounts: typeof GenerateAccounts }>(
  base,
  'src/engine/generate-accounts.js',
);
const { accountResults } = await importFromBuild<{ accountResults: typeof AccountResults }>(
  base,
  'src/engine/account-results.js',
);

const accounts = generateAccounts(count, 1);
const assignments = accounts.map((account, i) => {
  const arm: Arm = i % 10 === 0 ? 'canary' : 'stable';
  return { account, arm };
});
let openMs = Number.POSITIVE_INFINITY;
let closeMs = Number.POSITIVE_INFINITY;
for (let round = 0; round < rounds; round++) {
  let started = performance.now();
  const ledger = new Ledger(assignments);
  openMs = Math.min(openMs, performance.now() - started);
  started = performance.now();
  const rows = accountResults(ledger, accounts);
  closeMs = Math.min(closeMs, performance.now() - started);
  if (rows.length !== count) throw new Error(`${rows.length} rows for ${count} accounts`);
}
process.stdout.write(
  `${root ?? 'this build'}: ${count.toLocaleString('en-US')} accounts, best of ${rounds}: opening the books ${openMs.toFixed(0)} ms, closing figures ${closeMs.toFixed(0)} ms\n`,
);
