import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, brasiliaDateOf } from '../../src/domain/payments/calendar-date.ts'
import { insertPaymentRequest } from '../../src/store/payments/payment-requests.ts'
import { answerAtBank, clientOf, createRecipient, PAYER_BANK, PAYERS, startPayments, type PaymentsFixture } from './payment-support.ts'

// A Pix Automático authorization executed at the sandbox payer bank: the payer authorizes the
// mandate, its first payment settles on its day (or fails, retriable, for lack of funds), and the
// authorization expires at the end of its expiresAt day on the engine clock. The request is made in
// the store here: its HTTP API (method 28) is served beside this engine work.

let fixture: PaymentsFixture
let recipientId: string
beforeAll(async () => {
  fixture = await startPayments()
  recipientId = (await createRecipient(fixture.client)).id
})
afterAll(() => fixture?.tributary.stop())

async function authorization(cpf: string, terms: Record<string, unknown>) {
  const { tributary } = fixture
  const client = clientOf(tributary)
  const id = randomUUID()
  await insertPaymentRequest(tributary.engine.db.pool, {
    id,
    clientId: tributary.credentials.clientId,
    kind: 'AUTOMATIC_PIX',
    status: 'CREATED',
    amountCents: null,
    description: 'Academia',
    recipientId,
    customerId: null,
    callbackUrls: null,
    schedule: null,
    automaticPix: terms,
    schedulerConfiguration: null,
    smartAccountId: null,
    clientPaymentId: null,
    isSandbox: true,
    at: tributary.clock.now(),
  })
  const started = await client.payments.createPaymentIntent({ paymentRequestId: id, connectorId: PAYER_BANK, parameters: { cpf } })
  await tributary.clock.settle()
  await answerAtBank((await client.payments.fetchPaymentIntent(started.id)).consentUrl!, 'approve')
  await tributary.clock.settle()
  return { id, intentId: started.id }
}

const payments = async (requestId: string) =>
  (
    await fixture.tributary.engine.db.pool.query<{ status: string; error: { code: string; retriable: boolean } | null }>(
      `select status, error from automatic_pix_payments where payment_request_id = $1 order by date`,
      [requestId],
    )
  ).rows
const requestStatus = async (id: string) => (await fixture.tributary.engine.db.pool.query(`select status from payment_requests where id = $1`, [id])).rows[0].status

describe('Pix Automático at the sandbox payer bank', () => {
  it('the mandate is authorized, its first payment settles on its day, and it expires after expiresAt', async () => {
    const today = brasiliaDateOf(fixture.tributary.clock.now())
    const { id, intentId } = await authorization(PAYERS.settles, { interval: 'MONTHLY', startDate: today, fixedAmount: 30, expiresAt: addDays(today, 40), firstPayment: { amount: 30 } })
    expect((await clientOf(fixture.tributary).payments.fetchPaymentIntent(intentId)).status).toBe('PAYMENT_COMPLETED')
    expect(await requestStatus(id)).toBe('AUTHORIZED')
    await fixture.tributary.clock.advance(60_000)
    await fixture.tributary.clock.settle()
    expect((await payments(id)).map((p) => p.status)).toEqual(['COMPLETED'])
    await fixture.tributary.clock.advance(42 * 86_400_000)
    await fixture.tributary.clock.settle()
    expect(await requestStatus(id)).toBe('EXPIRED')
  })

  it('a first payment the payer’s balance cannot cover fails, retriable', async () => {
    const today = brasiliaDateOf(fixture.tributary.clock.now())
    const { id } = await authorization(PAYERS.insufficientFunds, { interval: 'MONTHLY', startDate: today, fixedAmount: 50, isRetryAccepted: true, firstPayment: { amount: 50 } })
    await fixture.tributary.clock.advance(60_000)
    await fixture.tributary.clock.settle()
    const [payment] = await payments(id)
    expect([payment.status, payment.error?.code, payment.error?.retriable]).toEqual(['ERROR', 'SALDO_INSUFICIENTE', true])
  })
})
