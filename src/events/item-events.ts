import { randomUUID } from 'node:crypto'
import type { ItemError } from '../domain/lifecycle.ts'
import { PAYMENT_WEBHOOK_EVENTS } from '../domain/payments/webhook-events.ts'
import type { Trigger } from '../domain/statuses.ts'
import type { NewEvent } from '../store/events.ts'

export const EVENT_TYPES = [
  'item/created',
  'item/updated',
  'item/error',
  'item/waiting_user_input',
  // Sent when the user must act outside the application (an Open Finance consent, a device
  // authorization); subscribable now, emitted by the WAITING_USER_ACTION status.
  'item/waiting_user_action',
  'item/login_succeeded',
  // Ours: a consent expires within TRIBUTARY_CONSENT_EXPIRY_WARNING_DAYS (docs/open-finance.md).
  'item/consent_expiring',
  'item/deleted',
  'transactions/created',
  'transactions/updated',
  'transactions/deleted',
  'connector/status_updated',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

/**
 * What a webhook may subscribe to: one event, `item/all` (every item event) or `all` (every event,
 * payment events included). Payment events belong to no item (docs/payments.md, Webhook events).
 */
export const SUBSCRIBABLE_EVENTS = ['all', 'item/all', ...EVENT_TYPES, ...PAYMENT_WEBHOOK_EVENTS] as const

/**
 * Written to the outbox with every status change, for the live stream (GET /items/{id}/events)
 * and GET /events; never sent to webhooks, whose events are the ones above.
 */
export const STATUS_EVENT = 'item/status'

/** The item's lifecycle fields after a transition, as the live stream shows them. */
export function statusEvent(
  item: { id: string; clientId: string; clientUserId: string | null; webhookUrl: string | null },
  state: { status: string; executionStatus: string; error: unknown; parameter: unknown; userAction: unknown },
  executionId: string,
  triggeredBy: Trigger,
  at: Date,
): NewEvent {
  const id = randomUUID()
  const { status, executionStatus, error, parameter, userAction } = state
  return {
    id,
    clientId: item.clientId,
    itemId: item.id,
    type: STATUS_EVENT,
    at,
    itemWebhookUrl: null,
    payload: { event: STATUS_EVENT, eventId: id, id, itemId: item.id, triggeredBy, clientUserId: item.clientUserId, executionId, status, executionStatus, error, parameter, userAction },
  }
}

/** An event about an item, with the payload of SPEC §3.5. */
export function itemEvent(
  type: EventType,
  item: { id: string; clientId: string; clientUserId: string | null; webhookUrl: string | null },
  triggeredBy: Trigger,
  at: Date,
  extra: { error?: ItemError | null } & Record<string, unknown> = {},
): NewEvent {
  const id = randomUUID()
  const { error, ...rest } = extra
  const payload: Record<string, unknown> = {
    event: type,
    eventId: id,
    id,
    itemId: item.id,
    triggeredBy,
    clientUserId: item.clientUserId,
    ...(error ? { error: { code: error.code, message: error.message } } : {}),
    ...rest,
  }
  return { id, clientId: item.clientId, itemId: item.id, type, payload, at, itemWebhookUrl: item.webhookUrl }
}

/** A connector's health changed (to one client: every client gets its own). */
export function connectorStatusEvent(clientId: string, connectorId: number, status: string, at: Date): NewEvent {
  const id = randomUUID()
  const type: EventType = 'connector/status_updated'
  return { id, clientId, itemId: null, type, payload: { event: type, eventId: id, id, connectorId, data: { status } }, at, itemWebhookUrl: null }
}
