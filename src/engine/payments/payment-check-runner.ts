import { addMinutes, brasiliaDateOf } from '../../domain/payments/calendar-date.ts'
import { transitionAutomaticPixPayment, type AutomaticPixPaymentEvent } from '../../domain/payments/automatic-pix-payment.ts'
import { AUTOMATIC_PIX_SETTLING_STATUS, PAYABLE_AFTER_CONSENT, PENDING_AUTOMATIC_PIX_STATUS, PENDING_SCHEDULED_STATUS, retriableFailure } from '../../domain/payments/payment-execution.ts'
import { transitionRequest } from '../../domain/payments/payment-request.ts'
import { transitionScheduledPayment, type ScheduledPaymentEvent } from '../../domain/payments/scheduled-payment.ts'
import { isFinalScheduledPaymentStatus } from '../../domain/payments/statuses.ts'
import { withTransaction } from '../../store/database.ts'
import { armPaymentCheck, findConsentLinkOfRequest } from '../../store/payments/payment-execution.ts'
import { automaticPixPaymentStateOf, lockDueAutomaticPixPayments, saveAutomaticPixPaymentTransitions } from '../../store/payments/automatic-pix-payments.ts'
import { findPaymentIntentForWork } from '../../store/payments/payment-intents.ts'
import { findPaymentRequest, requestStateOf, saveRequestTransition } from '../../store/payments/payment-requests.ts'
import { listScheduledPayments, lockDueScheduledPayments, saveScheduledPaymentTransitions, scheduledPaymentStateOf, type ScheduledPaymentRow } from '../../store/payments/scheduled-payments.ts'
import type { TaskPayloads } from '../../store/queue.ts'
import { saveIntentStep } from './intent-steps.ts'
import { applyPaymentEffects } from './payment-effects.ts'
import type { PaymentRunnerDeps } from './payment-intent-runner.ts'
import type { SmartTransferRunner } from './smart-transfer-runner.ts'
import { findPreauthorization } from '../../store/payments/smart-transfers.ts'

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
  constructor(
    private readonly deps: PaymentRunnerDeps,
    private readonly smartTransfers: SmartTransferRunner,
  ) {}

  async run(check: TaskPayloads['run-payment-check']): Promise<void> {
    const now = this.deps.clock.now()
    switch (check.check) {
      case 'CONSENT_EXPIRY': {
        if (check.subjectKind === 'SMART_TRANSFER_PREAUTHORIZATION') {
          const row = await findPreauthorization(this.deps.db.pool, check.clientId, check.subjectId)
          if (row) await this.smartTransfers.savePreauthorization(row, { type: 'CONSENT_EXPIRED', at: now.toISOString() })
          return
        }
        if (check.subjectKind !== 'PAYMENT_INTENT') return
        const intent = await findPaymentIntentForWork(this.deps.db.pool, check.subjectId)
        if (!intent || intent.finishedAt !== null) return
        await saveIntentStep(this.deps.db, intent, { type: 'CONSENT_EXPIRED', at: now.toISOString() }, now)
        return
      }
      case 'PAYMENT_DATE':
        // Every due payment, not only this one: the check is also the sweep for any a crash lost.
        await this.settleDueScheduledPayments(now)
        await this.settleDueAutomaticPixPayments(now)
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
        await this.recheck('SCHEDULED_PAYMENT', payment.id, payment.clientId, now)
      }
    }
  }

  /** Asks the bank to pay a dated payment under its request's consent: settled, failed (with why), or still settling (null). */
  private async payAtBank(
    paymentRequestId: string,
    reference: string,
    amountCents: number,
    date: string,
  ): Promise<{ settled: true } | { settled: false; error: { code: string; description: string } } | null> {
    const link = await findConsentLinkOfRequest(this.deps.db.pool, paymentRequestId, PAYABLE_AFTER_CONSENT)
    const bank = link ? this.deps.connectors.get(link.connectorId)?.payments : undefined
    if (!link?.consentId || !bank) return { settled: false, error: { code: 'CONSENT_UNAVAILABLE', description: 'The consent at the payer’s bank could not be found.' } }
    const ctx = { signal: new AbortController().signal, now: () => this.deps.clock.now(), log: (message: string) => this.deps.logger.info({ reference }, message) }
    const initiated = await bank.initiatePayment(ctx, link.consentId, { reference, amountCents, date })
    const status = await bank.paymentStatus(ctx, initiated.paymentId)
    if (status.status === 'RJCT') return { settled: false, error: status.rejection ?? { code: 'PAYMENT_REJECTED', description: 'The payer’s bank rejected the payment.' } }
    return status.status === 'ACCC' ? { settled: true } : null
  }

  private async recheck(subjectKind: 'SCHEDULED_PAYMENT' | 'AUTOMATIC_PIX_PAYMENT', subjectId: string, clientId: string, now: Date): Promise<void> {
    const dueAt = new Date(addMinutes(now.toISOString(), SETTLEMENT_RECHECK_MINUTES))
    await armPaymentCheck(this.deps.db.pool, { subjectKind, subjectId, check: 'PAYMENT_DATE', dueAt, clientId }, now)
  }

  private async settleScheduledPayment(payment: ScheduledPaymentRow, today: string, now: Date): Promise<void> {
    const outcome = await this.payAtBank(payment.paymentRequestId, payment.id, payment.amountCents, payment.scheduledDate)
    const event: ScheduledPaymentEvent | null = outcome === null ? null : outcome.settled ? { type: 'SETTLED', today } : { type: 'FAILED', error: outcome.error }
    if (!event) return this.recheck('SCHEDULED_PAYMENT', payment.id, payment.clientId, now)
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

  /**
   * Pix Automático payments due today: each goes to settlement (SCHEDULED → CREATED), then the bank
   * pays it under the authorization's consent. One the bank refused for lack of funds may be retried.
   */
  async settleDueAutomaticPixPayments(now: Date): Promise<void> {
    const today = brasiliaDateOf(now)
    const { pool } = this.deps.db
    for (const status of [PENDING_AUTOMATIC_PIX_STATUS, AUTOMATIC_PIX_SETTLING_STATUS]) {
      for (const payment of await lockDueAutomaticPixPayments(pool, status, today, DUE_BATCH)) {
        try {
          let state = automaticPixPaymentStateOf(payment)
          if (state.status === PENDING_AUTOMATIC_PIX_STATUS) {
            const reached = transitionAutomaticPixPayment(state, { type: 'DATE_REACHED', today })
            if (!reached.ok || !(await saveAutomaticPixPaymentTransitions(pool, payment.clientId, [{ id: payment.id, expected: state, next: reached.next }], [], now)).has(payment.id)) continue
            state = reached.next
          }
          const outcome = await this.payAtBank(payment.paymentRequestId, `${payment.id}:${state.retries}`, state.amountCents, state.date)
          if (outcome === null) {
            await this.recheck('AUTOMATIC_PIX_PAYMENT', payment.id, payment.clientId, now)
            continue
          }
          const event: AutomaticPixPaymentEvent = outcome.settled ? { type: 'SETTLED' } : { type: 'FAILED', error: outcome.error, retriable: retriableFailure(outcome.error.code) }
          const moved = transitionAutomaticPixPayment(state, event)
          if (!moved.ok) continue
          const expected = state
          await withTransaction(pool, async (tx) => {
            if (!(await saveAutomaticPixPaymentTransitions(tx, payment.clientId, [{ id: payment.id, expected, next: moved.next }], [], now)).has(payment.id)) return
            const subject = { clientId: payment.clientId, entity: 'AUTOMATIC_PIX_PAYMENT' as const, paymentRequestId: payment.paymentRequestId, automaticPixPaymentId: payment.id }
            await applyPaymentEffects(tx, subject, moved.effects, now)
          })
        } catch (error) {
          this.deps.logger.warn({ err: error, automaticPixPaymentId: payment.id }, 'a Pix Automático payment could not be settled now; it is looked at again shortly')
          await this.recheck('AUTOMATIC_PIX_PAYMENT', payment.id, payment.clientId, now)
        }
      }
    }
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
