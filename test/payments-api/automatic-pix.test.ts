import type { PluggyClient } from 'pluggy-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '../../src/domain/payments/calendar-date.ts'
import { CLIENT, OTHER_CLIENT } from '../support/harness.ts'
import { startSandboxEngine, type SandboxEngine } from '../support/sandbox-engine.ts'
import { paymentFixtures } from './payment-fixtures.ts'
import { refusal } from '../payments/payment-support.ts'

// Pix Automático through the unmodified pluggy-sdk 0.90.0: the authorization (method 28), and the
// payments scheduled, listed, read, retried and canceled under it (33–38).

let engine: SandboxEngine
let client: PluggyClient
let other: PluggyClient
let fixtures: ReturnType<typeof paymentFixtures>
let recipientId: string

const day = (offset: number) => addDays(fixtures.today(), offset)

beforeAll(async () => {
  engine = await startSandboxEngine()
  client = engine.client
  const { PluggyClient } = await import('pluggy-sdk')
  other = new PluggyClient({ clientId: OTHER_CLIENT.clientId, clientSecret: OTHER_CLIENT.clientSecret })
  fixtures = paymentFixtures(engine.tributary)
  recipientId = (await client.payments.createPaymentRecipient({ pixKey: 'cobranca@example.com' })).id
})
afterAll(async () => engine?.stop())

type Terms = Partial<Parameters<PluggyClient['payments']['createPaymentRequestPixAutomatico']>[0]>

/** An authorization the payer authorized at their bank (AUTHORIZED). */
async function authorized(terms: Terms = {}) {
  const created = await client.payments.createPaymentRequestPixAutomatico({
    isSandbox: true,
    recipientId,
    description: 'Assinatura',
    interval: 'MONTHLY',
    startDate: fixtures.today(),
    minimumVariableAmount: 10,
    maximumVariableAmount: 500,
    isRetryAccepted: true,
    ...terms,
  })
  await fixtures.consented(CLIENT.clientId, created.id)
  expect(await fixtures.requestStatus(CLIENT.clientId, created.id)).toBe('AUTHORIZED')
  return created
}

describe('the Pix Automático authorization', () => {
  it('is created with its terms, without an amount of its own; bad terms are refused naming the field', async () => {
    const created = await client.payments.createPaymentRequestPixAutomatico({
      isSandbox: true,
      recipientId,
      description: 'Academia',
      interval: 'WEEKLY',
      startDate: day(1),
      fixedAmount: 99.9,
      expiresAt: `${day(200)}T12:00:00.000Z`,
      callbackUrls: { success: 'https://example.com/ok' },
      clientPaymentId: 'academia-1',
    })
    expect(created).toMatchObject({ status: 'CREATED', description: 'Academia', clientPaymentId: 'academia-1', isSandbox: true, bulkPaymentId: null, schedule: null })
    expect(created).not.toHaveProperty('amount')
    expect(created.automaticPix).toEqual({ interval: 'WEEKLY', startDate: day(1), fixedAmount: 99.9, expiresAt: day(200) })
    expect(created.recipient?.id).toBe(recipientId)
    expect(created.paymentUrl).toBe(`${engine.tributary.url}/pay/${created.id}`)

    const mixed = await refusal(client.payments.createPaymentRequestPixAutomatico({ isSandbox: true, recipientId, interval: 'MONTHLY', startDate: day(0), fixedAmount: 10, maximumVariableAmount: 20 }))
    expect(mixed).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR', message: expect.stringMatching(/fixedAmount cannot be given with/) })
    const past = await refusal(client.payments.createPaymentRequestPixAutomatico({ isSandbox: true, recipientId, interval: 'MONTHLY', startDate: day(-1) }))
    expect(past).toMatchObject({ code: 400, message: expect.stringMatching(/startDate cannot be before today/) })
    const badInterval = await refusal(client.payments.createPaymentRequestPixAutomatico({ isSandbox: true, recipientId, interval: 'DAILY' as never, startDate: day(0) }))
    expect(badInterval).toMatchObject({ code: 400, message: expect.stringMatching(/interval is one of/) })
    const stranger = await refusal(other.payments.createPaymentRequestPixAutomatico({ isSandbox: true, recipientId, interval: 'MONTHLY', startDate: day(0) }))
    expect(stranger).toMatchObject({ code: 400, message: expect.stringMatching(/recipientId .* is not a payment recipient of this client/) })
  })

  it('takes no payment before the payer authorized it, nor after it was canceled; canceling it cancels its pending payments', async () => {
    const created = await client.payments.createPaymentRequestPixAutomatico({ isSandbox: true, recipientId, interval: 'MONTHLY', startDate: day(0), fixedAmount: 30 })
    const early = await refusal(client.payments.scheduleAutomaticPixPayment(created.id, { amount: 30, date: day(3) }))
    expect(early).toMatchObject({ code: 400, codeDescription: 'AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE', message: expect.stringMatching(/is CREATED/) })

    await fixtures.consented(CLIENT.clientId, created.id)
    const payment = await client.payments.scheduleAutomaticPixPayment(created.id, { amount: 30, date: day(3), description: 'Dezembro' })
    await client.payments.cancelAutomaticPixAuthorization(created.id)
    expect(await fixtures.requestStatus(CLIENT.clientId, created.id)).toBe('CANCELED')
    expect((await client.payments.fetchAutomaticPixPayment(created.id, payment.id)).status).toBe('CANCELED')
    expect(await refusal(client.payments.cancelAutomaticPixAuthorization(created.id))).toMatchObject({ code: 400, codeDescription: 'PAYMENT_REQUEST_NOT_CANCELABLE' })
    expect(await refusal(client.payments.scheduleAutomaticPixPayment(created.id, { amount: 30, date: day(4) }))).toMatchObject({ code: 400, codeDescription: 'AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE' })

    const oneOff = await fixtures.request(CLIENT.clientId, { recipientId })
    expect(await refusal(client.payments.cancelAutomaticPixAuthorization(oneOff))).toMatchObject({
      code: 400,
      codeDescription: 'AUTOMATIC_PIX_AUTHORIZATION_NOT_ACTIVE',
      message: expect.stringMatching(/not a Pix Automático authorization/),
    })
  })
})

describe('Pix Automático payments', () => {
  it('are scheduled 2 to 10 days ahead, within the amounts, one per interval; listed and fetched', async () => {
    const authorization = await authorized()
    const payment = await client.payments.scheduleAutomaticPixPayment(authorization.id, { amount: 120.5, date: day(3), description: 'Dezembro' })
    expect(payment).toMatchObject({ status: 'SCHEDULED', amount: 120.5, date: day(3), description: 'Dezembro', errorDetail: null })

    const refused = async (body: { amount: number; date: string }, pattern: RegExp) => {
      const answer = await refusal(client.payments.scheduleAutomaticPixPayment(authorization.id, body))
      expect(answer).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR' })
      expect((answer as { message: string }).message).toMatch(pattern)
    }
    await refused({ amount: 50, date: day(1) }, /scheduled 2 to 10 days ahead/)
    await refused({ amount: 50, date: day(11) }, /scheduled 2 to 10 days ahead/)
    await refused({ amount: 600, date: day(4) }, /maximum amount is 500/)
    await refused({ amount: 5, date: day(4) }, /minimum amount is 10/)
    await refused({ amount: 50, date: day(4) }, /one payment per interval/)

    const list = await client.payments.fetchAutomaticPixPayments(authorization.id, {})
    expect(list.results.map((p) => p.id)).toEqual([payment.id])
    expect(await client.payments.fetchAutomaticPixPayment(authorization.id, payment.id)).toEqual(payment)
  })

  it('a failed payment is retried on a new date — at most 3 times, after today, within 7 days of its first date', async () => {
    const authorization = await authorized()
    const payment = await client.payments.scheduleAutomaticPixPayment(authorization.id, { amount: 45, date: day(3) })
    expect(await refusal(client.payments.retryAutomaticPixPayment(authorization.id, payment.id, { date: day(4) }))).toMatchObject({
      code: 400,
      codeDescription: 'AUTOMATIC_PIX_PAYMENT_REFUSED',
      message: expect.stringMatching(/\(SCHEDULED, dated/),
    })

    for (const [retry, offset] of [
      [1, 4],
      [2, 6],
      [3, 10],
    ] as const) {
      await fixtures.failAutomaticPixPayment(CLIENT.clientId, authorization.id, payment.id)
      const failed = await client.payments.fetchAutomaticPixPayment(authorization.id, payment.id)
      expect([failed.status, failed.errorDetail?.code]).toEqual(['ERROR', 'INSUFFICIENT_FUNDS'])
      if (retry === 2) {
        // Outside the window: not after today, and past 7 days from the first date.
        expect(await refusal(client.payments.retryAutomaticPixPayment(authorization.id, payment.id, { date: day(0) }))).toMatchObject({
          code: 400,
          message: expect.stringMatching(/dated after today and by/),
        })
        expect(await refusal(client.payments.retryAutomaticPixPayment(authorization.id, payment.id, { date: day(11) }))).toMatchObject({
          code: 400,
          message: expect.stringMatching(/dated after today and by/),
        })
      }
      const retried = await client.payments.retryAutomaticPixPayment(authorization.id, payment.id, { date: day(offset) })
      expect([retried.id, retried.status, retried.date, retried.errorDetail]).toEqual([payment.id, 'SCHEDULED', day(offset), null])
    }
    await fixtures.failAutomaticPixPayment(CLIENT.clientId, authorization.id, payment.id)
    expect(await refusal(client.payments.retryAutomaticPixPayment(authorization.id, payment.id, { date: day(5) }))).toMatchObject({
      code: 400,
      codeDescription: 'AUTOMATIC_PIX_PAYMENT_REFUSED',
      message: expect.stringMatching(/retried 3 times already/),
    })
  })

  it('is not retried when the failure is not one a retry cures, nor under an authorization that refuses retries', async () => {
    const strict = await authorized({ isRetryAccepted: false })
    const p = await client.payments.scheduleAutomaticPixPayment(strict.id, { amount: 20, date: day(2) })
    await fixtures.failAutomaticPixPayment(CLIENT.clientId, strict.id, p.id)
    expect(await refusal(client.payments.retryAutomaticPixPayment(strict.id, p.id, { date: day(3) }))).toMatchObject({ code: 400, message: expect.stringMatching(/does not accept retries/) })

    const lenient = await authorized()
    const q = await client.payments.scheduleAutomaticPixPayment(lenient.id, { amount: 20, date: day(2) })
    await fixtures.failAutomaticPixPayment(CLIENT.clientId, lenient.id, q.id, false)
    expect(await refusal(client.payments.retryAutomaticPixPayment(lenient.id, q.id, { date: day(3) }))).toMatchObject({
      code: 400,
      message: expect.stringMatching(/a retry cannot cure ACCOUNT_CLOSED/),
    })
    expect(await refusal(client.payments.retryAutomaticPixPayment(lenient.id, q.id, { date: 'tomorrow' }))).toMatchObject({ code: 400, codeDescription: 'VALIDATION_ERROR' })
  })

  it('is canceled until the day before its date; a canceled one frees its interval', async () => {
    const authorization = await authorized({ interval: 'WEEKLY' })
    const payment = await client.payments.scheduleAutomaticPixPayment(authorization.id, { amount: 15, date: day(2) })
    await client.payments.cancelAutomaticPixPayment(authorization.id, payment.id)
    expect((await client.payments.fetchAutomaticPixPayment(authorization.id, payment.id)).status).toBe('CANCELED')
    expect(await refusal(client.payments.cancelAutomaticPixPayment(authorization.id, payment.id))).toMatchObject({ code: 400, codeDescription: 'AUTOMATIC_PIX_PAYMENT_REFUSED' })
    const again = await client.payments.scheduleAutomaticPixPayment(authorization.id, { amount: 15, date: day(3) })
    expect(again.status).toBe('SCHEDULED')
    expect((await client.payments.fetchAutomaticPixPayments(authorization.id, { page: 1, pageSize: 1 })).total).toBe(2)
  })

  it('answers the same payment to a repeated Idempotency-Key and body; another client sees nothing', async () => {
    const authorization = await authorized()
    const post = async (body: unknown, key: string) => {
      const auth = await fetch(`${engine.tributary.url}/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(CLIENT) })
      const { apiKey } = (await auth.json()) as { apiKey: string }
      const response = await fetch(`${engine.tributary.url}/payments/requests/${authorization.id}/automatic-pix/schedule`, {
        method: 'POST',
        headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'x-idempotency-key': key },
        body: JSON.stringify(body),
      })
      return { status: response.status, body: (await response.json()) as { id: string; codeDescription?: string } }
    }
    const first = await post({ amount: 40, date: day(5) }, 'pix-schedule-1')
    const again = await post({ amount: 40, date: day(5) }, 'pix-schedule-1')
    expect([first.status, again.status, again.body.id]).toEqual([200, 200, first.body.id])
    const reused = await post({ amount: 41, date: day(5) }, 'pix-schedule-1')
    expect([reused.status, reused.body.codeDescription]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED'])
    expect((await client.payments.fetchAutomaticPixPayments(authorization.id, {})).total).toBe(1)

    expect(await refusal(other.payments.fetchAutomaticPixPayments(authorization.id, {}))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_REQUEST_NOT_FOUND' })
    expect(await refusal(other.payments.fetchAutomaticPixPayment(authorization.id, first.body.id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_REQUEST_NOT_FOUND' })
    expect(await refusal(other.payments.cancelAutomaticPixPayment(authorization.id, first.body.id))).toMatchObject({ code: 404 })
    expect(await refusal(other.payments.scheduleAutomaticPixPayment(authorization.id, { amount: 40, date: day(6) }))).toMatchObject({ code: 404 })
    expect(await refusal(client.payments.fetchAutomaticPixPayment(authorization.id, '00000000-0000-4000-8000-000000000000'))).toMatchObject({
      code: 404,
      codeDescription: 'AUTOMATIC_PIX_PAYMENT_NOT_FOUND',
    })
  })
})
