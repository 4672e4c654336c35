import type { PluggyClient } from 'pluggy-sdk'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DeclaredTypes } from './support/declared-types.ts'
import { createRecipient, PAYER_BANK, PAYERS, type PaymentsFixture, refusal, startPayments } from './payments/payment-support.ts'

// Methods 1–7 of docs/payments.md through the unmodified pluggy-sdk 0.90.0 (`client.payments`):
// payment requests and intents, every answer checked against the types the client declares in its
// own .d.ts files (test/support/declared-types.ts), as the data methods are in test/sdk-types.test.ts.

vi.setConfig({ testTimeout: 60_000 })

let fixture: PaymentsFixture
let payments: PluggyClient['payments']
const declared = new DeclaredTypes()
const problems = new Map<string, string[]>()

/** Calls a payments method and records how its answer differs from the declared type. */
async function call<K extends keyof PluggyClient['payments']>(method: K, ...args: Parameters<Extract<PluggyClient['payments'][K], (...a: any[]) => any>>) {
  const result = await (payments[method] as (...a: unknown[]) => Promise<unknown>).apply(payments, args)
  problems.set(method, [...(problems.get(method) ?? []), ...declared.checkMemberResult('payments', method, result)])
  return result as Awaited<ReturnType<Extract<PluggyClient['payments'][K], (...a: any[]) => any>>>
}

beforeAll(async () => {
  fixture = await startPayments()
  payments = fixture.client.payments
  await createRecipient(fixture.client)
})
afterAll(() => fixture?.tributary.stop())

describe('payment requests and intents through pluggy-sdk (methods 1–7)', () => {
  it('creates, fetches, lists and deletes requests; paymentUrl is Tributary’s payment page', async () => {
    const request = await call('createPaymentRequest', { amount: 150.25, description: 'Pedido 7', callbackUrls: { success: 'https://store.example/ok' }, clientPaymentId: 'order-7', isSandbox: true })
    expect(request).toMatchObject({ amount: 150.25, status: 'CREATED', description: 'Pedido 7', clientPaymentId: 'order-7', schedule: null, bulkPaymentId: null })
    expect(request.paymentUrl).toBe(`${fixture.tributary.engine.url}/pay/${request.id}`)
    expect(request.recipient?.name).toBe('Loja da Esquina')
    expect(request.createdAt).toBeInstanceOf(Date)
    expect((await call('fetchPaymentRequest', request.id)).id).toBe(request.id)
    const listed = await call('fetchPaymentRequests', { pageSize: 50 } as never)
    expect(listed.results.map((r) => r.id)).toContain(request.id)
    await call('deletePaymentRequest', request.id)
    expect(await refusal(payments.fetchPaymentRequest(request.id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_REQUEST_NOT_FOUND' })
  })

  it('creates a scheduled request (monthly) and refuses a bad amount or schedule with the field named', async () => {
    const tomorrow = new Date(fixture.tributary.clock.now().getTime() + 2 * 86_400_000).toISOString().slice(0, 10)
    const scheduled = await call('createPaymentRequest', { amount: 10, schedule: { type: 'MONTHLY', startDate: tomorrow, occurrences: 3, dayOfMonth: 10 }, isSandbox: true })
    expect(scheduled.schedule).toEqual({ type: 'MONTHLY', startDate: tomorrow, occurrences: 3, dayOfMonth: 10 })
    const badAmount = await refusal(payments.createPaymentRequest({ amount: 1.234, isSandbox: true }))
    expect(badAmount).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR' })
    const badSchedule = await refusal(payments.createPaymentRequest({ amount: 1, schedule: { type: 'DAILY', startDate: tomorrow, occurrences: 1 }, isSandbox: true }))
    expect(badSchedule).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR' })
  })

  it('starts an intent at the sandbox bank, answering with the consent URL to send the payer to; fetches and lists it; a second intent while one runs is a 409', async () => {
    const request = await call('createPaymentRequest', { amount: 20, isSandbox: true })
    const intent = await call('createPaymentIntent', { paymentRequestId: request.id, connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles } })
    expect(intent).toMatchObject({ status: 'CONSENT_AWAITING_AUTHORIZATION', pixData: null, bulkPayment: null })
    expect(intent.consentUrl).toMatch(/^http/)
    expect(intent.connector?.id).toBe(PAYER_BANK)
    expect(intent.paymentRequest?.status).toBe('WAITING_PAYER_AUTHORIZATION')
    await fixture.tributary.clock.settle()
    const fetched = await call('fetchPaymentIntent', intent.id)
    expect(fetched.status).toBe('CONSENT_AWAITING_AUTHORIZATION')
    expect(fetched.consentUrl).toBe(intent.consentUrl)
    expect((await call('fetchPaymentIntents', { pageSize: 50 } as never)).results.map((i) => i.id)).toContain(intent.id)
    const again = await refusal(payments.createPaymentIntent({ paymentRequestId: request.id, connectorId: PAYER_BANK, parameters: { cpf: PAYERS.settles } }))
    expect(again).toMatchObject({ code: 409, codeDescription: 'PAYMENT_REQUEST_NOT_PAYABLE' })
    // Deleting a request whose intent awaits the payer cancels the intent with it.
    await call('deletePaymentRequest', request.id)
    expect(await refusal(payments.fetchPaymentIntent(intent.id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_INTENT_NOT_FOUND' })
  })

  it('refuses an intent at a connector that does not initiate payments, or without a valid CPF', async () => {
    const request = await call('createPaymentRequest', { amount: 20, isSandbox: true })
    expect(await refusal(payments.createPaymentIntent({ paymentRequestId: request.id, connectorId: 0, parameters: { cpf: PAYERS.settles } }))).toMatchObject({
      code: 400,
      codeDescription: 'PAYMENT_CONNECTOR_UNSUPPORTED',
    })
    expect(await refusal(payments.createPaymentIntent({ paymentRequestId: request.id, connectorId: PAYER_BANK, parameters: { cpf: '123.456.789-00' } }))).toMatchObject({
      code: 400,
      codeDescription: 'VALIDATION_ERROR',
    })
  })

  it('idempotency keys: the same key and body answer the same request; another body is a 409', async () => {
    const url = `${fixture.tributary.url}/payments/requests`
    const post = (body: unknown, key: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': fixture.tributary.apiKey, 'idempotency-key': key }, body: JSON.stringify(body) })
    const first = await (await post({ amount: 5, isSandbox: true }, 'order-99')).json()
    const second = await (await post({ amount: 5, isSandbox: true }, 'order-99')).json()
    expect(second.id).toBe(first.id)
    const third = await post({ amount: 6, isSandbox: true }, 'order-99')
    expect([third.status, (await third.json()).codeDescription]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED'])
  })

  it('every answer has the shape pluggy-sdk declares', () => {
    expect(Object.fromEntries([...problems].filter(([, found]) => found.length > 0))).toEqual({})
    expect([...problems.keys()].sort()).toEqual(
      ['createPaymentIntent', 'createPaymentRequest', 'deletePaymentRequest', 'fetchPaymentIntent', 'fetchPaymentIntents', 'fetchPaymentRequest', 'fetchPaymentRequests'].sort(),
    )
  })
})
