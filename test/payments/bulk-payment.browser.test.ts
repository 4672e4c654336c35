/**
 * A bulk payment paid in a real browser (headless Chromium): the application (pluggy-sdk) groups
 * one-off requests into a bulk payment on its smart account; the payer opens its paymentUrl
 * (/pay/bulk/{id}), sees the total, tops the smart account up at the sandbox bank, and comes back
 * to the store; each request is then paid from the smart account. Webhooks arrive at a real
 * receiver, in order.
 */
import { describe, expect, it } from 'vitest'
import { BROWSER_AVAILABLE, poll } from '../connect/connect-harness.ts'
import { balanceOnBankPage, payerToTheBank, setUpPaymentBrowser } from './browser-support.ts'
import { PAYERS } from './payment-support.ts'

const harness = setUpPaymentBrowser()

describe.skipIf(!BROWSER_AVAILABLE)('a bulk payment through its payment page', () => {
  it('is topped up at the bank by the payer, then pays each request from the smart account', async () => {
    const { fixture, receiver } = harness
    const { client, tributary } = fixture
    const account = await client.payments.createSmartAccount({ name: 'Loja', taxNumber: '11.222.333/0001-81', email: 'loja@example.com', phoneNumber: '+5511987654321', isSandbox: true })
    expect((await client.payments.fetchSmartAccountBalance(account.id)).balance).toBe(0)
    const requests = [
      await client.payments.createPaymentRequest({ amount: 30, description: 'Fornecedor A', isSandbox: true }),
      await client.payments.createPaymentRequest({ amount: 12.5, description: 'Fornecedor B', isSandbox: true }),
    ]
    const bulk = await client.payments.createBulkPayment({
      smartAccountId: account.id,
      paymentRequestIds: requests.map((r) => r.id),
      callbackUrls: { success: receiver.url('bulk-paid'), error: receiver.url('bulk-failed') },
    })
    expect(new URL(bulk.paymentUrl).pathname).toBe(`/pay/bulk/${bulk.id}`)

    const payer = await harness.open(bulk.paymentUrl)
    const bankPage = await payerToTheBank(payer, bulk.paymentUrl, PAYERS.settles, 'R$ 42,50')
    expect(await payer.page.locator('#amount').textContent()).toBe('R$ 42,50')
    const opening = await balanceOnBankPage(payer)
    await payer.page.getByRole('button', { name: 'Authorize' }).click()
    await poll(() => payer.page.url(), 15_000).toBe(receiver.url('bulk-paid'))
    await tributary.clock.settle()

    const paid = await client.payments.fetchBulkPayment(bulk.id)
    expect([paid.status, ...paid.paymentRequests.map((r) => r.status)]).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED'])
    for (const request of requests) expect((await client.payments.fetchPaymentRequest(request.id)).status).toBe('COMPLETED')
    // Topped up with the requests' total (the sandbox charges no fees), then each request paid from it.
    expect((await client.payments.fetchSmartAccountBalance(account.id)).balance).toBe(0)
    await payer.page.goto(bankPage)
    expect(await balanceOnBankPage(payer)).toBe(opening - 4_250)

    await poll(() => harness.hooksOf(bulk.id)).toEqual(['payment_intent/created', 'payment_intent/completed'])
    for (const request of requests) {
      await poll(() => harness.payloadsOf(request.id).map((p) => [p.event, (p.data as { status?: string } | undefined)?.status])).toEqual([['payment_request/updated', 'COMPLETED']])
    }
  })
})
