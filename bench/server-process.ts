import { createCanary } from '../src/embed/create-canary.js';
import { generateAccounts } from '../src/engine/generate-accounts.js';
import { createCanaryServer } from '../src/server/index.js';

/**
 * The server side of `npm run bench:server`, in its own process so its memory is its own: a
 * canary over 1,000 accounts (plan standard) behind `createCanaryServer` on a free loopback port,
 * with agent rate limits high enough not to be what is measured. Prints `{"port":P}` and runs
 * until SIGTERM.
 */
export const BENCH_SALT = 'bench-server';
export const BENCH_ACCOUNTS = 1000;
export const BENCH_AGENT_TOKEN = 'bench-agent-token';

async function main(): Promise<void> {
  const accounts = generateAccounts(BENCH_ACCOUNTS, 1).map((a) => ({
    id: a.id,
    capital: a.capital.toFixed(),
  }));
  const canary = createCanary({
    stable: 'bot@1.0.0',
    canary: 'bot@2.0.0',
    plan: 'standard',
    salt: BENCH_SALT,
    accounts,
  });
  const server = await createCanaryServer({
    canary,
    tokens: { operator: 'bench-operator-token', agent: BENCH_AGENT_TOKEN },
    limits: { rates: { agent: { perSecond: 1_000_000, burst: 1_000_000 } } },
  });
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  process.once('SIGTERM', () => {
    void server.close().then(() => {
      canary.close();
      process.exit(0);
    });
  });
}

if (process.argv[1]?.endsWith('server-process.js') === true) await main();
