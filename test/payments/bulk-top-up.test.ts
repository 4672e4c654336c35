import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertBulkPayment } from '../../src/store/payments/bulk-payments.ts'
import { findSmartAccount, insertSmartAccount } from '../../src/store/payments/smart-accounts.ts'
import { answerAtBank, createRecipient, PAYER_BANK, PAYERS, startPayments, type PaymentsFixture } from './payment-support.ts'

// A bulk payment's top-up through the sandbox payer bank, then its requests paid from the smart
// account (PAY_BULK_REQUESTS). The bulk payment and the smart account are made in the store here:
// their HTTP API (methods 20–27) is served beside this engine work.

let fixture: PaymentsFixture
beforeAll(async () => {
  fixture = await startPayments()
  await createRecipient(fixture.client)
})
afterAll(() => fixture?.tributary.stop())

describe('a bulk payment', () => {
  it('is topped up at the payer’s bank, then pays each request from the smart account', async () => {
    const { client, tributary } = fixture
    const { pool } = tributary.engine.db
    const clientId = tributary.credentials.clientId
    const now = tributary.clock.now()
    const account = await insertSmartAccount(pool, {
      id: randomUUID(),
      clientId,
      name: 'Loja',
      taxNumber: '11222333000181',
      email: 'loja@example.com',
      phoneNumber: '+5511999999999',
      agency: '0001',
      number: '1234567',
      verifyingDigit: '8',
      isSandbox: true,
      at: now,
    })
    const requests = [await client.payments.createPaymentRequest({ amount: 30, isSandbox: true }), await client.payments.createPaymentRequest({ amount: 12.5, isSandbox: true })]
    const bulk = await insertBulkPayment(pool, {
      id: randomUUID(),
      clientId,
      smartAccountId: account.id,
      status: 'CREATED',
      paymentRequestIds: requests.map((r) => r.id),
      memberKind: 'ONE_OFF',
      memberStatus: 'CREATED',
      feesCents: 150,
      callbackUrls: null,
      at: now,
    })
    const started = await client.payments.createPaymentIntent({ bulkPaymentId: bulk!.id, connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles } })
    expect(started.bulkPayment).toMatchObject({ id: bulk!.id, status: 'WAITING_PAYER_AUTHORIZATION', totalAmount: 42.5, feesAmount: 1.5, grossAmount: 44 })
    await answerAtBank(started.consentUrl!, 'approve')
    await tributary.clock.settle()
    expect((await client.payments.fetchPaymentIntent(started.id)).status).toBe('PAYMENT_COMPLETED')
    expect(await Promise.all(requests.map(async (r) => (await client.payments.fetchPaymentRequest(r.id)).status))).toEqual(['COMPLETED', 'COMPLETED'])
    const { rows } = await pool.query(`select status from bulk_payments where id = $1`, [bulk!.id])
    expect(rows[0].status).toBe('COMPLETED')
    // Topped up with the total and the fees; the requests took the total.
    expect((await findSmartAccount(pool, clientId, account.id))!.balanceCents).toBe(150)
  })

  it('its top-up starts from its payment page, /pay/bulk/{id}', async () => {
    const { client, tributary } = fixture
    const { pool } = tributary.engine.db
    const clientId = tributary.credentials.clientId
    const now = tributary.clock.now()
    const account = await insertSmartAccount(pool, {
      id: randomUUID(),
      clientId,
      name: 'Loja',
      taxNumber: '11222333000181',
      email: 'loja@example.com',
      phoneNumber: '+5511999999999',
      agency: '0001',
      number: '7654321',
      verifyingDigit: '0',
      isSandbox: true,
      at: now,
    })
    const request = await client.payments.createPaymentRequest({ amount: 8, isSandbox: true })
    const bulk = (await insertBulkPayment(pool, {
      id: randomUUID(),
      clientId,
      smartAccountId: account.id,
      status: 'CREATED',
      paymentRequestIds: [request.id],
      memberKind: 'ONE_OFF',
      memberStatus: 'CREATED',
      feesCents: 0,
      callbackUrls: null,
      at: now,
    }))!
    const url = `${tributary.engine.url}/pay/bulk/${bulk.id}`
    const page = await fetch(url)
    const html = await page.text()
    expect(/id="amount">([^<]+)</.exec(html)?.[1]).toBe('R$ 8,00')
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]
    const cookie = page.headers.get('set-cookie')!.split(';')[0]
    const form = new URLSearchParams({ csrf, connectorId: '8', cpf: PAYERS.settles })
    const posted = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: form.toString(), redirect: 'manual' })
    expect([posted.status, posted.headers.get('location')]).toEqual([303, `/pay/bulk/${bulk.id}`])
    await tributary.clock.settle()
    const toBank = await fetch(url, { redirect: 'manual' })
    expect(toBank.status).toBe(303)
    expect(toBank.headers.get('location')).toMatch(/\/sandbox\/open-finance\/payments\/authorize\//)
  })
})
