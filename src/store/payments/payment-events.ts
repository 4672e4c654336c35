import { randomUUID } from 'node:crypto'
import { paymentEventFields, type PaymentEventSubject, type PaymentWebhookEvent } from '../../domain/payments/webhook-events.ts'
import type { NewEvent } from '../events.ts'

/**
 * A payment event for the outbox, with the payload the reference's webhook type declares. Payment
 * events belong to no item: every one goes to the client's webhooks subscribed to it (or to `all`).
 */
export function paymentEvent(event: PaymentWebhookEvent, subject: PaymentEventSubject, at: Date): NewEvent {
  const id = randomUUID()
  return {
    id,
    clientId: subject.clientId,
    itemId: null,
    type: event,
    payload: { event, eventId: id, id, ...paymentEventFields(event, subject) },
    at,
    itemWebhookUrl: null,
  }
}
