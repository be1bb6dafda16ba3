import type { Subscription } from 'rxjs';
import type { Canary } from '../embed/create-canary.js';
import { webhookEventOf, type WebhookFilter } from './webhook-event.js';
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
}

/** The webhooks of a rollout, running. */
export interface WebhookNotifications {
  /** Each target's counters, in the order of `targets`. */
  stats(): WebhookSenderStats[];
  /** Resolves once every event so far is delivered or given up. */
  idle(): Promise<void>;
  /** Stops listening and waits up to `graceMs` for the queues to drain. */
  close(graceMs?: number): Promise<void>;
}

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
  const subscription: Subscription = canary.audit$.subscribe((record) => {
    const event = webhookEventOf(record, context, options);
    if (event !== null) for (const sender of senders) sender.send(event);
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
  };
}
