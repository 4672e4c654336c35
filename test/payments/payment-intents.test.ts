import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { WebhookReceiver } from '../support/webhook-receiver.ts'
import { answerAtBank, createRecipient, PAYER_BANK, PAYERS, startPayments, type PaymentsFixture } from './payment-support.ts'

// Payment intents driven by the engine against the sandbox payer bank, over the API (pluggy-sdk),
// on a manual clock: approve, reject, expiry, insufficient funds, failed settlement.

let fixture: PaymentsFixture
const receiver = new WebhookReceiver()
beforeAll(async () => {
  ;[fixture] = await Promise.all([startPayments(), receiver.start()])
  await createRecipient(fixture.client)
  // One payment event subscribed to by name: only it is delivered there.
  await fixture.client.createWebhook('payment_intent/completed', receiver.url('completed'))
})
afterAll(async () => {
  await fixture?.tributary.stop()
  await receiver.stop()
})

async function startIntent(cpf: string, amount = 100) {
  const { client, tributary } = fixture
  const request = await client.payments.createPaymentRequest({ amount, description: 'Pedido 42', isSandbox: true })
  const intent = await client.payments.createPaymentIntent({ paymentRequestId: request.id, connectorId: PAYER_BANK, parameters: { cpf } })
  await tributary.clock.settle()
  return { request, intent: await client.payments.fetchPaymentIntent(intent.id) }
}

describe('payment intents through the sandbox payer bank', () => {
  it('approve: the intent completes and the request with it', async () => {
    const { request, intent } = await startIntent(PAYERS.settles)
    expect(intent.status).toBe('CONSENT_AWAITING_AUTHORIZATION')
    expect(intent.consentUrl).toMatch(/\/sandbox\/open-finance\/payments\/authorize\//)
    expect((await fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('WAITING_PAYER_AUTHORIZATION')
    const answer = await answerAtBank(intent.consentUrl!, 'approve')
    expect(answer.status).toBe(200)
    await fixture.tributary.clock.settle()
    expect((await fixture.client.payments.fetchPaymentIntent(intent.id)).status).toBe('PAYMENT_COMPLETED')
    expect((await fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('COMPLETED')
    await vi.waitFor(() =>
      expect(receiver.at('completed').map((r) => r.body)).toEqual([expect.objectContaining({ event: 'payment_intent/completed', paymentIntentId: intent.id, paymentRequestId: request.id })]),
    )
  })

  it('reject: CONSENT_REJECTED, and the request may be paid again', async () => {
    const { request, intent } = await startIntent(PAYERS.settles)
    await answerAtBank(intent.consentUrl!, 'reject')
    await fixture.tributary.clock.settle()
    expect((await fixture.client.payments.fetchPaymentIntent(intent.id)).status).toBe('CONSENT_REJECTED')
    expect((await fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('CREATED')
  })

  it('expiry: the payer does not answer within 30 minutes of the engine clock', async () => {
    const { request, intent } = await startIntent(PAYERS.settles)
    await fixture.tributary.clock.advance(29 * 60_000)
    await fixture.tributary.clock.settle()
    expect((await fixture.client.payments.fetchPaymentIntent(intent.id)).status).toBe('CONSENT_AWAITING_AUTHORIZATION')
    await fixture.tributary.clock.advance(2 * 60_000)
    await fixture.tributary.clock.settle()
    expect((await fixture.client.payments.fetchPaymentIntent(intent.id)).status).toBe('EXPIRED')
    expect((await fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('CREATED')
    expect((await answerAtBank(intent.consentUrl!, 'approve')).status).toBe(400)
  })

  it('insufficient funds: PAYMENT_REJECTED, the request in ERROR', async () => {
    const { request, intent } = await startIntent(PAYERS.insufficientFunds, 50)
    await answerAtBank(intent.consentUrl!, 'approve')
    await fixture.tributary.clock.settle()
    expect((await fixture.client.payments.fetchPaymentIntent(intent.id)).status).toBe('PAYMENT_REJECTED')
    expect((await fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('ERROR')
  })

  it('settlement failing after acceptance: PAYMENT_REJECTED from settlement processing', async () => {
    const { intent } = await startIntent(PAYERS.failsAfterAcceptance)
    await answerAtBank(intent.consentUrl!, 'approve')
    await fixture.tributary.clock.settle()
    expect((await fixture.client.payments.fetchPaymentIntent(intent.id)).status).toBe('PAYMENT_SETTLEMENT_PROCESSING')
    await fixture.tributary.clock.advance(3 * 60_000)
    await fixture.tributary.clock.settle()
    expect((await fixture.client.payments.fetchPaymentIntent(intent.id)).status).toBe('PAYMENT_REJECTED')
  })
})
