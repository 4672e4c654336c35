import { addMinutes, brasiliaDateOf } from '../../domain/payments/calendar-date.ts'
import { PAYABLE_AFTER_CONSENT, PENDING_SCHEDULED_STATUS } from '../../domain/payments/payment-execution.ts'
import { transitionRequest } from '../../domain/payments/payment-request.ts'
import { transitionScheduledPayment, type ScheduledPaymentEvent } from '../../domain/payments/scheduled-payment.ts'
import { isFinalScheduledPaymentStatus } from '../../domain/payments/statuses.ts'
import { withTransaction } from '../../store/database.ts'
import { armPaymentCheck, findConsentLinkOfRequest } from '../../store/payments/payment-execution.ts'
import { findPaymentIntentForWork } from '../../store/payments/payment-intents.ts'
import { findPaymentRequest, requestStateOf, saveRequestTransition } from '../../store/payments/payment-requests.ts'
import { listScheduledPayments, lockDueScheduledPayments, saveScheduledPaymentTransitions, scheduledPaymentStateOf, type ScheduledPaymentRow } from '../../store/payments/scheduled-payments.ts'
import type { TaskPayloads } from '../../store/queue.ts'
import { saveIntentStep } from './intent-steps.ts'
import { applyPaymentEffects } from './payment-effects.ts'
import type { PaymentRunnerDeps } from './payment-intent-runner.ts'

/** A dated payment the bank has not finished settling is looked at again this much later. */
const SETTLEMENT_RECHECK_MINUTES = 1
/** Due dated payments handled per check. */
const DUE_BATCH = 50

/**
 * Performs a durable payment timer that came due (a CHECK_AT effect): a consent's window closed,
 * a dated payment's day came, an authorization reached its end. Each is a guarded transition: a
 * timer that fires twice, or late, changes nothing the second time.
 */
export class PaymentCheckRunner {
  constructor(private readonly deps: PaymentRunnerDeps) {}

  async run(check: TaskPayloads['run-payment-check']): Promise<void> {
    const now = this.deps.clock.now()
    switch (check.check) {
      case 'CONSENT_EXPIRY': {
        if (check.subjectKind !== 'PAYMENT_INTENT') return
        const intent = await findPaymentIntentForWork(this.deps.db.pool, check.subjectId)
        if (!intent || intent.finishedAt !== null) return
        await saveIntentStep(this.deps.db, intent, { type: 'CONSENT_EXPIRED', at: now.toISOString() }, now)
        return
      }
      case 'PAYMENT_DATE':
        // Every due payment, not only this one: the check is also the sweep for any a crash lost.
        await this.settleDueScheduledPayments(now)
        return
      case 'AUTHORIZATION_EXPIRY':
        if (check.subjectKind === 'PAYMENT_REQUEST') await this.expireAuthorization(check.clientId, check.subjectId, now)
        return
      default:
        this.deps.logger.warn({ check }, 'unknown payment check')
    }
  }

  private async expireAuthorization(clientId: string, requestId: string, now: Date): Promise<void> {
    await withTransaction(this.deps.db.pool, async (tx) => {
      const request = await findPaymentRequest(tx, clientId, requestId)
      if (!request) return
      const expected = requestStateOf(request)
      const moved = transitionRequest(expected, { type: 'AUTHORIZATION_EXPIRED' })
      if (!moved.ok) return
      if (await saveRequestTransition(tx, { clientId, id: requestId, expected, next: moved.next, events: [], at: now })) {
        await applyPaymentEffects(tx, { clientId, entity: 'PAYMENT_REQUEST', paymentRequestId: requestId }, moved.effects, now)
      }
    })
  }

  /** Settles the scheduled payments due today through the payer's bank, under their schedule's consent. */
  async settleDueScheduledPayments(now: Date): Promise<void> {
    const today = brasiliaDateOf(now)
    // Read without holding the rows: the bank is called outside any transaction, and each save is guarded.
    const due = await lockDueScheduledPayments(this.deps.db.pool, PENDING_SCHEDULED_STATUS, today, DUE_BATCH)
    for (const payment of due) {
      try {
        await this.settleScheduledPayment(payment, today, now)
      } catch (error) {
        this.deps.logger.warn({ err: error, scheduledPaymentId: payment.id }, 'a scheduled payment could not be settled now; it is looked at again shortly')
        await armPaymentCheck(this.deps.db.pool, { subjectKind: 'SCHEDULED_PAYMENT', subjectId: payment.id, check: 'PAYMENT_DATE', dueAt: new Date(addMinutes(now.toISOString(), SETTLEMENT_RECHECK_MINUTES)), clientId: payment.clientId }, now)
      }
    }
  }

  private async settleScheduledPayment(payment: ScheduledPaymentRow, today: string, now: Date): Promise<void> {
    const link = await findConsentLinkOfRequest(this.deps.db.pool, payment.paymentRequestId, PAYABLE_AFTER_CONSENT)
    const bank = link ? this.deps.connectors.get(link.connectorId)?.payments : undefined
    let event: ScheduledPaymentEvent | null
    if (!link?.consentId || !bank) {
      event = { type: 'FAILED', error: { code: 'CONSENT_UNAVAILABLE', description: 'The schedule’s consent at the payer’s bank could not be found.' } }
    } else {
      const ctx = { signal: new AbortController().signal, now: () => this.deps.clock.now(), log: (message: string) => this.deps.logger.info({ scheduledPaymentId: payment.id }, message) }
      const initiated = await bank.initiatePayment(ctx, link.consentId, { reference: payment.id, amountCents: payment.amountCents, date: payment.scheduledDate })
      const status = await bank.paymentStatus(ctx, initiated.paymentId)
      event =
        status.status === 'RJCT'
          ? { type: 'FAILED', error: status.rejection ?? { code: 'PAYMENT_REJECTED', description: 'The payer’s bank rejected the payment.' } }
          : status.status === 'ACCC'
            ? { type: 'SETTLED', today }
            : null
    }
    if (!event) {
      const dueAt = new Date(addMinutes(now.toISOString(), SETTLEMENT_RECHECK_MINUTES))
      await armPaymentCheck(this.deps.db.pool, { subjectKind: 'SCHEDULED_PAYMENT', subjectId: payment.id, check: 'PAYMENT_DATE', dueAt, clientId: payment.clientId }, now)
      return
    }
    const settled = event
    await withTransaction(this.deps.db.pool, async (tx) => {
      const expected = scheduledPaymentStateOf(payment)
      const moved = transitionScheduledPayment(expected, settled)
      if (!moved.ok) return
      const saved = await saveScheduledPaymentTransitions(tx, payment.clientId, [{ id: payment.id, expected: payment.status, next: moved.next }], [], now)
      if (!saved.has(payment.id)) return
      const about = { clientId: payment.clientId, paymentRequestId: payment.paymentRequestId }
      await applyPaymentEffects(tx, { ...about, entity: 'SCHEDULED_PAYMENT', scheduledPaymentId: payment.id }, moved.effects, now)
      await this.finishScheduleIfDone(tx, payment, now)
    })
  }

  /** After the last of a request's scheduled payments finished, the request finishes too. */
  private async finishScheduleIfDone(tx: import('pg').PoolClient, payment: ScheduledPaymentRow, now: Date): Promise<void> {
    const statuses = (await listScheduledPayments(tx, payment.clientId, payment.paymentRequestId)).map((p) => p.status)
    if (!statuses.every(isFinalScheduledPaymentStatus)) return
    const request = await findPaymentRequest(tx, payment.clientId, payment.paymentRequestId)
    if (!request) return
    const expected = requestStateOf(request)
    const moved = transitionRequest(expected, { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses })
    if (!moved.ok) return
    if (await saveRequestTransition(tx, { clientId: payment.clientId, id: request.id, expected, next: moved.next, events: [], at: now })) {
      await applyPaymentEffects(tx, { clientId: payment.clientId, entity: 'PAYMENT_REQUEST', paymentRequestId: request.id }, moved.effects, now)
    }
  }
}
