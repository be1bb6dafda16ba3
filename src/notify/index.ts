/** Notifications of a rollout: webhooks for its decisions, operator commands and transitions. */
export {
  notifyWebhooks,
  type NotifyWebhooksOptions,
  type WebhookNotifications,
} from './notify-webhooks.js';
export {
  slackBodyOf,
  webhookEventOf,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookFilter,
  type WebhookSeverity,
} from './webhook-event.js';
export {
  WebhookSender,
  type WebhookSenderOptions,
  type WebhookSenderStats,
  type WebhookTarget,
} from './webhook-sender.js';
export {
  EVENT_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
  webhookSignature,
} from './webhook-signature.js';
