import { randomUUID } from 'node:crypto'
import { transitionBulkPayment } from '../../domain/payments/bulk-payment.ts'
import { transitionRequest } from '../../domain/payments/payment-request.ts'
import type { PaymentEffect } from '../../domain/payments/transition.ts'
import type { Queryable } from '../../store/database.ts'
import { bulkStateOf, findBulkPayment, saveBulkTransition } from '../../store/payments/bulk-payments.ts'
import { recordFundMovement } from '../../store/payments/payment-execution.ts'
import { findPaymentRecipient } from '../../store/payments/payment-recipients.ts'
import { findPaymentRequest, requestStateOf, saveRequestTransition } from '../../store/payments/payment-requests.ts'
import { findSmartAccount, moveSmartAccountFunds } from '../../store/payments/smart-accounts.ts'
import type { PaymentEffectSubject } from './payment-effect-subject.ts'

type Apply = (tx: Queryable, subject: PaymentEffectSubject, effects: readonly PaymentEffect[], now: Date) => Promise<void>

/**
 * PAY_BULK_REQUESTS: the bulk payment's smart account was topped up; each of its requests still
 * pending is paid from it, one after the other, in the caller's transaction: the request starts
 * and completes (or fails, when the smart account cannot cover it), and the bulk payment follows.
 * Every write is guarded on the state read just before, so a replay pays nothing twice.
 */
export async function payBulkRequests(tx: Queryable, subject: PaymentEffectSubject, now: Date, apply: Apply): Promise<void> {
  const bulkId = subject.bulkPaymentId
  if (!bulkId) throw new Error('PAY_BULK_REQUESTS needs the bulk payment’s id')
  const first = await findBulkPayment(tx, subject.clientId, bulkId)
  if (!first) return
  for (const member of first.requests) {
    const bulk = (await findBulkPayment(tx, subject.clientId, bulkId))!
    const before = bulkStateOf(bulk)
    if (before.requests.find((r) => r.paymentRequestId === member.id)?.payment !== 'PENDING') continue
    const request = await findPaymentRequest(tx, subject.clientId, member.id)
    if (!request) continue
    const account = await findSmartAccount(tx, subject.clientId, bulk.smartAccountId)
    const covered = (account?.balanceCents ?? 0) >= member.amountCents
    const bulkMove = transitionBulkPayment(before, { type: covered ? 'REQUEST_SETTLED' : 'REQUEST_FAILED', paymentRequestId: member.id })
    if (!bulkMove.ok) continue
    const requestSubject: PaymentEffectSubject = { clientId: subject.clientId, entity: 'PAYMENT_REQUEST', paymentRequestId: member.id, bulkPaymentId: bulkId }
    let state = requestStateOf(request)
    for (const event of [{ type: 'BULK_PAYMENT_STARTED' as const }, { type: covered ? ('PAID_FROM_SMART_ACCOUNT' as const) : ('SMART_ACCOUNT_PAYMENT_FAILED' as const) }]) {
      const moved = transitionRequest(state, event)
      if (!moved.ok) break
      if (!(await saveRequestTransition(tx, { clientId: subject.clientId, id: member.id, expected: state, next: moved.next, events: [], at: now }))) break
      await apply(tx, requestSubject, moved.effects, now)
      state = moved.next
    }
    if (await saveBulkTransition(tx, { clientId: subject.clientId, id: bulkId, expected: before, next: bulkMove.next, events: [], at: now })) {
      await apply(tx, { ...subject, entity: 'BULK_PAYMENT' }, bulkMove.effects, now)
    }
  }
}

/**
 * One leg of a request a bulk payment pays from its smart account, recorded once: the smart
 * account is debited; the recipient is credited (its smart account's balance too, when it is one).
 */
export async function moveBulkLegFunds(tx: Queryable, subject: PaymentEffectSubject, effect: Extract<PaymentEffect, { type: 'MOVE_FUNDS' }>, now: Date): Promise<void> {
  const bulk = subject.bulkPaymentId ? await findBulkPayment(tx, subject.clientId, subject.bulkPaymentId) : undefined
  const request = effect.paymentRequestId ? await findPaymentRequest(tx, subject.clientId, effect.paymentRequestId) : undefined
  if (!bulk || !request) throw new Error('a bulk payment’s funds movement needs its bulk payment and the request paid')
  const recipient = request.recipientId ? await findPaymentRecipient(tx, subject.clientId, request.recipientId) : undefined
  const debit = effect.movement === 'DEBIT_PAYER'
  const smartAccountId = debit ? bulk.smartAccountId : (recipient?.smartAccountId ?? null)
  const recorded = await recordFundMovement(tx, {
    id: randomUUID(),
    clientId: subject.clientId,
    subjectKind: 'BULK_PAYMENT',
    subjectId: bulk.id,
    movement: effect.movement,
    leg: request.id,
    connectorId: null,
    accountId: smartAccountId ? `smart-account:${smartAccountId}` : `recipient:${request.recipientId ?? 'unknown'}`,
    amountCents: effect.amountCents,
    at: now,
  })
  if (recorded && smartAccountId) await moveSmartAccountFunds(tx, subject.clientId, smartAccountId, debit ? -effect.amountCents : effect.amountCents, now)
}
