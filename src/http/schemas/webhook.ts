import { z } from 'zod'
import { SUBSCRIBABLE_EVENTS } from '../../events/item-events.ts'
import { DateTime, NullableDateTime } from './date-time.ts'
import { pageOf } from './page.ts'

export const WebhookEvent = z.enum(SUBSCRIBABLE_EVENTS)

/** A registered webhook (SPEC §3.5). */
export const Webhook = z.strictObject({
  id: z.uuid(),
  event: WebhookEvent,
  url: z.string(),
  headers: z.record(z.string(), z.string()).describe('Custom headers sent with each delivery'),
  createdAt: DateTime,
  updatedAt: DateTime,
  disabledAt: NullableDateTime,
})
export type Webhook = z.infer<typeof Webhook>

export const WebhookPage = pageOf(Webhook).describe('Every webhook of the client, in one page')

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'FAILED'] as const

/** One event sent (or to be sent) to one URL, with what its attempts got (an extension). */
export const Delivery = z.strictObject({
  id: z.uuid(),
  eventId: z.uuid(),
  event: z.string(),
  itemId: z.uuid().nullable(),
  webhookId: z.uuid().nullable().describe('null for a delivery to the item’s own webhookUrl'),
  url: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int().min(0),
  nextAttemptAt: NullableDateTime.describe('When the next attempt is due, while PENDING'),
  lastResponseCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastLatencyMs: z.number().nullable(),
  createdAt: DateTime,
  deliveredAt: NullableDateTime,
})
export type Delivery = z.infer<typeof Delivery>

export const DeliveryPage = pageOf(Delivery).describe('A page of the delivery log, newest first')

export const DeliveryRetry = z.strictObject({ id: z.uuid(), status: z.enum(DELIVERY_STATUSES), attempts: z.number().int().min(0) }).describe('The delivery, due again now')
