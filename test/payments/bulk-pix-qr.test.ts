import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { crc16Ccitt, readBrCode } from '../../src/domain/payments/pix-qr-code.ts'
import { clientOf, createRecipient, startPayments, type PaymentsFixture } from './payment-support.ts'

// A bulk payment topped up by a Pix QR code (createPaymentIntent({ bulkPaymentId, paymentMethod:
// 'PIX' })), paid through the sandbox control API, then its requests paid from the smart account —
// all through pluggy-sdk, on the manual clock.

let fixture: PaymentsFixture
beforeAll(async () => {
  fixture = await startPayments()
  await createRecipient(fixture.client)
})
afterAll(() => fixture?.tributary.stop())

async function payPix(intentId: string, apiKey = fixture.tributary.apiKey) {
  const answer = await fetch(`${fixture.tributary.url}/sandbox/payments/intents/${intentId}/pay-pix`, { method: 'POST', headers: { 'X-API-KEY': apiKey } })
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> }
}

async function bulkOf(amounts: number[]) {
  const { client } = fixture
  const account = await client.payments.createSmartAccount({ name: 'Loja São João', taxNumber: '11.222.333/0001-81', email: 'loja@example.com', phoneNumber: '+55 11 98765-4321', isSandbox: true })
  const requests = await Promise.all(amounts.map((amount) => client.payments.createPaymentRequest({ amount, isSandbox: true })))
  const bulk = await client.payments.createBulkPayment({ smartAccountId: account.id, paymentRequestIds: requests.map((r) => r.id) })
  return { account, requests, bulk }
}

describe('a bulk payment topped up by a Pix QR code', () => {
  it('answers a well-formed copia e cola and no consent; paid in the sandbox, it settles and the requests are paid', async () => {
    const { client, tributary } = fixture
    const { account, requests, bulk } = await bulkOf([30, 12.5])
    const started = await client.payments.createPaymentIntent({ bulkPaymentId: bulk.id, paymentMethod: 'PIX' })
    expect(started).toMatchObject({ status: 'STARTED', consentUrl: null, connector: null, bulkPayment: { id: bulk.id, status: 'TOP_UP_STARTED', totalAmount: 42.5 } })
    expect(started.pixData).toEqual({ qr: expect.any(String), value: '42.50' })
    const qr = started.pixData!.qr
    const fields = readBrCode(qr)!
    expect(fields.get('00')).toBe('01')
    expect(readBrCode(fields.get('26')!)!.get('00')).toBe('br.gov.bcb.pix')
    expect(readBrCode(fields.get('26')!)!.get('01')).toBe('11222333000181')
    expect(fields.get('54')).toBe('42.50')
    expect(fields.get('58')).toBe('BR')
    expect(fields.get('59')).toBe('Loja Sao Joao')
    expect(qr.slice(-4)).toBe(crc16Ccitt(qr.slice(0, -4)))

    // Nothing happens until someone pays it.
    await tributary.clock.settle()
    expect((await client.payments.fetchPaymentIntent(started.id)).status).toBe('STARTED')

    const paid = await payPix(started.id)
    expect(paid.status).toBe(200)
    expect(paid.body).toMatchObject({ id: started.id, status: 'PAYMENT_PENDING', consentUrl: null, pixData: started.pixData })
    await tributary.clock.settle()
    expect((await client.payments.fetchPaymentIntent(started.id)).status).toBe('PAYMENT_COMPLETED')
    expect((await client.payments.fetchBulkPayment(bulk.id)).status).toBe('COMPLETED')
    expect(await Promise.all(requests.map(async (r) => (await client.payments.fetchPaymentRequest(r.id)).status))).toEqual(['COMPLETED', 'COMPLETED'])
    expect((await client.payments.fetchSmartAccountBalance(account.id)).balance).toBe(0)

    // A paid code is not paid twice.
    const again = await payPix(started.id)
    expect(again).toMatchObject({ status: 409, body: { codeDescription: 'PAYMENT_INTENT_NOT_PIX_PAYABLE' } })
  })

  it('expires when nobody pays it within 30 minutes; the bulk payment may be topped up again', async () => {
    const { tributary } = fixture
    const { bulk } = await bulkOf([10])
    const started = await fixture.client.payments.createPaymentIntent({ bulkPaymentId: bulk.id, paymentMethod: 'PIX' })
    await tributary.clock.advance(29 * 60_000)
    await tributary.clock.settle()
    let client = clientOf(tributary)
    expect((await client.payments.fetchPaymentIntent(started.id)).status).toBe('STARTED')
    await tributary.clock.advance(2 * 60_000)
    await tributary.clock.settle()
    client = clientOf(tributary)
    const expired = await client.payments.fetchPaymentIntent(started.id)
    expect(expired.status).toBe('EXPIRED')
    expect((await client.payments.fetchBulkPayment(bulk.id)).status).toBe('CREATED')
    const late = await payPix(started.id, await tributary.authenticate())
    expect(late).toMatchObject({ status: 409, body: { codeDescription: 'PAYMENT_INTENT_NOT_PIX_PAYABLE' } })
    const again = await client.payments.createPaymentIntent({ bulkPaymentId: bulk.id, paymentMethod: 'PIX' })
    expect(again.status).toBe('STARTED')
  })

  it('refuses another payment method, a request, and paying a consent intent’s nonexistent QR code', async () => {
    const { client } = fixture
    const { bulk } = await bulkOf([5])
    const other = await client.payments.createPaymentIntent({ bulkPaymentId: bulk.id, paymentMethod: 'BOLETO' as 'PIX' }).catch((e: { code?: number; codeDescription?: string }) => e)
    expect(other).toMatchObject({ code: 400, codeDescription: 'PAYMENT_METHOD_UNSUPPORTED' })
    const unknown = await payPix('7b0f4a53-6f7e-4d43-9e58-2a1a3b9f0c11', await fixture.tributary.authenticate())
    expect(unknown).toMatchObject({ status: 404, body: { codeDescription: 'PAYMENT_INTENT_NOT_FOUND' } })
  })
})
