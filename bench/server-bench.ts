import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { generateAccounts } from '../src/engine/generate-accounts.js';
import { bucketOf } from '../src/router/index.js';
import { BENCH_ACCOUNTS, BENCH_AGENT_TOKEN, BENCH_SALT } from './server-process.js';

/**
 * `npm run bench:server`: a load generator on loopback. N agents (default 4) connect to a server
 * in its own process and send execution reports (an order, then its fill) at increasing total
 * rates, each rate for a few seconds; for each rate it prints the reports acknowledged per second,
 * the reports lost (sent but not acknowledged as accepted within 5 s after the step) and the
 * server process's peak RSS so far (VmHWM). Bounded: loopback only, a fixed list of rates.
 */
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const AGENTS = flag('--agents', 4);
const STEP_SECONDS = flag('--seconds', 3);
const RATES = [1_000, 2_000, 5_000, 10_000, 20_000, 40_000];
const T0_MS = 1_723_161_600_000;
const TICK_MS = 20;

interface Agent {
  readonly ws: WebSocket;
  readonly accounts: readonly string[];
  acked: number;
  refused: number;
  seq: number;
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmHWM:\s+(\d+)/u.exec(status)?.[1] ?? 0);
  return kib / 1024;
}

async function connect(port: number, id: number, accounts: readonly string[]): Promise<Agent> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const agent: Agent = { ws, accounts, acked: 0, refused: 0, seq: 0 };
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as { type: string; accepted?: boolean };
    if (message.type !== 'ack') return;
    if (message.accepted === true) agent.acked++;
    else agent.refused++;
  });
  ws.send(
    JSON.stringify({ type: 'hello', role: 'agent', token: BENCH_AGENT_TOKEN, agentId: `a${id}` }),
  );
  ws.send(JSON.stringify({ type: 'clock', tsMs: T0_MS }));
  return agent;
}

/** Sends `count` reports (alternately an order and its fill) for the agent's stable accounts. */
function send(agent: Agent, agentIndex: number, count: number): void {
  for (let i = 0; i < count; i++) {
    const n = agent.seq++;
    const orderNo = n >> 1;
    const accountId = agent.accounts[orderNo % agent.accounts.length]!;
    const order = {
      orderId: `a${agentIndex}-o${orderNo}`,
      accountId,
      arm: 'stable',
      symbol: 'BTCUSDT',
      side: orderNo % 2 === 0 ? 'buy' : 'sell',
      quantity: '0.001',
      decisionTsMs: T0_MS,
    };
    const report =
      n % 2 === 0
        ? { type: 'order', ...order }
        : {
            type: 'fill',
            ...order,
            fillId: `a${agentIndex}-f${orderNo}`,
            price: '60000',
            fee: '0.06',
            tsMs: T0_MS + 1,
            latencyMs: 20,
            slippageBps: 0,
          };
    agent.ws.send(JSON.stringify({ type: 'report', reportId: `r${n}`, report }));
  }
}

async function main(): Promise<void> {
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./server-process.js', import.meta.url))],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const firstLine = await new Promise<string>((resolve) => {
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const { port } = JSON.parse(firstLine) as { port: number };
  // Accounts that stay on stable at the plan's first weight (1 %): their orders route to stable.
  const stable = generateAccounts(BENCH_ACCOUNTS, 1)
    .map((a) => a.id)
    .filter((id) => bucketOf(BENCH_SALT, id) >= 100);
  const agents = await Promise.all(
    Array.from({ length: AGENTS }, (_, i) =>
      connect(
        port,
        i,
        stable.filter((_, k) => k % AGENTS === i),
      ),
    ),
  );
  console.log(
    `strategy-canary server benchmark (node ${process.version}): ${AGENTS} agents on loopback, ${STEP_SECONDS} s per rate, server in its own process`,
  );
  console.log('offered reports/s   acknowledged reports/s   lost   refused   server peak RSS');
  let sentTotal = 0;
  for (const rate of RATES) {
    const ackedBefore = agents.reduce((s, a) => s + a.acked, 0);
    const started = performance.now();
    const perTick = (rate * TICK_MS) / 1000 / AGENTS;
    let carry = 0;
    let sent = 0;
    while (performance.now() - started < STEP_SECONDS * 1000) {
      carry += perTick;
      const count = Math.floor(carry);
      carry -= count;
      agents.forEach((agent, i) => send(agent, i, count));
      sent += count * AGENTS;
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    sentTotal += sent;
    const deadline = performance.now() + 5_000;
    while (
      agents.reduce((s, a) => s + a.acked + a.refused, 0) < sentTotal &&
      performance.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const elapsedS = (performance.now() - started) / 1000;
    const acked = agents.reduce((s, a) => s + a.acked, 0) - ackedBefore;
    const refused = agents.reduce((s, a) => s + a.refused, 0);
    const lost = sentTotal - agents.reduce((s, a) => s + a.acked + a.refused, 0);
    console.log(
      `${rate.toLocaleString('en-US').padStart(17)}   ${Math.round(acked / elapsedS)
        .toLocaleString('en-US')
        .padStart(
          22,
        )}   ${String(lost).padStart(4)}   ${String(refused).padStart(7)}   ${peakRssMiB(
        child.pid!,
      ).toFixed(1)} MiB`,
    );
    if (lost > 0) break; // the server no longer keeps up: higher rates only lose more
  }
  for (const agent of agents) agent.ws.close();
  child.kill('SIGTERM');
}

await main();
