import type { Subscription } from 'rxjs';
import type { Canary } from '../embed/create-canary.js';
import { webhookEventOf, type WebhookEvent, type WebhookFilter } from './webhook-event.js';
import {
  WebhookSender,
  type WebhookSenderOptions,
  type WebhookSenderStats,
  type WebhookTarget,
} from './webhook-sender.js';

/** Options of {@link notifyWebhooks}. */
export interface NotifyWebhooksOptions extends WebhookSenderOptions, WebhookFilter {
  readonly targets: readonly WebhookTarget[];
  /** Where the rollout's report can be read, put in every event (default none). */
  readonly reportUrl?: string | null;
  /**
   * Whether this process speaks for the rollout now (default: always): a standby controller of
   * the fleet on NATS books the same log as the leader and holds its events (the latest
   * {@link HELD_EVENTS}) until it speaks, then sends them first (`speakNow`): those a dead leader
   * had not sent get out, and those it had carry the same ids, which a receiver drops
   * (docs/server.md, "Failover").
   */
  readonly speaks?: () => boolean;
}

/** The webhooks of a rollout, running. */
export interface WebhookNotifications {
  /** Each target's counters, in the order of `targets`. */
  stats(): WebhookSenderStats[];
  /** Resolves once every event so far is delivered or given up. */
  idle(): Promise<void>;
  /** Stops listening and waits up to `graceMs` for the queues to drain. */
  close(graceMs?: number): Promise<void>;
  /** This process speaks now: sends the events held while it did not (see `speaks`). */
  speakNow(): void;
}

/** Events a process that does not speak keeps for when it does (the latest). */
export const HELD_EVENTS = 1000;

/**
 * Sends the rollout's decisions, timeouts, operator commands and transitions (its audit records,
 * as they are written: `canary.audit$`) to every target, each in order and each event once
 * (docs/server.md, "Webhooks").
 */
export function notifyWebhooks(
  canary: Pick<Canary, 'audit$' | 'rolloutId'>,
  options: NotifyWebhooksOptions,
): WebhookNotifications {
  const senders = options.targets.map((target) => new WebhookSender(target, options));
  const context = { rolloutId: canary.rolloutId, reportUrl: options.reportUrl ?? null };
  const held: WebhookEvent[] = [];
  const sendAll = (event: WebhookEvent): void => {
    for (const sender of senders) sender.send(event);
  };
  const speakNow = (): void => {
    for (const event of held.splice(0)) sendAll(event);
  };
  const subscription: Subscription = canary.audit$.subscribe((record) => {
    const event = webhookEventOf(record, context, options);
    if (event === null) return;
    if (options.speaks?.() === false) {
      held.push(event);
      if (held.length > HELD_EVENTS) held.shift();
      return;
    }
    speakNow();
    sendAll(event);
  });
  return {
    stats: () => senders.map((sender) => sender.stats),
    idle: async () => {
      await Promise.all(senders.map((sender) => sender.idle()));
    },
    close: async (graceMs?: number) => {
      subscription.unsubscribe();
      await Promise.all(senders.map((sender) => sender.close(graceMs)));
    },
    speakNow,
  };
}
