import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createdBulkPayment, transitionBulkPayment, type BulkPaymentState } from '../../domain/payments/bulk-payment.ts'
import { moveIntent, startIntent } from '../../domain/payments/intent-moves.ts'
import type { PaymentIntentEvent } from '../../domain/payments/payment-intent.ts'
import { PAYABLE_REQUEST_STATUSES, transitionRequest } from '../../domain/payments/payment-request.ts'
import { withTransaction } from '../database.ts'
import { bulkStateOf, deleteBulkPayment, findBulkPayment, insertBulkPayment, saveBulkTransition } from './bulk-payments.ts'
import { findPaymentIntent, intentStateOf, saveIntentMove, startPaymentIntent } from './payment-intents.ts'
import { findPaymentRequest, requestStateOf, saveRequestTransition } from './payment-requests.ts'
import { insertSmartAccount } from './smart-accounts.ts'
import { db, CLIENT, OTHER, AT, setUpLifecyclesDatabase, newRequest, eventsOf, eventsAbout, accepted, startFor } from './payment-lifecycles-test-support.ts'

// A bulk payment against the store: gathered, then paid through its top-up intent (the rules:
// payment-lifecycles-test-support.ts).

setUpLifecyclesDatabase()

/** A smart account of the client, numbered `number`; its id. */
async function newSmartAccount(number: string): Promise<string> {
  const id = randomUUID()
  await insertSmartAccount(db.pool, {
    id,
    clientId: CLIENT,
    name: 'Loja',
    taxNumber: '11222333000181',
    email: 'l@example.com',
    phoneNumber: '+5511912345678',
    agency: '0001',
    number,
    verifyingDigit: '0',
    isSandbox: true,
    at: AT,
  })
  return id
}

describe('bulk payments', () => {
  it('gather only the client’s fresh one-off requests, total them, and free them when deleted', async () => {
    const account = await newSmartAccount('1')
    const [r1, r2] = [await newRequest({ amountCents: 1_000 }), await newRequest({ amountCents: 2_500 })]
    const started = await newRequest()
    await startFor({ id: started.id, state: requestStateOf(started) })
    const bulk = { clientId: CLIENT, smartAccountId: account, status: 'CREATED' as const, memberKind: 'ONE_OFF', memberStatus: PAYABLE_REQUEST_STATUSES[0], feesCents: 0, callbackUrls: null, at: AT }
    expect(await insertBulkPayment(db.pool, { ...bulk, id: randomUUID(), paymentRequestIds: [r1.id, started.id] })).toBeUndefined()
    const id = randomUUID()
    const created = await insertBulkPayment(db.pool, { ...bulk, id, paymentRequestIds: [r1.id, r2.id] })
    expect(created).toMatchObject({ totalCents: 3_500, status: 'CREATED' })
    expect(bulkStateOf(created!)).toEqual(
      createdBulkPayment([
        { paymentRequestId: r1.id, amountCents: 1_000 },
        { paymentRequestId: r2.id, amountCents: 2_500 },
      ]),
    )
    expect(await insertBulkPayment(db.pool, { ...bulk, id: randomUUID(), paymentRequestIds: [r2.id] })).toBeUndefined()
    expect(await findBulkPayment(db.pool, OTHER, id)).toBeUndefined()
    expect(await deleteBulkPayment(db.pool, CLIENT, id, 'CREATED')).toBe(true)
    expect((await findPaymentRequest(db.pool, CLIENT, r1.id))?.bulkPaymentId).toBeNull()
  })
})

describe('a bulk payment paid through its top-up intent', () => {
  it('follows its intent, then pays its requests with them, each pair of changes in one transaction', async () => {
    const account = await newSmartAccount('2')
    const members = [await newRequest({ amountCents: 1_000 }), await newRequest({ amountCents: 2_000 })]
    const bulk = (await insertBulkPayment(db.pool, {
      id: randomUUID(),
      clientId: CLIENT,
      smartAccountId: account,
      status: 'CREATED',
      paymentRequestIds: members.map((m) => m.id),
      memberKind: 'ONE_OFF',
      memberStatus: 'CREATED',
      feesCents: 0,
      callbackUrls: null,
      at: AT,
    }))!
    const start = accepted(startIntent({ type: 'BULK', state: bulkStateOf(bulk) }, bulk.totalCents))
    const intent = (await startPaymentIntent(db.pool, {
      id: randomUUID(),
      clientId: CLIENT,
      state: start.intent.next,
      connectorId: 0,
      parametersEnc: 'encrypted',
      pixData: null,
      owner: { type: 'BULK', id: bulk.id, expected: bulkStateOf(bulk), next: start.owner.next.state as BulkPaymentState },
      events: [],
      at: AT,
    }))!
    expect(intent).toMatchObject({ bulkPaymentId: bulk.id, paymentRequestId: null, kind: 'BULK_TOP_UP', amountCents: 3_000 })
    const steps: PaymentIntentEvent[] = [
      { type: 'CONSENT_CREATED', consentUrl: 'https://bank.example/b/1', at: AT.toISOString() },
      { type: 'PAYER_AUTHORIZED' },
      { type: 'PAYMENT_INITIATED' },
      { type: 'SETTLEMENT_STARTED' },
      { type: 'DEBTOR_ACCOUNT_DEBITED' },
      { type: 'SETTLEMENT_CONFIRMED' },
    ]
    for (const step of steps) {
      const current = (await findPaymentIntent(db.pool, CLIENT, intent.id))!
      const owner = bulkStateOf((await findBulkPayment(db.pool, CLIENT, bulk.id))!)
      const result = accepted(moveIntent({ type: 'BULK', state: owner }, intentStateOf(current), step))
      const events = eventsOf(result.intent.effects, { clientId: CLIENT, paymentIntentId: intent.id, bulkPaymentId: bulk.id })
      expect(
        await saveIntentMove(db.pool, {
          clientId: CLIENT,
          id: intent.id,
          expected: intentStateOf(current),
          next: result.intent.next,
          owner: { type: 'BULK', id: bulk.id, expected: owner, next: result.owner.next.state as BulkPaymentState },
          events,
          at: AT,
        }),
      ).toBe(true)
    }
    expect((await findBulkPayment(db.pool, CLIENT, bulk.id))?.status).toBe('PAYMENT_IN_PROGRESS')
    expect(await eventsAbout('bulkPaymentId', bulk.id)).toEqual(['payment_intent/created', 'payment_intent/completed'])
    for (const member of members) {
      await withTransaction(db.pool, async (tx) => {
        const stored = (await findBulkPayment(tx, CLIENT, bulk.id))!
        const settled = transitionBulkPayment(bulkStateOf(stored), { type: 'REQUEST_SETTLED', paymentRequestId: member.id })
        if (!settled.ok) throw new Error(settled.reason)
        expect(await saveBulkTransition(tx, { clientId: CLIENT, id: bulk.id, expected: bulkStateOf(stored), next: settled.next, events: [], at: AT })).toBe(true)
        let request = requestStateOf((await findPaymentRequest(tx, CLIENT, member.id))!)
        for (const event of [{ type: 'BULK_PAYMENT_STARTED' }, { type: 'PAID_FROM_SMART_ACCOUNT' }] as const) {
          const moved = transitionRequest(request, event)
          if (!moved.ok) throw new Error(moved.reason)
          expect(
            await saveRequestTransition(tx, {
              clientId: CLIENT,
              id: member.id,
              expected: request,
              next: moved.next,
              events: eventsOf(moved.effects, { clientId: CLIENT, paymentRequestId: member.id }),
              at: AT,
            }),
          ).toBe(true)
          request = moved.next
        }
      })
    }
    const paid = (await findBulkPayment(db.pool, CLIENT, bulk.id))!
    expect(paid.status).toBe('COMPLETED')
    expect(bulkStateOf(paid).requests.map((r) => r.payment)).toEqual(['SETTLED', 'SETTLED'])
  })
})
