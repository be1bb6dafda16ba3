import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { drive, testCanary } from '../embed/test-support/bot-driver.js';
import type { AuditRecord } from '../rollout/index.js';
import { notifyWebhooks } from './notify-webhooks.js';
import { webhookEventOf, type WebhookEvent } from './webhook-event.js';
import { WebhookSender } from './webhook-sender.js';
import {
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from './webhook-signature.js';

const SECRET = 'webhook-secret-0123456789';
const FAST = { backoff: { initialMs: 2, maxMs: 10 }, random: () => 0.5 } as const;

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly status: number;
}

/**
 * An HTTP receiver on 127.0.0.1 that answers each request with the next status of `plan(id,
 * attempt)` (the attempt of that event id, from 1; `drop` closes the connection unanswered).
 */
async function receiver(
  plan: (id: string, attempt: number) => number | 'drop',
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const id = String(req.headers[EVENT_ID_HEADER]);
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const answer = plan(id, attempt);
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      received.push({ headers: req.headers, body, status: answer });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return { url: `http://127.0.0.1:${address.port}/hook`, received, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

function event(seq: number, action = 'increase'): WebhookEvent {
  return {
    id: `${seq}@rollout`,
    type: 'decision',
    severity: 'info',
    action,
    disposition: 'applied',
    at: '2024-08-09T00:00:00.000000Z',
    rolloutId: 'rollout',
    seq,
    stepIndex: 0,
    fromWeightPct: 1,
    toWeightPct: 5,
    reasons: [],
    reportUrl: null,
    text: `decision ${action}`,
  };
}

describe('WebhookSender', () => {
  it('delivers each event once and in order through 5xx, 429 and dropped connections, signed', async () => {
    // Event 2 fails twice (503, then a dropped connection), event 3 once (429), event 4 is
    // refused for good (400): never tried again.
    const hook = await receiver((id, attempt) => {
      if (id.startsWith('2@')) return attempt === 1 ? 503 : attempt === 2 ? 'drop' : 200;
      if (id.startsWith('3@')) return attempt === 1 ? 429 : 200;
      if (id.startsWith('4@')) return 400;
      return 200;
    });
    servers.push(hook.server);
    const givenUp: string[] = [];
    const sender = new WebhookSender(
      { url: hook.url, secret: SECRET },
      { ...FAST, onGiveUp: (e, reason) => givenUp.push(`${e.id}: ${reason}`) },
    );
    for (const seq of [1, 2, 3, 4, 5]) sender.send(event(seq));
    sender.send(event(2)); // the same id again: not queued twice
    await sender.idle();

    const delivered = hook.received.filter((r) => r.status === 200);
    expect(delivered.map((r) => (JSON.parse(r.body) as WebhookEvent).seq)).toEqual([1, 2, 3, 5]);
    // The dropped connection left no answer to record.
    expect(hook.received.map((r) => r.status)).toEqual([200, 503, 200, 429, 200, 400, 200]);
    expect(givenUp).toEqual(['4@rollout: HTTP 400']);
    expect(sender.stats).toEqual({ delivered: 4, retried: 3, givenUp: 1, queued: 0 });
    for (const r of hook.received) {
      const timestamp = String(r.headers[TIMESTAMP_HEADER]);
      expect(
        verifyWebhookSignature(SECRET, timestamp, r.body, String(r.headers[SIGNATURE_HEADER])),
      ).toBe(true);
      expect(
        verifyWebhookSignature(
          'another secret',
          timestamp,
          r.body,
          String(r.headers[SIGNATURE_HEADER]),
        ),
      ).toBe(false);
      expect(r.headers[EVENT_ID_HEADER]).toBe((JSON.parse(r.body) as WebhookEvent).id);
    }
  });

  it('gives an event up after maxAttempts, and sends Slack-shaped bodies on request', async () => {
    const hook = await receiver((id) => (id.startsWith('1@') ? 500 : 200));
    servers.push(hook.server);
    const sender = new WebhookSender(
      { url: hook.url, format: 'slack' },
      { ...FAST, maxAttempts: 3 },
    );
    sender.send(event(1, 'rollback'));
    sender.send(event(2));
    await sender.idle();
    expect(hook.received.map((r) => r.status)).toEqual([500, 500, 500, 200]);
    expect(sender.stats).toMatchObject({ delivered: 1, retried: 2, givenUp: 1 });
    const body = JSON.parse(hook.received[3]!.body) as { text: string };
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toContain('decision increase');
    expect(hook.received[0]!.headers[SIGNATURE_HEADER]).toBeUndefined();
  });
});

describe('notifyWebhooks', () => {
  it('sends a rollout’s decisions, operator commands and transitions, not its holds', async () => {
    const hook = await receiver(() => 200);
    servers.push(hook.server);
    const canary = testCanary();
    const records: AuditRecord[] = [];
    canary.audit$.subscribe((r) => records.push(r));
    const notifications = notifyWebhooks(canary, {
      ...FAST,
      targets: [{ url: hook.url, secret: SECRET }],
      reportUrl: 'https://reports.example/rollout',
    });
    const endMs = drive(canary, 20, 0, (c) => c.state.stepIndex === 1);
    canary.halt('market closed');
    drive(canary, 1, 0, () => false, endMs + 10_000);
    await notifications.idle();
    await notifications.close();
    canary.close();

    const events = hook.received.map((r) => JSON.parse(r.body) as WebhookEvent);
    const expected = records
      .map((r) =>
        webhookEventOf(r, {
          rolloutId: canary.rolloutId,
          reportUrl: 'https://reports.example/rollout',
        }),
      )
      .filter((e): e is WebhookEvent => e !== null);
    expect(events).toEqual(expected);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.some((e) => e.type === 'decision' && e.action === 'increase')).toBe(true);
    expect(events.some((e) => e.type === 'transition')).toBe(true);
    const halt = events.find((e) => e.type === 'operator');
    expect(halt).toMatchObject({ action: 'halt', severity: 'warning' });
    expect(events.every((e) => e.action !== 'hold' || e.disposition === 'proposed')).toBe(true);
    expect(records.some((r) => r.action === 'hold')).toBe(true);
    expect(events.every((e) => e.reportUrl === 'https://reports.example/rollout')).toBe(true);
  });

  it('holds the events of a process that does not speak, and sends them first when it does', async () => {
    const hook = await receiver(() => 200);
    servers.push(hook.server);
    const canary = testCanary();
    let speaking = false;
    const notifications = notifyWebhooks(canary, {
      ...FAST,
      targets: [{ url: hook.url }],
      speaks: () => speaking,
    });
    const endMs = drive(canary, 20, 0, (c) => c.state.stepIndex === 1);
    await notifications.idle();
    expect(hook.received).toHaveLength(0); // a standby sends nothing
    speaking = true;
    notifications.speakNow();
    await notifications.idle();
    const held = hook.received.map((r) => (JSON.parse(r.body) as WebhookEvent).seq);
    expect(held.length).toBeGreaterThan(0);
    canary.halt('market closed');
    drive(canary, 1, 0, () => false, endMs + 10_000);
    await notifications.idle();
    await notifications.close();
    canary.close();
    const seqs = hook.received.map((r) => (JSON.parse(r.body) as WebhookEvent).seq);
    expect(seqs.length).toBeGreaterThan(held.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // in order, the held ones first
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});
