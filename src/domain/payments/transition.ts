import type { PaymentWebhookEvent } from './webhook-events.ts'

/**
 * The shape every payment lifecycle shares with the item lifecycle: `transition(state, event)`
 * returns the next state and the effects the engine must perform after saving it, or refuses the
 * event and changes nothing. The engine performs effects; a transition performs none.
 */
export type Transition<S> = { ok: true; next: S; effects: PaymentEffect[] } | { ok: false; reason: string }

/** Instants the engine must wake a lifecycle at (a durable timer), and what it checks then. */
export const PAYMENT_CHECKS = [
  /** The consent's authorization window closes: a consent still awaited then has expired. */
  'CONSENT_EXPIRY',
  /** A dated payment's day has come: the engine asks the bank to settle it. */
  'PAYMENT_DATE',
  /** A Pix Automático authorization reaches its `expiresAt`. */
  'AUTHORIZATION_EXPIRY',
] as const
export type PaymentCheck = (typeof PAYMENT_CHECKS)[number]

/** Which side of a payment a funds movement touches: the payer's account, or the recipient's. */
export const FUNDS_MOVEMENTS = ['DEBIT_PAYER', 'CREDIT_RECIPIENT'] as const
export type FundsMovement = (typeof FUNDS_MOVEMENTS)[number]

export type PaymentEffect =
  /** Write the webhook event to the outbox, with the transitioned entity as its subject. */
  | { type: 'EMIT'; event: PaymentWebhookEvent; status?: string }
  /** Wake this entity at `at` (an ISO instant) to check `check`. */
  | { type: 'CHECK_AT'; check: PaymentCheck; at: string }
  /**
   * Move money (sandbox balances, smart-account balances): each leg of a payment happens exactly
   * once, in the transaction that saves the transition. `paymentRequestId` names the request
   * paid when a bulk payment pays its requests one by one.
   */
  | { type: 'MOVE_FUNDS'; movement: FundsMovement; amountCents: number; paymentRequestId?: string }
  /** The consent of a scheduled request or a Pix Automático authorization is in force: create the payments it covers and arm their checks. */
  | { type: 'START_PAYMENTS' }
  /** The consent ended: cancel the payments it covered that are still pending. */
  | { type: 'CANCEL_PENDING_PAYMENTS' }
  /** The bulk payment's smart account was topped up: pay each of its requests from it. */
  | { type: 'PAY_BULK_REQUESTS' }

export function accept<S>(next: S, effects: PaymentEffect[] = []): Transition<S> {
  return { ok: true, next, effects }
}

export function refuse<S>(what: string, event: { type: string }, status: string, why?: string): Transition<S> {
  return { ok: false, reason: `${event.type} is not allowed for a ${what} ${status}${why ? `: ${why}` : ''}` }
}

export function emit(event: PaymentWebhookEvent, status?: string): PaymentEffect {
  return status === undefined ? { type: 'EMIT', event } : { type: 'EMIT', event, status }
}
