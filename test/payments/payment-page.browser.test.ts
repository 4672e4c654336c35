/**
 * A payment request paid through Tributary's payment page in a real browser (headless Chromium):
 * the payer opens the request's paymentUrl, picks their bank, gives their CPF, authorizes (or
 * rejects) at the sandbox bank's page, comes back, sees the outcome and is sent to the store's
 * callback URL — with the payment_intent/* webhooks delivered, in order, to a real receiver.
 */
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BROWSER_AVAILABLE, launchBrowser, openContext, poll, reportFailure, type PageRecord } from '../connect/connect-harness.ts'
import { WebhookReceiver } from '../support/webhook-receiver.ts'
import { createRecipient, PAYERS, startPayments, type PaymentsFixture } from './payment-support.ts'

let fixture: PaymentsFixture
let browser: Browser
const receiver = new WebhookReceiver()
const opened: PageRecord[] = []

beforeAll(async () => {
  ;[fixture, browser] = await Promise.all([startPayments(), launchBrowser(), receiver.start()])
  await createRecipient(fixture.client)
  await fixture.client.createWebhook('all', receiver.url('hooks'))
})
afterAll(async () => {
  await browser?.close()
  await fixture?.tributary.stop()
  await receiver.stop()
})
afterEach(async (context) => {
  for (const record of opened.splice(0)) {
    if (context.task.result?.state === 'fail') await reportFailure(record, context.task.name)
    expect(record.external, 'requests to other hosts').toEqual([])
    expect(record.errors, 'page errors').toEqual([])
    await record.context.close()
  }
})

/** The webhooks received about one request, in the order they arrived. */
const hooksOf = (requestId: string) => receiver.at('hooks').filter((r) => r.body.paymentRequestId === requestId).map((r) => r.body.event as string)
const heading = (record: PageRecord) => record.page.getByRole('heading', { level: 1 }).textContent()

/** A request, and the payer on its payment page up to the bank's authorization page. */
async function toTheBank(name: string, cpf: string): Promise<{ record: PageRecord; request: { id: string; paymentUrl: string } }> {
  const request = await fixture.client.payments.createPaymentRequest({
    amount: 25.5,
    description: `Pedido ${name}`,
    callbackUrls: { success: receiver.url(`${name}-paid`), error: receiver.url(`${name}-failed`) },
    isSandbox: true,
  })
  const record = await openContext(browser, request.paymentUrl, { width: 420, allowOrigins: [fixture.tributary.url, receiver.url('x').replace(/\/x$/, '')] })
  opened.push(record)
  const { page } = record
  await page.goto(request.paymentUrl)
  await poll(() => heading(record)).toBe('Pay with Pix')
  expect(await page.locator('#amount').textContent()).toBe('R$ 25,50')
  await page.getByLabel('Your bank').selectOption({ label: 'Sandbox Open Finance Bank' })
  await page.getByLabel('Your CPF').fill(cpf)
  await page.getByRole('button', { name: 'Continue to your bank' }).click()
  await poll(() => heading(record), 15_000).toBe('Authorize this Pix')
  return { record, request }
}

describe.skipIf(!BROWSER_AVAILABLE)('the payment page', () => {
  it('approve: paid end to end, back to the success callback, webhooks in order', async () => {
    const { record, request } = await toTheBank('approve', PAYERS.settles)
    await record.page.getByRole('button', { name: 'Authorize' }).click()
    await poll(() => record.page.url(), 15_000).toBe(receiver.url('approve-paid'))
    await fixture.tributary.clock.settle()
    expect((await fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('COMPLETED')
    await poll(() => hooksOf(request.id)).toEqual(['payment_intent/created', 'payment_intent/completed', 'payment_request/updated'])
    const updated = receiver.at('hooks').find((r) => r.body.event === 'payment_request/updated' && r.body.paymentRequestId === request.id)
    expect(updated?.body.data).toEqual({ status: 'COMPLETED' })
  })

  it('reject: the result says so and sends the payer to the error callback', async () => {
    const { record, request } = await toTheBank('reject', PAYERS.settles)
    await record.page.getByRole('button', { name: 'Reject' }).click()
    await poll(() => heading(record), 15_000).toBe('Payment not completed')
    await poll(() => record.page.url(), 15_000).toBe(receiver.url('reject-failed'))
    await fixture.tributary.clock.settle()
    expect((await fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('CREATED')
    await poll(() => hooksOf(request.id)).toEqual(['payment_intent/created', 'payment_intent/error'])
  })

  it('expired: the payer never answers; after 30 minutes of the engine clock the page shows the failure', async () => {
    const { record, request } = await toTheBank('expire', PAYERS.settles)
    await fixture.tributary.clock.advance(31 * 60_000)
    await fixture.tributary.clock.settle()
    await record.page.goto(request.paymentUrl)
    await poll(() => heading(record), 15_000).toBe('Payment not completed')
    expect(await record.page.locator('#result').textContent()).toMatch(/did not authorize the payment at their bank in time/)
    await poll(() => hooksOf(request.id)).toEqual(['payment_intent/created', 'payment_intent/error'])
  })

  it('failed settlement: accepted, then failed by the settlement system', async () => {
    const { record, request } = await toTheBank('fails', PAYERS.failsAfterAcceptance)
    await record.page.getByRole('button', { name: 'Authorize' }).click()
    await poll(() => heading(record), 15_000).toBe('Processing your payment')
    await fixture.tributary.clock.settle()
    await fixture.tributary.clock.advance(3 * 60_000)
    await fixture.tributary.clock.settle()
    await poll(() => record.page.url(), 15_000).toBe(receiver.url('fails-failed'))
    expect((await fixture.client.payments.fetchPaymentRequest(request.id)).status).toBe('ERROR')
    await poll(() => hooksOf(request.id)).toEqual(['payment_intent/created', 'payment_intent/error', 'payment_request/updated'])
  })
})
