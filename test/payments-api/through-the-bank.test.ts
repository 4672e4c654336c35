import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, brasiliaDateOf } from '../../src/domain/payments/calendar-date.ts'
import { answerAtBank, createRecipient, PAYER_BANK, PAYERS, startPayments, type PaymentsFixture } from '../payments/payment-support.ts'

// Methods 29–38 after a consent the payer authorized at the sandbox payer bank (the engine drives
// the intent; the payer answers on the bank's page over HTTP), on a manual clock.

let fixture: PaymentsFixture
beforeAll(async () => {
  fixture = await startPayments()
  await createRecipient(fixture.client)
})
afterAll(() => fixture?.tributary.stop())

const day = (offset: number) => addDays(brasiliaDateOf(fixture.tributary.clock.now()), offset)

/** The events written about a request, in order. */
async function eventsOf(paymentRequestId: string): Promise<string[]> {
  const { rows } = await fixture.tributary.engine.db.pool.query<{ type: string }>(`select type from events where payload->>'paymentRequestId' = $1 order by seq`, [paymentRequestId])
  return rows.map((r) => r.type)
}

/** The payer starts an intent for the request and authorizes it at the bank; answers the request once the engine settled. */
async function authorizeAtBank(paymentRequestId: string, cpf: string = PAYERS.settles) {
  const { client, tributary } = fixture
  const intent = await client.payments.createPaymentIntent({ paymentRequestId, connectorId: PAYER_BANK, parameters: { cpf } })
  await tributary.clock.settle()
  const waiting = await client.payments.fetchPaymentIntent(intent.id)
  expect(waiting.consentUrl).not.toBeNull()
  expect((await answerAtBank(waiting.consentUrl!, 'approve')).status).toBe(200)
  await tributary.clock.settle()
  return client.payments.fetchPaymentRequest(paymentRequestId)
}

describe('after the payer authorized at the sandbox bank', () => {
  it('a schedule’s payments are listed and canceled, one and then all', async () => {
    const { client } = fixture
    const request = await client.payments.createPaymentRequest({ amount: 25, description: 'Parcela', schedule: { type: 'DAILY', startDate: day(2), occurrences: 3 }, isSandbox: true })
    expect((await authorizeAtBank(request.id)).status).toBe('SCHEDULED')
    const list = await client.payments.fetchScheduledPayments(request.id)
    expect(list.results.map((p) => [p.scheduledDate, p.status])).toEqual([
      [day(2), 'SCHEDULED'],
      [day(3), 'SCHEDULED'],
      [day(4), 'SCHEDULED'],
    ])
    await client.payments.cancelScheduledPayment(request.id, list.results[1].id)
    await client.payments.cancelScheduledPayments(request.id)
    expect((await client.payments.fetchScheduledPayments(request.id)).results.map((p) => p.status)).toEqual(['CANCELED', 'CANCELED', 'CANCELED'])
    expect((await client.payments.fetchPaymentRequest(request.id)).status).toBe('CANCELED')
    expect((await eventsOf(request.id)).slice(2)).toEqual([
      'scheduled_payment/created',
      'scheduled_payment/created',
      'scheduled_payment/created',
      'scheduled_payment/all_created',
      'scheduled_payment/canceled',
      'scheduled_payment/canceled',
      'scheduled_payment/canceled',
      'payment_request/updated',
    ])
  })

  it('a Pix Automático mandate takes payments, and its cancellation cancels them', async () => {
    const { client } = fixture
    const mandate = await client.payments.createPaymentRequestPixAutomatico({ isSandbox: true, description: 'Plano', interval: 'MONTHLY', startDate: day(0), fixedAmount: 59.9, isRetryAccepted: true })
    expect((await authorizeAtBank(mandate.id)).status).toBe('AUTHORIZED')
    const payment = await client.payments.scheduleAutomaticPixPayment(mandate.id, { amount: 59.9, date: day(5) })
    expect(payment.status).toBe('SCHEDULED')
    await client.payments.cancelAutomaticPixAuthorization(mandate.id)
    expect((await client.payments.fetchAutomaticPixPayment(mandate.id, payment.id)).status).toBe('CANCELED')
    expect((await client.payments.fetchPaymentRequest(mandate.id)).status).toBe('CANCELED')
    expect((await eventsOf(mandate.id)).filter((e) => !e.startsWith('payment_intent/'))).toEqual([
      'payment_request/updated',
      'automatic_pix_payment/created',
      'automatic_pix_payment/canceled',
      'payment_request/updated',
    ])
  })

  it('a bulk payment is topped up at the bank and pays its requests from the smart account; it cannot be deleted then', async () => {
    const { client, tributary } = fixture
    const account = await client.payments.createSmartAccount({ name: 'Loja', taxNumber: '11.222.333/0001-81', email: 'loja@example.com', phoneNumber: '+5511987654321', isSandbox: true })
    const requests = [await client.payments.createPaymentRequest({ amount: 30, isSandbox: true }), await client.payments.createPaymentRequest({ amount: 12.5, isSandbox: true })]
    const bulk = await client.payments.createBulkPayment({ smartAccountId: account.id, paymentRequestIds: requests.map((r) => r.id) })
    const started = await client.payments.createPaymentIntent({ bulkPaymentId: bulk.id, connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles } })
    await tributary.clock.settle()
    const intent = await client.payments.fetchPaymentIntent(started.id)
    expect((await client.payments.fetchBulkPayment(bulk.id)).status).toBe('WAITING_PAYER_AUTHORIZATION')
    expect(
      await client.payments.deleteBulkPayment(bulk.id).then(
        () => 'deleted',
        (e: { code: number }) => e.code,
      ),
    ).toBe(409)
    await answerAtBank(intent.consentUrl!, 'approve')
    await tributary.clock.settle()
    const paid = await client.payments.fetchBulkPayment(bulk.id)
    expect([paid.status, ...paid.paymentRequests.map((r) => r.status)]).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED'])
    // Topped up with the requests' sum (no fees in the sandbox), then each request paid from it.
    expect((await client.payments.fetchSmartAccountBalance(account.id)).balance).toBe(0)
    expect(
      await client.payments.deleteBulkPayment(bulk.id).then(
        () => 'deleted',
        (e: { code: number; codeDescription: string }) => e.codeDescription,
      ),
    ).toBe('BULK_PAYMENT_NOT_DELETABLE')
  })
})
