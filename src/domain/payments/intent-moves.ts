import { transitionBulkPayment, type BulkPaymentState } from './bulk-payment.ts'
import { startedIntent, startedPixQrIntent, transitionIntent, type PaymentIntentEvent, type PaymentIntentState } from './payment-intent.ts'
import { INTENT_KIND_OF, transitionRequest, type PaymentRequestState } from './payment-request.ts'
import type { PaymentEffect } from './transition.ts'

/** What an intent pays: a payment request, or the top-up of a bulk payment. */
export type IntentOwner = { type: 'REQUEST'; state: PaymentRequestState } | { type: 'BULK'; state: BulkPaymentState }

export type IntentMove =
  | {
      ok: true
      intent: { next: PaymentIntentState; effects: PaymentEffect[] }
      /** The owner after following the intent, and its own effects (its subject is the owner). */
      owner: { next: IntentOwner; effects: PaymentEffect[] }
    }
  | { ok: false; reason: string }

/**
 * An intent and what it pays move together, in one saved change: the intent's transition, then its
 * owner following the intent's new status. An owner that cannot follow (a broken pairing) refuses
 * the whole move.
 */
export function moveIntent(owner: IntentOwner, intent: PaymentIntentState, event: PaymentIntentEvent): IntentMove {
  const moved = transitionIntent(intent, event)
  if (!moved.ok) return moved
  if (moved.next.status === intent.status) return { ok: true, intent: moved, owner: { next: owner, effects: [] } }
  const followed: { ok: true; next: IntentOwner; effects: PaymentEffect[] } | { ok: false; reason: string } =
    owner.type === 'REQUEST'
      ? wrap('REQUEST', transitionRequest(owner.state, { type: 'INTENT_MOVED', status: moved.next.status }))
      : wrap('BULK', transitionBulkPayment(owner.state, { type: 'INTENT_MOVED', status: moved.next.status }))
  if (!followed.ok) return followed
  return { ok: true, intent: moved, owner: { next: followed.next, effects: followed.effects } }
}

/**
 * A payer starts an intent for a request or a bulk payment (at most one in progress each). The
 * intent pays `amountCents`: the request's amount (each payment's, for a schedule; 0 for a variable
 * Pix Automático mandate), or the bulk payment's total with its fees. A bulk payment's top-up may
 * be a Pix QR code instead (`pixQrAt`, the instant it is issued): its window opens at once.
 */
export function startIntent(owner: IntentOwner, amountCents: number, pixQrAt?: string): IntentMove {
  if (pixQrAt !== undefined && owner.type !== 'BULK') return { ok: false, reason: 'only a bulk payment is topped up by a Pix QR code' }
  const started = owner.type === 'REQUEST' ? wrap('REQUEST', transitionRequest(owner.state, { type: 'INTENT_STARTED' })) : wrap('BULK', transitionBulkPayment(owner.state, { type: 'INTENT_STARTED' }))
  if (!started.ok) return started
  const kind = owner.type === 'REQUEST' ? INTENT_KIND_OF[owner.state.kind] : 'BULK_TOP_UP'
  const intent = pixQrAt === undefined ? { next: startedIntent(kind, amountCents), effects: [] } : startedPixQrIntent(amountCents, pixQrAt)
  return { ok: true, intent, owner: { next: started.next, effects: started.effects } }
}

function wrap<T extends IntentOwner['type']>(
  type: T,
  result: { ok: true; next: Extract<IntentOwner, { type: T }>['state']; effects: PaymentEffect[] } | { ok: false; reason: string },
): { ok: true; next: IntentOwner; effects: PaymentEffect[] } | { ok: false; reason: string } {
  return result.ok ? { ok: true, next: { type, state: result.next } as IntentOwner, effects: result.effects } : result
}
