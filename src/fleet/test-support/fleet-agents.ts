import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arm } from '../../core/arm.js';
import { ACCOUNTS, T0_MS, TEST_SALT } from '../../embed/test-support/bot-driver.js';

/**
 * The fleet tests' agents (fleet-agent-process.ts) as child processes, and what their outbox
 * journals say they reported.
 */

const AGENT_SCRIPT = fileURLToPath(new URL('./fleet-agent-process.ts', import.meta.url));
export const AGENT_TOKEN = 'fleet-agent-token-0123456789';
/** Event time runs 60× the wall clock: 25 event minutes in 25 s (2,400 reports/s in all). */
export const SPEED = 60;
export const EVENT_MINUTES = 25;

export type ArmCounts = Record<Arm, { orders: number; fills: number; rejects: number }>;

export interface AgentRun {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly exit: Promise<number | null>;
}

/** Starts one agent process with `args` (fleet-agent-process.ts); its JSON lines are collected. */
export function startAgent(args: object): AgentRun {
  const child = spawn(process.execPath, ['--import', 'tsx', AGENT_SCRIPT, JSON.stringify(args)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts)
      if (part !== '') lines.push(JSON.parse(part) as Record<string, unknown>);
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) {
        process.stderr.write(`${stderr}\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
      }
      resolve(code);
    }),
  );
  return { child, lines, exit };
}

/** The last tick an agent has reported (-1 before any). */
export function ticked(run: AgentRun): number {
  return Math.max(
    -1,
    ...run.lines.flatMap((l) => (typeof l['tick'] === 'number' ? [l['tick']] : [])),
  );
}

/** Per arm, the orders, fills and rejects an agent's outbox journal holds: all it ever reported. */
export function journalCounts(path: string): ArmCounts {
  const counts = {
    stable: { orders: 0, fills: 0, rejects: 0 },
    canary: { orders: 0, fills: 0, rejects: 0 },
  };
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text === '') continue;
    const line = JSON.parse(text) as { report?: { type: string; arm: Arm } };
    const report = line.report;
    if (report === undefined) continue;
    const kind = ({ order: 'orders', fill: 'fills', reject: 'rejects' } as const)[
      report.type as 'order' | 'fill' | 'reject'
    ];
    counts[report.arm][kind]++;
  }
  return counts;
}

/** The three agents' accounts. */
const THIRDS = [0, 1, 2].map((i) =>
  ACCOUNTS.slice((i * ACCOUNTS.length) / 3, ((i + 1) * ACCOUNTS.length) / 3).map((a) => a.id),
);

/**
 * Agent `i`'s arguments (fleet-agent-process.ts): its third of the accounts, its outbox in `dir`;
 * on the websocket at `url`, or on NATS with `nats`.
 */
export function agentArgs(
  url: string,
  dir: string,
  i: number,
  wallStartMs: number,
  nats?: { readonly url: string; readonly rollout: string },
): object {
  return {
    url,
    token: AGENT_TOKEN,
    ...(nats === undefined ? {} : { nats }),
    agentId: `bot-${i + 1}`,
    salt: TEST_SALT,
    accountIds: THIRDS[i],
    outboxPath: join(dir, `bot-${i + 1}.outbox.jsonl`),
    t0Ms: T0_MS,
    wallStartMs,
    speed: SPEED,
    untilMs: T0_MS + EVENT_MINUTES * 60_000,
  };
}

/** What the three agents of `dir` ever reported, per arm, from their outbox journals. */
export function fleetSent(dir: string): ArmCounts {
  const sent = {
    stable: { orders: 0, fills: 0, rejects: 0 },
    canary: { orders: 0, fills: 0, rejects: 0 },
  };
  for (let i = 1; i <= 3; i++) {
    const counts = journalCounts(join(dir, `bot-${i}.outbox.jsonl`));
    for (const arm of ['stable', 'canary'] as const) {
      sent[arm].orders += counts[arm].orders;
      sent[arm].fills += counts[arm].fills;
      sent[arm].rejects += counts[arm].rejects;
    }
  }
  return sent;
}

/** Reports journaled and not acknowledged. */
export function unacknowledged(path: string): number {
  let pending = 0;
  for (const text of readFileSync(path, 'utf8').split('\n')) {
    if (text.startsWith('{"id"')) pending++;
    else if (text.startsWith('{"ack"')) pending--;
  }
  return pending;
}
