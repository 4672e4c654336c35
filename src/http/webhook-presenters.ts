import type { DeliveryRow, WebhookRow } from '../store/webhooks.ts'
import type { Delivery, Webhook } from './schemas/webhook.ts'

/** A webhook as the API shows it (SPEC §3.5). */
export function presentWebhook(webhook: WebhookRow): Webhook {
  return {
    id: webhook.id,
    event: webhook.event as Webhook['event'],
    url: webhook.url,
    headers: webhook.headers,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
    disabledAt: webhook.disabledAt?.toISOString() ?? null,
  }
}

/** A delivery of the log, as GET /webhook-deliveries shows it. */
export function presentDelivery(d: DeliveryRow): Delivery {
  return {
    id: d.id,
    eventId: d.eventId,
    event: d.eventType,
    itemId: d.itemId,
    webhookId: d.webhookId,
    url: d.url,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'PENDING' ? d.nextAttemptAt.toISOString() : null,
    lastResponseCode: d.lastResponseCode,
    lastError: d.lastError,
    lastLatencyMs: d.lastLatencyMs,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
  }
}
