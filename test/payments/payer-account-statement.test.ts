import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { visitBank } from '../support/sandbox-bank-user.ts'
import { answerAtBank, createRecipient, PAYER_BANK, startPayments, type PaymentsFixture } from './payment-support.ts'

// A payment made at the sandbox Open Finance bank shows up as a transaction of the payer's account
// there, on the next sync of the payer's connected item.

const PAYER = '111.444.777-35'
let fixture: PaymentsFixture
beforeAll(async () => {
  fixture = await startPayments()
  await createRecipient(fixture.client)
})
afterAll(() => fixture?.tributary.stop())

const api = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${fixture.tributary.url}${path}`, { ...init, headers: { 'content-type': 'application/json', 'x-api-key': fixture.tributary.apiKey } })
  return response.json()
}

describe('the payer’s connected account at the sandbox bank', () => {
  it('shows the Pix as a debit on the sync after it settled', async () => {
    const { client, tributary } = fixture
    const item = await api('/items', { method: 'POST', body: JSON.stringify({ connectorId: PAYER_BANK, parameters: { cpf: PAYER } }) })
    await tributary.clock.settle()
    const waiting = await api(`/items/${item.id}`)
    await visitBank(waiting.userAction.attributes.url, { user: 'user-ok', decision: 'approve' })
    await vi.waitFor(async () => expect((await api(`/items/${item.id}`)).status).toBe('UPDATED'), { timeout: 15_000 })

    const request = await client.payments.createPaymentRequest({ amount: 77.7, isSandbox: true })
    const started = await client.payments.createPaymentIntent({ paymentRequestId: request.id, connectorId: PAYER_BANK, parameters: { cpf: PAYER } })
    await tributary.clock.settle()
    await answerAtBank((await client.payments.fetchPaymentIntent(started.id)).consentUrl!, 'approve')
    await tributary.clock.settle()
    expect((await client.payments.fetchPaymentIntent(started.id)).status).toBe('PAYMENT_COMPLETED')

    await api(`/items/${item.id}`, { method: 'PATCH', body: JSON.stringify({}) })
    await vi.waitFor(async () => expect((await api(`/items/${item.id}`)).status).toBe('UPDATED'), { timeout: 15_000 })
    await tributary.clock.settle()
    const [account] = (await api(`/accounts?itemId=${item.id}&type=BANK`)).results
    const transactions = (await api(`/transactions?accountId=${account.id}&pageSize=500`)).results as { description: string; amount: number; type: string }[]
    expect(transactions.filter((t) => t.description === 'PIX ENVIADO').map((t) => [t.amount, t.type])).toEqual([[-77.7, 'DEBIT']])
  })
})
