// The webhook endpoint's operation schema and its answers' shapes, shared by
// the settings page and the route (browser-safe: zod and the enums only).
import { WEBHOOK_EVENT_TYPES, type WebhookDeliveryStatus, type WebhookEndpointStatus, type WebhookEventType } from '@/lib/enums';
import { z } from '@/lib/zod';

export const createWebhookEndpointSchema = z.strictObject({
  url: z.string({ error: 'required' }).trim().min(1, 'required').max(2000, 'url').pipe(z.url({ protocol: /^https?$/, error: 'url' })),
  events: z
    .array(z.enum(WEBHOOK_EVENT_TYPES, { error: 'webhookEvents' }), { error: 'webhookEvents' })
    .min(1, 'webhookEvents')
    .transform((types) => WEBHOOK_EVENT_TYPES.filter((type) => types.includes(type))),
});
export type CreateWebhookEndpointInput = z.input<typeof createWebhookEndpointSchema>;

/** The test message's type: sent only by "send test event", never subscribed to. */
export const WEBHOOK_TEST_TYPE = 'webhook.test';
export type WebhookDeliveryType = WebhookEventType | typeof WEBHOOK_TEST_TYPE;

/** Who created an endpoint: the organiser's browser session, or one of their API keys (an integration subscribing itself). */
export type WebhookEndpointCreator = { type: 'session' } | { type: 'api_key'; id: string; name: string; prefix: string };

export type WebhookEndpointDto = {
  id: string;
  url: string;
  events: WebhookEventType[];
  status: WebhookEndpointStatus;
  /** When the receiver answered 410 Gone and the endpoint stopped receiving. */
  disabledAt: string | null;
  createdBy: WebhookEndpointCreator;
  createdAt: string;
};

export type WebhookDeliveryDto = {
  id: string;
  /** The `webhook-id` of every attempt at this message. */
  messageId: string;
  type: WebhookDeliveryType;
  attempts: number;
  status: WebhookDeliveryStatus;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
};
