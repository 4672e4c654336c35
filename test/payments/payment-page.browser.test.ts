/**
 * A payment request paid through Tributary's payment page in a real browser (headless Chromium):
 * the payer opens the request's paymentUrl, picks their bank, gives their CPF, authorizes (or
 * rejects) at the sandbox bank's page, comes back, sees the outcome and is sent to the store's
 * callback URL — with the payment_intent/* webhooks delivered, in order, to a real receiver.
 */
import { describe, expect, it } from 'vitest'
import { BROWSER_AVAILABLE, poll, type PageRecord } from '../connect/connect-harness.ts'
import { heading, payerToTheBank, setUpPaymentBrowser } from './browser-support.ts'
import { PAYERS } from './payment-support.ts'

const harness = setUpPaymentBrowser()
const hooksOf = (requestId: string) => harness.hooksOf(requestId)

/** A request, and the payer on its payment page up to the bank's authorization page. */
async function toTheBank(name: string, cpf: string): Promise<{ record: PageRecord; request: { id: string; paymentUrl: string } }> {
  const request = await harness.fixture.client.payments.createPaymentRequest({
    amount: 25.5,
    description: `Pedido ${name}`,
    callbackUrls: { success: harness.receiver.url(`${name}-paid`), error: harness.receiver.url(`${name}-failed`) },
    isSandbox: true,
  })
  const record = await harness.open(request.paymentUrl)
  await payerToTheBank(record, request.paymentUrl, cpf, 'R$ 25,50')
  return { record, request }
}

describe.skipIf(!BROWSER_AVAILABLE)('the payment page', () => {
  it('approve: paid end to end, back to the success callback, webhooks in order', async () => {
    const { record, request } = await toTheBank('approve', PAYERS.settles)
    await record.page.getByRole('button', { name: 'Authorize' }).click()
    await poll(() => record.page.url(), 15_000).toBe(harness.receiver.url('approve-paid'))
    await harness.fixture.tributary.clock.settle()
    expect((await harness.fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('COMPLETED')
    await poll(() => hooksOf(request.id)).toEqual(['payment_intent/created', 'payment_intent/completed', 'payment_request/updated'])
    const updated = harness.receiver.at('hooks').find((r) => r.body.event === 'payment_request/updated' && r.body.paymentRequestId === request.id)
    expect(updated?.body.data).toEqual({ status: 'COMPLETED' })
  })

  it('reject: the result says so and sends the payer to the error callback', async () => {
    const { record, request } = await toTheBank('reject', PAYERS.settles)
    await record.page.getByRole('button', { name: 'Reject' }).click()
    await poll(() => heading(record), 15_000).toBe('Payment not completed')
    await poll(() => record.page.url(), 15_000).toBe(harness.receiver.url('reject-failed'))
    await harness.fixture.tributary.clock.settle()
    expect((await harness.fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('CREATED')
    await poll(() => hooksOf(request.id)).toEqual(['payment_intent/created', 'payment_intent/error'])
  })

  it('expired: the payer never answers; after 30 minutes of the engine clock the page shows the failure', async () => {
    const { record, request } = await toTheBank('expire', PAYERS.settles)
    // Settled first: a webhook in flight when the clock jumps would time out on the engine's clock.
    await harness.fixture.tributary.clock.settle()
    await harness.fixture.tributary.clock.advance(31 * 60_000)
    await harness.fixture.tributary.clock.settle()
    await record.page.goto(request.paymentUrl)
    await poll(() => heading(record), 15_000).toBe('Payment not completed')
    expect(await record.page.locator('#result').textContent()).toMatch(/did not authorize the payment at their bank in time/)
    await poll(() => hooksOf(request.id)).toEqual(['payment_intent/created', 'payment_intent/error'])
  })

  it('failed settlement: accepted, then failed by the settlement system', async () => {
    const { record, request } = await toTheBank('fails', PAYERS.failsAfterAcceptance)
    await record.page.getByRole('button', { name: 'Authorize' }).click()
    await poll(() => heading(record), 15_000).toBe('Processing your payment')
    await harness.fixture.tributary.clock.settle()
    await harness.fixture.tributary.clock.advance(3 * 60_000)
    await harness.fixture.tributary.clock.settle()
    await poll(() => record.page.url(), 15_000).toBe(harness.receiver.url('fails-failed'))
    expect((await harness.fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('ERROR')
    await poll(() => hooksOf(request.id)).toEqual(['payment_intent/created', 'payment_intent/error', 'payment_request/updated'])
  })
})
