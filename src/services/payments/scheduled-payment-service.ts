import type { Pool } from 'pg'
import { brasiliaDateOf } from '../../domain/payments/calendar-date.ts'
import { hasScheduledPayments } from '../../domain/payments/payment-api-rules.ts'
import { transitionRequest } from '../../domain/payments/payment-request.ts'
import { transitionScheduledPayment } from '../../domain/payments/scheduled-payment.ts'
import { isFinalScheduledPaymentStatus } from '../../domain/payments/statuses.ts'
import { Refusal } from '../../engine/refusal.ts'
import { withTransaction, type Queryable } from '../../store/database.ts'
import { findPaymentRequest, lockPaymentRequest, requestStateOf, saveRequestTransition, type PaymentRequestRow } from '../../store/payments/payment-requests.ts'
import { findScheduledPayment, listScheduledPayments, saveScheduledPaymentTransitions, scheduledPaymentStateOf, type ScheduledPaymentRow } from '../../store/payments/scheduled-payments.ts'
import type { Clock } from '../../time/clock.ts'
import { resourceId } from '../resource-id.ts'
import { emittedEvents, engineEffects, type ApplyPaymentEffects } from './payment-call.ts'

export type { ScheduledPaymentRow }

export function paymentRequestNotFound(id: string): Refusal {
  return new Refusal('not_found', 'PAYMENT_REQUEST_NOT_FOUND', `Payment request ${id} does not exist for this client; list them with GET /payments/requests.`)
}

/** The client's request, read (or locked, in a transaction) by a path id. */
export async function requestOfPath(db: Queryable, clientId: string, id: string, lock = false): Promise<PaymentRequestRow> {
  const key = resourceId(id, 'PAYMENT_REQUEST_NOT_FOUND', 'Payment request')
  const found = lock ? await lockPaymentRequest(db, clientId, key) : await findPaymentRequest(db, clientId, key)
  if (!found) throw paymentRequestNotFound(id)
  return found
}

const scheduleNotFound = (requestId: string, id: string) =>
  new Refusal('not_found', 'SCHEDULED_PAYMENT_NOT_FOUND', `Payment request ${requestId} has no scheduled payment ${id}; list them with GET /payments/requests/${requestId}/schedules.`)

/**
 * The scheduled payments of a scheduled request (Pix Agendado; docs/payments.md, methods 29–32):
 * listed, read, canceled one by one until the day before each, or all at once.
 */
export class ScheduledPaymentService {
  constructor(
    private readonly db: Pool,
    private readonly clock: Clock,
    private readonly applyEffects: ApplyPaymentEffects,
  ) {}

  async list(clientId: string, requestId: string): Promise<ScheduledPaymentRow[]> {
    const request = await requestOfPath(this.db, clientId, requestId)
    return listScheduledPayments(this.db, clientId, request.id)
  }

  async get(clientId: string, requestId: string, id: string): Promise<ScheduledPaymentRow> {
    const request = await requestOfPath(this.db, clientId, requestId)
    const found = await findScheduledPayment(this.db, clientId, request.id, resourceId(id, 'SCHEDULED_PAYMENT_NOT_FOUND', 'Scheduled payment'))
    if (!found) throw scheduleNotFound(requestId, id)
    return found
  }

  /** Cancels one payment (until the day before its date); the request finishes when it was the last pending one. */
  async cancel(clientId: string, requestId: string, id: string): Promise<void> {
    const now = this.clock.now()
    await withTransaction(this.db, async (tx) => {
      // The request is locked first: the engine settling another of its payments waits, so exactly one of us finishes it.
      const request = await requestOfPath(tx, clientId, requestId, true)
      const payment = await findScheduledPayment(tx, clientId, request.id, resourceId(id, 'SCHEDULED_PAYMENT_NOT_FOUND', 'Scheduled payment'))
      if (!payment) throw scheduleNotFound(requestId, id)
      const today = brasiliaDateOf(now)
      const moved = transitionScheduledPayment(scheduledPaymentStateOf(payment), { type: 'CANCELED_BY_CLIENT', today })
      if (!moved.ok) {
        throw new Refusal('bad_request', 'SCHEDULED_PAYMENT_NOT_CANCELABLE', `Scheduled payment ${id} of ${payment.scheduledDate} cannot be canceled (today is ${today} in Brasília): ${moved.reason}.`)
      }
      const subject = { clientId, paymentRequestId: request.id, scheduledPaymentId: payment.id, entity: 'SCHEDULED_PAYMENT' } as const
      const saved = await saveScheduledPaymentTransitions(tx, clientId, [{ id: payment.id, expected: payment.status, next: moved.next }], emittedEvents(moved.effects, subject, now), now)
      if (!saved.has(payment.id)) throw new Refusal('bad_request', 'SCHEDULED_PAYMENT_NOT_CANCELABLE', `Scheduled payment ${id} was settled or failed just now; it can no longer be canceled.`)
      await this.applyEffects(tx, subject, engineEffects(moved.effects), now)
      await this.finishIfLast(tx, request, now)
    })
  }

  /** Cancels every pending payment of the schedule: the request is CANCELED and its consent ends. */
  async cancelAll(clientId: string, requestId: string): Promise<void> {
    const now = this.clock.now()
    await withTransaction(this.db, async (tx) => {
      const request = await requestOfPath(tx, clientId, requestId, true)
      if (!hasScheduledPayments(request.kind)) {
        throw new Refusal('bad_request', 'PAYMENT_REQUEST_NOT_CANCELABLE', `Payment request ${requestId} has no schedule: it is a ${request.kind} request.`)
      }
      const state = requestStateOf(request)
      const moved = transitionRequest(state, { type: 'SCHEDULES_CANCELED' })
      if (!moved.ok) {
        throw new Refusal('bad_request', 'PAYMENT_REQUEST_NOT_CANCELABLE', `The schedule of payment request ${requestId} cannot be canceled while the request is ${request.status}: ${moved.reason}.`)
      }
      const subject = { clientId, paymentRequestId: request.id, entity: 'PAYMENT_REQUEST' } as const
      // Every effect, its event included, goes to the engine once the guarded write saved the
      // transition: the request's payment_request/updated then follows its payments' cancellations.
      if (await saveRequestTransition(tx, { clientId, id: request.id, expected: state, next: moved.next, events: [], at: now })) {
        await this.applyEffects(tx, subject, moved.effects, now)
      }
    })
  }

  /** After a cancellation: when no payment of the schedule is pending any more, the request finishes. */
  private async finishIfLast(tx: Queryable, request: PaymentRequestRow, now: Date): Promise<void> {
    const statuses = (await listScheduledPayments(tx, request.clientId, request.id)).map((p) => p.status)
    if (!statuses.every(isFinalScheduledPaymentStatus)) return
    const state = requestStateOf(request)
    const finished = transitionRequest(state, { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses })
    if (!finished.ok) return
    const subject = { clientId: request.clientId, paymentRequestId: request.id, entity: 'PAYMENT_REQUEST' } as const
    if (await saveRequestTransition(tx, { clientId: request.clientId, id: request.id, expected: state, next: finished.next, events: emittedEvents(finished.effects, subject, now), at: now })) {
      await this.applyEffects(tx, subject, engineEffects(finished.effects), now)
    }
  }
}
