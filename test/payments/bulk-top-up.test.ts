import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { answerAtBank, createRecipient, PAYER_BANK, PAYERS, startPayments, type PaymentsFixture } from './payment-support.ts'

// A bulk payment's top-up through the sandbox payer bank, then its requests paid from the smart
// account (PAY_BULK_REQUESTS), all through pluggy-sdk. Its payment page in a browser:
// bulk-payment.browser.test.ts.

let fixture: PaymentsFixture
beforeAll(async () => {
  fixture = await startPayments()
  await createRecipient(fixture.client)
})
afterAll(() => fixture?.tributary.stop())

describe('a bulk payment', () => {
  it('is topped up at the payer’s bank, then pays each request from the smart account', async () => {
    const { client, tributary } = fixture
    const account = await client.payments.createSmartAccount({ name: 'Loja', taxNumber: '11.222.333/0001-81', email: 'loja@example.com', phoneNumber: '+55 11 98765-4321', isSandbox: true })
    const requests = [await client.payments.createPaymentRequest({ amount: 30, isSandbox: true }), await client.payments.createPaymentRequest({ amount: 12.5, isSandbox: true })]
    const bulk = await client.payments.createBulkPayment({ smartAccountId: account.id, paymentRequestIds: requests.map((r) => r.id) })
    const started = await client.payments.createPaymentIntent({ bulkPaymentId: bulk.id, connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles } })
    expect(started.bulkPayment).toMatchObject({ id: bulk.id, status: 'WAITING_PAYER_AUTHORIZATION', totalAmount: 42.5 })
    await answerAtBank(started.consentUrl!, 'approve')
    await tributary.clock.settle()
    expect((await client.payments.fetchPaymentIntent(started.id)).status).toBe('PAYMENT_COMPLETED')
    expect(await Promise.all(requests.map(async (r) => (await client.payments.fetchPaymentRequest(r.id)).status))).toEqual(['COMPLETED', 'COMPLETED'])
    expect((await client.payments.fetchBulkPayment(bulk.id)).status).toBe('COMPLETED')
    // Topped up with the total (the sandbox charges no fees); the requests took it all.
    expect((await client.payments.fetchSmartAccountBalance(account.id)).balance).toBe(0)
  })
})
