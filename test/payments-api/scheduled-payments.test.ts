import type { PluggyClient } from 'pluggy-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '../../src/domain/payments/calendar-date.ts'
import { CLIENT, OTHER_CLIENT } from '../support/harness.ts'
import { startSandboxEngine, type SandboxEngine } from '../support/sandbox-engine.ts'
import { paymentFixtures } from './payment-fixtures.ts'
import { refusal } from '../payments/payment-support.ts'

// The payments of a scheduled request (Pix Agendado, methods 29–32) through the unmodified
// pluggy-sdk 0.90.0: listed, read, canceled one by one until the day before each, or all at once.

let engine: SandboxEngine
let client: PluggyClient
let other: PluggyClient
let fixtures: ReturnType<typeof paymentFixtures>
let recipientId: string

beforeAll(async () => {
  engine = await startSandboxEngine()
  client = engine.client
  const { PluggyClient } = await import('pluggy-sdk')
  other = new PluggyClient({ clientId: OTHER_CLIENT.clientId, clientSecret: OTHER_CLIENT.clientSecret })
  fixtures = paymentFixtures(engine.tributary)
  recipientId = (await client.payments.createPaymentRecipient({ pixKey: '11.222.333/0001-81' })).id
})
afterAll(async () => engine?.stop())

/** A scheduled request whose consent the payer authorized: its payments exist, one per date. */
async function schedule(offsets: number[]): Promise<{ id: string; dates: string[] }> {
  const dates = offsets.map((days) => addDays(fixtures.today(), days))
  const id = await fixtures.request(CLIENT.clientId, { kind: 'SCHEDULED', amountCents: 3_000, recipientId, schedule: { type: 'CUSTOM', dates }, description: 'Mensalidade' })
  await fixtures.consented(CLIENT.clientId, id)
  return { id, dates }
}

describe('scheduled payments', () => {
  it('lists a schedule’s payments by date and fetches one; another client sees none of it', async () => {
    const { id, dates } = await schedule([1, 3, 5])
    const list = await client.payments.fetchScheduledPayments(id)
    expect([list.page, list.total, list.totalPages]).toEqual([1, 3, 1])
    expect(list.results.map((p) => [p.scheduledDate, p.status, p.description])).toEqual(dates.map((d) => [d, 'SCHEDULED', 'Mensalidade']))
    const one = await client.payments.fetchScheduledPayment(id, list.results[1].id)
    expect(one).toEqual(list.results[1])

    expect(await refusal(other.payments.fetchScheduledPayments(id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_REQUEST_NOT_FOUND' })
    expect(await refusal(other.payments.fetchScheduledPayment(id, one.id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_REQUEST_NOT_FOUND' })
    expect(await refusal(other.payments.cancelScheduledPayment(id, one.id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_REQUEST_NOT_FOUND' })
    expect(await refusal(other.payments.cancelScheduledPayments(id))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_REQUEST_NOT_FOUND' })
    expect(await refusal(client.payments.fetchScheduledPayment(id, '00000000-0000-4000-8000-000000000000'))).toMatchObject({ code: 404, codeDescription: 'SCHEDULED_PAYMENT_NOT_FOUND' })
    expect(await refusal(client.payments.fetchScheduledPayments('nope'))).toMatchObject({ code: 404, codeDescription: 'PAYMENT_REQUEST_NOT_FOUND' })
  })

  it('cancels one payment before its day; a finished one cannot be canceled again', async () => {
    const { id } = await schedule([1, 3])
    const [, second] = (await client.payments.fetchScheduledPayments(id)).results
    await client.payments.cancelScheduledPayment(id, second.id)
    expect((await client.payments.fetchScheduledPayment(id, second.id)).status).toBe('CANCELED')
    expect(await fixtures.requestStatus(CLIENT.clientId, id)).toBe('SCHEDULED')
    const again = await refusal(client.payments.cancelScheduledPayment(id, second.id))
    expect(again).toMatchObject({ code: 400, codeDescription: 'SCHEDULED_PAYMENT_NOT_CANCELABLE', message: expect.stringMatching(/it is finished/) })
  })

  it('the request is CANCELED when its last pending payment is canceled one by one', async () => {
    const { id } = await schedule([2, 4])
    for (const payment of (await client.payments.fetchScheduledPayments(id)).results) await client.payments.cancelScheduledPayment(id, payment.id)
    expect(await fixtures.requestStatus(CLIENT.clientId, id)).toBe('CANCELED')
  })

  it('cancels every pending payment at once; the request is CANCELED and cannot be canceled again', async () => {
    const { id } = await schedule([1, 2, 6])
    const [first] = (await client.payments.fetchScheduledPayments(id)).results
    await client.payments.cancelScheduledPayment(id, first.id)
    await client.payments.cancelScheduledPayments(id)
    expect((await client.payments.fetchScheduledPayments(id)).results.map((p) => p.status)).toEqual(['CANCELED', 'CANCELED', 'CANCELED'])
    expect(await fixtures.requestStatus(CLIENT.clientId, id)).toBe('CANCELED')
    const again = await refusal(client.payments.cancelScheduledPayments(id))
    expect(again).toMatchObject({ code: 400, codeDescription: 'PAYMENT_REQUEST_NOT_CANCELABLE', message: expect.stringMatching(/while the request is CANCELED/) })
  })

  it('refuses to cancel the schedule of a request that has none, or whose consent is not in force yet', async () => {
    const oneOff = await fixtures.request(CLIENT.clientId, { recipientId })
    expect(await refusal(client.payments.cancelScheduledPayments(oneOff))).toMatchObject({
      code: 400,
      codeDescription: 'PAYMENT_REQUEST_NOT_CANCELABLE',
      message: expect.stringMatching(/has no schedule: it is a ONE_OFF request/),
    })
    expect((await client.payments.fetchScheduledPayments(oneOff)).results).toEqual([])
    const unpaid = await fixtures.request(CLIENT.clientId, { kind: 'SCHEDULED', recipientId, schedule: { type: 'SINGLE', date: addDays(fixtures.today(), 3) } })
    expect(await refusal(client.payments.cancelScheduledPayments(unpaid))).toMatchObject({
      code: 400,
      codeDescription: 'PAYMENT_REQUEST_NOT_CANCELABLE',
      message: expect.stringMatching(/while the request is CREATED/),
    })
  })

  // Last: it moves the engine's clock a day ahead.
  it('refuses to cancel a payment on its day (Brasília time); the next one can still be canceled', async () => {
    const { id, dates } = await schedule([1, 2])
    const [first, second] = (await client.payments.fetchScheduledPayments(id)).results
    await engine.clock.advance(24 * 3_600_000)
    expect(fixtures.today()).toBe(dates[0])
    const refused = await refusal(client.payments.cancelScheduledPayment(id, first.id))
    expect(refused).toMatchObject({ code: 400, codeDescription: 'SCHEDULED_PAYMENT_NOT_CANCELABLE' })
    expect((refused as { message: string }).message).toContain(`of ${dates[0]} cannot be canceled (today is ${dates[0]} in Brasília)`)
    await client.payments.cancelScheduledPayment(id, second.id)
    expect((await client.payments.fetchScheduledPayment(id, second.id)).status).toBe('CANCELED')
  })
})
