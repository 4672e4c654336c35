import { moveIntent, type IntentOwner } from '../../domain/payments/intent-moves.ts'
import type { PaymentIntentEvent } from '../../domain/payments/payment-intent.ts'
import { withTransaction, type Database } from '../../store/database.ts'
import { bulkStateOf, findBulkPayment } from '../../store/payments/bulk-payments.ts'
import { intentStateOf, saveIntentMove, type OwnerChange, type PaymentIntentRow } from '../../store/payments/payment-intents.ts'
import { findPaymentRequest, requestStateOf } from '../../store/payments/payment-requests.ts'
import { applyPaymentEffects, type PaymentEffectSubject } from './payment-effects.ts'

export type IntentStepResult = { saved: true } | { saved: false; reason: string }

/**
 * Saves one step of an intent: the intent's transition and its owner following it, guarded on both
 * being as read (`intent` is what the caller read), with every effect of both in the same
 * transaction. A replayed or stale step saves nothing and performs nothing.
 */
export async function saveIntentStep(db: Pick<Database, 'pool'>, intent: PaymentIntentRow, event: PaymentIntentEvent, now: Date): Promise<IntentStepResult> {
  return withTransaction(db.pool, async (tx) => {
    const request = intent.paymentRequestId ? await findPaymentRequest(tx, intent.clientId, intent.paymentRequestId) : undefined
    const bulk = intent.bulkPaymentId ? await findBulkPayment(tx, intent.clientId, intent.bulkPaymentId) : undefined
    const owner: IntentOwner | undefined = request ? { type: 'REQUEST', state: requestStateOf(request) } : bulk ? { type: 'BULK', state: bulkStateOf(bulk) } : undefined
    if (!owner) return { saved: false, reason: 'what the intent pays is gone' }
    const expected = intentStateOf(intent)
    const move = moveIntent(owner, expected, event)
    if (!move.ok) return { saved: false, reason: move.reason }
    const next = move.owner.next
    const change: OwnerChange =
      owner.type === 'REQUEST' && next.type === 'REQUEST'
        ? { type: 'REQUEST', id: request!.id, expected: owner.state, next: next.state }
        : { type: 'BULK', id: bulk!.id, expected: owner.state as Extract<IntentOwner, { type: 'BULK' }>['state'], next: next.state as Extract<IntentOwner, { type: 'BULK' }>['state'] }
    const saved = await saveIntentMove(tx, { clientId: intent.clientId, id: intent.id, expected, next: move.intent.next, owner: change, events: [], at: now })
    if (!saved) return { saved: false, reason: 'the intent or what it pays moved meanwhile' }
    const ids = { clientId: intent.clientId, paymentRequestId: intent.paymentRequestId, bulkPaymentId: intent.bulkPaymentId }
    const intentSubject: PaymentEffectSubject = { ...ids, entity: 'PAYMENT_INTENT', paymentIntentId: intent.id }
    await applyPaymentEffects(tx, intentSubject, move.intent.effects, now)
    const ownerSubject: PaymentEffectSubject = { ...ids, entity: owner.type === 'REQUEST' ? 'PAYMENT_REQUEST' : 'BULK_PAYMENT' }
    await applyPaymentEffects(tx, ownerSubject, move.owner.effects, now)
    return { saved: true }
  })
}
