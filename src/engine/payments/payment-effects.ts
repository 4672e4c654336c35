import { randomUUID } from 'node:crypto'
import { createAutomaticPixPayment, transitionAutomaticPixPayment } from '../../domain/payments/automatic-pix-payment.ts'
import { addDays, brasiliaDateOf, startOfBrasiliaDay } from '../../domain/payments/calendar-date.ts'
import { scheduleDates, type PaymentSchedule } from '../../domain/payments/schedule-dates.ts'
import { createScheduledPayment, transitionScheduledPayment } from '../../domain/payments/scheduled-payment.ts'
import { PAYABLE_AFTER_CONSENT, PENDING_AUTOMATIC_PIX_STATUS, PENDING_SCHEDULED_STATUS } from '../../domain/payments/payment-execution.ts'
import type { PaymentEffect } from '../../domain/payments/transition.ts'
import type { Queryable } from '../../store/database.ts'
import { moveBulkLegFunds, payBulkRequests } from './bulk-effects.ts'
import type { PaymentEffectSubject } from './payment-effect-subject.ts'
import { insertEvents, type NewEvent } from '../../store/events.ts'
import { automaticPixPaymentStateOf, insertAutomaticPixPayment, listAutomaticPixPayments, saveAutomaticPixPaymentTransitions } from '../../store/payments/automatic-pix-payments.ts'
import { paymentEvent } from '../../store/payments/payment-events.ts'
import { armPaymentCheck, findFundsParties, recordFundMovement } from '../../store/payments/payment-execution.ts'
import { findPaymentRequest } from '../../store/payments/payment-requests.ts'
import { insertScheduledPayments, listScheduledPayments, saveScheduledPaymentTransitions, scheduledPaymentStateOf } from '../../store/payments/scheduled-payments.ts'
import { moveSmartAccountFunds } from '../../store/payments/smart-accounts.ts'

export type { PaymentEffectSubject }

/** The id of the subject's own entity. */
export function subjectIdOf(subject: PaymentEffectSubject): string {
  const id = {
    PAYMENT_REQUEST: subject.paymentRequestId,
    PAYMENT_INTENT: subject.paymentIntentId,
    BULK_PAYMENT: subject.bulkPaymentId,
    SCHEDULED_PAYMENT: subject.scheduledPaymentId,
    AUTOMATIC_PIX_PAYMENT: subject.automaticPixPaymentId,
    SMART_TRANSFER_PREAUTHORIZATION: subject.smartTransferPreauthorizationId,
    SMART_TRANSFER_PAYMENT: subject.smartTransferPaymentId,
  }[subject.entity]
  if (!id) throw new Error(`a ${subject.entity} effect subject needs its id`)
  return id
}

/** Raised for an effect this version of the engine does not perform yet: a bug to fix, never an outcome. */
export class PaymentEffectNotSupported extends Error {
  constructor(effect: PaymentEffect['type'], subject: PaymentEffectSubject) {
    super(`${effect} for a ${subject.entity} is not performed by the engine yet`)
  }
}

/**
 * Performs the effects of one saved transition, inside the caller's transaction: call it only
 * after the guarded write of that transition succeeded (a stale writer saves nothing and must not
 * perform anything). Each effect is idempotent on its own (timers by key, fund movements once per
 * leg, payments created once per consent, pending ones ended by guarded writes), so a replayed step
 * that got this far changes nothing twice.
 */
export async function applyPaymentEffects(tx: Queryable, subject: PaymentEffectSubject, effects: readonly PaymentEffect[], now: Date): Promise<void> {
  const events: NewEvent[] = []
  for (const effect of effects) {
    switch (effect.type) {
      case 'EMIT':
        events.push(paymentEvent(effect.event, effect.status === undefined ? subject : { ...subject, status: effect.status }, now))
        break
      case 'CHECK_AT':
        await armPaymentCheck(tx, { subjectKind: subject.entity, subjectId: subjectIdOf(subject), check: effect.check, dueAt: new Date(effect.at), clientId: subject.clientId }, now)
        break
      case 'MOVE_FUNDS':
        await moveFunds(tx, subject, effect, now)
        break
      case 'START_PAYMENTS':
        await startPayments(tx, subject, now)
        break
      case 'CANCEL_PENDING_PAYMENTS':
        await cancelPendingPayments(tx, subject, now)
        break
      case 'PAY_BULK_REQUESTS':
        await payBulkRequests(tx, subject, now, applyPaymentEffects)
        break
      default:
        effect satisfies never
    }
  }
  if (events.length > 0) await insertEvents(tx, events)
}

/**
 * One leg of a payment, recorded once (a replayed step records nothing and moves nothing): the
 * payer's account at their bank is debited; the recipient is credited — a smart account's balance
 * moves with it (the recipient's own, or the bulk payment's being topped up).
 */
async function moveFunds(tx: Queryable, subject: PaymentEffectSubject, effect: Extract<PaymentEffect, { type: 'MOVE_FUNDS' }>, now: Date): Promise<void> {
  if (subject.entity === 'BULK_PAYMENT' && effect.paymentRequestId) return moveBulkLegFunds(tx, subject, effect, now)
  const subjectId = subjectIdOf(subject)
  const parties = await findFundsParties(tx, subject.entity, subjectId, PAYABLE_AFTER_CONSENT)
  if (!parties) throw new PaymentEffectNotSupported(effect.type, subject)
  const smartAccountId = parties.bulkSmartAccountId ?? parties.recipientSmartAccountId
  const accountId =
    effect.movement === 'DEBIT_PAYER' ? (parties.debtorAccountId ?? 'unknown-payer') : smartAccountId ? `smart-account:${smartAccountId}` : `recipient:${parties.recipientId ?? 'unknown'}`
  const recorded = await recordFundMovement(tx, {
    id: randomUUID(),
    clientId: subject.clientId,
    subjectKind: subject.entity,
    subjectId,
    movement: effect.movement,
    leg: effect.paymentRequestId ?? '',
    connectorId: effect.movement === 'DEBIT_PAYER' ? parties.connectorId : null,
    accountId,
    amountCents: effect.amountCents,
    at: now,
  })
  if (recorded && effect.movement === 'CREDIT_RECIPIENT' && smartAccountId) {
    await moveSmartAccountFunds(tx, subject.clientId, smartAccountId, effect.amountCents, now)
  }
}

/**
 * The consent of a scheduled request or a Pix Automático authorization is in force: its payments
 * are created (each with its events and its PAYMENT_DATE timer). Creating them is guarded on none
 * existing yet, so a replay creates nothing.
 */
async function startPayments(tx: Queryable, subject: PaymentEffectSubject, now: Date): Promise<void> {
  const requestId = subject.paymentRequestId
  if (!requestId) throw new PaymentEffectNotSupported('START_PAYMENTS', subject)
  const request = await findPaymentRequest(tx, subject.clientId, requestId)
  if (!request) return
  const about = { clientId: subject.clientId, paymentRequestId: requestId }
  if (request.kind === 'SCHEDULED' && request.schedule && request.amountCents !== null) {
    const payments = scheduleDates(request.schedule as PaymentSchedule).map((date) => ({
      id: randomUUID(),
      ...createScheduledPayment(date, request.amountCents!),
      description: request.description ?? '',
    }))
    const events = payments.map((p) => paymentEvent('scheduled_payment/created', { ...about, scheduledPaymentId: p.id }, now))
    events.push(paymentEvent('scheduled_payment/all_created', about, now))
    const created = await insertScheduledPayments(tx, {
      ...about,
      requestStatus: request.status,
      payments: payments.map((p) => ({ id: p.id, state: p.state, description: p.description })),
      events,
      at: now,
    })
    if (created === 0) return
    for (const p of payments) {
      const timers = p.effects.filter((e) => e.type === 'CHECK_AT')
      await applyPaymentEffects(tx, { ...about, entity: 'SCHEDULED_PAYMENT', scheduledPaymentId: p.id }, timers, now)
    }
    return
  }
  if (request.kind === 'AUTOMATIC_PIX') {
    const terms = request.automaticPix as { expiresAt?: string; firstPayment?: { date?: string; amount: number; description?: string } } | null
    if (terms?.expiresAt) {
      // The authorization ends with its expiresAt day (Brasília): it expires at the start of the next.
      const dueAt = new Date(startOfBrasiliaDay(addDays(terms.expiresAt, 1)))
      await armPaymentCheck(tx, { subjectKind: 'PAYMENT_REQUEST', subjectId: requestId, check: 'AUTHORIZATION_EXPIRY', dueAt, clientId: subject.clientId }, now)
    }
    const first = terms?.firstPayment
    if (!first) return
    const existing = await listAutomaticPixPayments(tx, subject.clientId, requestId, { limit: 1, offset: 0 })
    if (existing.total > 0) return
    const { state, effects } = createAutomaticPixPayment(first.date ?? brasiliaDateOf(now), Math.round(first.amount * 100))
    const id = randomUUID()
    const inserted = await insertAutomaticPixPayment(tx, {
      id,
      ...about,
      authorizationStatus: request.status,
      state,
      description: first.description ?? null,
      isFirstPayment: true,
      events: [paymentEvent('automatic_pix_payment/created', { ...about, automaticPixPaymentId: id }, now)],
      at: now,
    })
    if (inserted)
      await applyPaymentEffects(
        tx,
        { ...about, entity: 'AUTOMATIC_PIX_PAYMENT', automaticPixPaymentId: id },
        effects.filter((e) => e.type === 'CHECK_AT'),
        now,
      )
  }
}

/** The consent ended: its payments still waiting for their dates are canceled, each with its event. */
async function cancelPendingPayments(tx: Queryable, subject: PaymentEffectSubject, now: Date): Promise<void> {
  const requestId = subject.paymentRequestId
  if (!requestId) throw new PaymentEffectNotSupported('CANCEL_PENDING_PAYMENTS', subject)
  const about = { clientId: subject.clientId, paymentRequestId: requestId }
  const scheduled = (await listScheduledPayments(tx, subject.clientId, requestId)).filter((p) => p.status === PENDING_SCHEDULED_STATUS)
  const scheduledChanges = scheduled.flatMap((p) => {
    const moved = transitionScheduledPayment(scheduledPaymentStateOf(p), { type: 'CONSENT_ENDED' })
    return moved.ok ? [{ row: p, next: moved.next, effects: moved.effects }] : []
  })
  if (scheduledChanges.length > 0) {
    const events = scheduledChanges.flatMap((c) => c.effects.flatMap((e) => (e.type === 'EMIT' ? [paymentEvent(e.event, { ...about, scheduledPaymentId: c.row.id }, now)] : [])))
    await saveScheduledPaymentTransitions(
      tx,
      subject.clientId,
      scheduledChanges.map((c) => ({ id: c.row.id, expected: c.row.status, next: c.next })),
      events,
      now,
    )
  }
  const pix = (await listAutomaticPixPayments(tx, subject.clientId, requestId, { limit: 10_000, offset: 0 })).rows.filter((p) => p.status === PENDING_AUTOMATIC_PIX_STATUS)
  const pixChanges = pix.flatMap((p) => {
    const state = automaticPixPaymentStateOf(p)
    const moved = transitionAutomaticPixPayment(state, { type: 'AUTHORIZATION_ENDED' })
    return moved.ok ? [{ id: p.id, expected: state, next: moved.next, effects: moved.effects }] : []
  })
  if (pixChanges.length > 0) {
    const events = pixChanges.flatMap((c) => c.effects.flatMap((e) => (e.type === 'EMIT' ? [paymentEvent(e.event, { ...about, automaticPixPaymentId: c.id }, now)] : [])))
    await saveAutomaticPixPaymentTransitions(
      tx,
      subject.clientId,
      pixChanges.map(({ id, expected, next }) => ({ id, expected, next })),
      events,
      now,
    )
  }
}
