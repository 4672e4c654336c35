import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { brasiliaDateOf, addDays } from '../../src/domain/payments/calendar-date.ts'
import { saveIntentStep } from '../../src/engine/payments/intent-steps.ts'
import { findPaymentIntentForWork } from '../../src/store/payments/payment-intents.ts'
import { answerAtBank, approveAsSecond, clientOf, createRecipient, PAYER_BANK, PAYERS, startPayments, type PaymentsFixture } from './payment-support.ts'

// Settlement at the sandbox payer bank: partial acceptance (a second approver), a delayed
// settlement on the engine clock, balances that go down, a replayed step that changes nothing,
// and a monthly schedule whose payments settle as the clock reaches their days.

let fixture: PaymentsFixture
beforeAll(async () => {
  fixture = await startPayments()
  await createRecipient(fixture.client)
})
afterAll(() => fixture?.tributary.stop())

const intentStatus = async (id: string) => (await fixture.client.payments.fetchPaymentIntent(id)).status
const requestStatus = async (id: string) => (await fixture.client.payments.fetchPaymentRequest(id)).status

async function authorizedIntent(cpf: string, amount = 100, extra: Record<string, unknown> = {}) {
  const { client, tributary } = fixture
  const request = await client.payments.createPaymentRequest({ amount, isSandbox: true, ...extra } as never)
  const started = await client.payments.createPaymentIntent({ paymentRequestId: request.id, connectorId: PAYER_BANK, parameters: { cpf } })
  await tributary.clock.settle()
  const intent = await client.payments.fetchPaymentIntent(started.id)
  await answerAtBank(intent.consentUrl!, 'approve')
  await tributary.clock.settle()
  return { request, intent }
}

/** The types of the events written about a request, in order. */
async function eventsOf(requestId: string): Promise<string[]> {
  const { rows } = await fixture.tributary.engine.db.pool.query<{ type: string }>(`select type from events where payload->>'paymentRequestId' = $1 order by seq`, [requestId])
  return rows.map((r) => r.type)
}

describe('settlement at the sandbox payer bank', () => {
  it('partial acceptance: waits for the second approver, then completes', async () => {
    const { request, intent } = await authorizedIntent(PAYERS.secondApprover)
    expect(await intentStatus(intent.id)).toBe('PAYMENT_PARTIALLY_ACCEPTED')
    expect(await requestStatus(request.id)).toBe('WAITING_PAYER_AUTHORIZATION')
    expect(await approveAsSecond(intent.consentUrl!)).toMatch(/1 payment\(s\) approved/)
    await fixture.tributary.clock.settle()
    expect(await intentStatus(intent.id)).toBe('PAYMENT_COMPLETED')
    expect(await eventsOf(request.id)).toEqual(['payment_intent/created', 'payment_intent/waiting_payer_authorization', 'payment_intent/completed', 'payment_request/updated'])
  })

  it('settlement delayed: processing until 10 minutes of the engine clock have passed', async () => {
    const { intent } = await authorizedIntent(PAYERS.delayed)
    expect(await intentStatus(intent.id)).toBe('PAYMENT_SETTLEMENT_PROCESSING')
    await fixture.tributary.clock.advance(5 * 60_000)
    await fixture.tributary.clock.settle()
    expect(await intentStatus(intent.id)).toBe('PAYMENT_SETTLEMENT_PROCESSING')
    await fixture.tributary.clock.advance(6 * 60_000)
    await fixture.tributary.clock.settle()
    expect(await intentStatus(intent.id)).toBe('PAYMENT_COMPLETED')
  })

  it('the payer’s balance at the bank goes down by what settled', async () => {
    const payer = '111.444.777-35'
    const { intent } = await authorizedIntent(payer, 123.45)
    expect(await intentStatus(intent.id)).toBe('PAYMENT_COMPLETED')
    const page = await (await fetch(intent.consentUrl!)).text()
    expect(/id="balance">([^<]+)</.exec(page)?.[1]).toBe('R$ 9.876,55')
  })

  it('a replayed step (a worker that died after saving it) changes nothing and moves no money twice', async () => {
    const { intent } = await authorizedIntent(PAYERS.delayed, 10)
    const { pool } = fixture.tributary.engine.db
    const stale = (await findPaymentIntentForWork(pool, intent.id))!
    expect(stale.status).toBe('PAYMENT_SETTLEMENT_PROCESSING')
    const now = fixture.tributary.clock.now()
    const first = await saveIntentStep(fixture.tributary.engine.db, stale, { type: 'DEBTOR_ACCOUNT_DEBITED' }, now)
    const replayed = await saveIntentStep(fixture.tributary.engine.db, stale, { type: 'DEBTOR_ACCOUNT_DEBITED' }, now)
    expect([first.saved, replayed.saved]).toEqual([true, false])
    // Two runs of the intent's job at once (a job taken over while the first still ran).
    await fixture.tributary.clock.advance(11 * 60_000)
    await Promise.all([fixture.tributary.engine.payments.intents.run(intent.id), fixture.tributary.engine.payments.intents.run(intent.id)])
    await fixture.tributary.clock.settle()
    expect(await intentStatus(intent.id)).toBe('PAYMENT_COMPLETED')
    const { rows } = await pool.query(`select movement, amount_cents::int as cents from payment_fund_movements where subject_id = $1 order by movement`, [intent.id])
    expect(rows).toEqual([
      { movement: 'CREDIT_RECIPIENT', cents: 1000 },
      { movement: 'DEBIT_PAYER', cents: 1000 },
    ])
    const completed = await pool.query(`select count(*)::int as n from events where type = 'payment_intent/completed' and payload->>'paymentIntentId' = $1`, [intent.id])
    expect(completed.rows[0].n).toBe(1)
  })

  it('many intents settled by racing runs (a job taken over while another still runs): each completes once, each leg moves once', async () => {
    const { client, tributary } = fixture
    const started = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const request = await client.payments.createPaymentRequest({ amount: 3, isSandbox: true })
        return client.payments.createPaymentIntent({ paymentRequestId: request.id, connectorId: PAYER_BANK, parameters: { cpf: PAYERS.delayed } })
      }),
    )
    await tributary.clock.settle()
    for (const intent of started) await answerAtBank((await client.payments.fetchPaymentIntent(intent.id)).consentUrl!, 'approve')
    await tributary.clock.settle()
    await tributary.clock.advance(11 * 60_000)
    const { payments } = tributary.engine
    await Promise.all(started.flatMap((intent) => [payments.intents.run(intent.id), payments.intents.run(intent.id), payments.pass()]))
    await tributary.clock.settle()
    const ids = started.map((i) => i.id)
    const { pool } = tributary.engine.db
    const statuses = await pool.query<{ status: string }>(`select status from payment_intents where id = any($1::uuid[])`, [ids])
    expect(statuses.rows.map((r) => r.status)).toEqual(ids.map(() => 'PAYMENT_COMPLETED'))
    const legs = await pool.query<{ n: number }>(`select count(*)::int as n from payment_fund_movements where subject_id = any($1::uuid[])`, [ids])
    expect(legs.rows[0].n).toBe(ids.length * 2)
    const completed = await pool.query<{ n: number }>(`select count(*)::int as n from events where type = 'payment_intent/completed' and (payload->>'paymentIntentId')::uuid = any($1::uuid[])`, [ids])
    expect(completed.rows[0].n).toBe(ids.length)
  })

  it('a monthly schedule: its payments settle as the engine clock reaches their days', async () => {
    const today = brasiliaDateOf(fixture.tributary.clock.now())
    const first = addDays(today, 2)
    const day = Number(first.slice(8, 10))
    const { request, intent } = await authorizedIntent(PAYERS.settles, 40, { schedule: { type: 'MONTHLY', startDate: first, occurrences: 2, dayOfMonth: day } })
    expect(await intentStatus(intent.id)).toBe('PAYMENT_COMPLETED')
    expect(await requestStatus(request.id)).toBe('SCHEDULED')
    const { pool } = fixture.tributary.engine.db
    const payments = async () =>
      (
        await pool.query<{ date: string; status: string }>(
          `select to_char(scheduled_date, 'YYYY-MM-DD') as date, status from scheduled_payments where payment_request_id = $1 order by scheduled_date`,
          [request.id],
        )
      ).rows
    expect((await payments()).map((p) => p.status)).toEqual(['SCHEDULED', 'SCHEDULED'])
    await fixture.tributary.clock.advance(3 * 86_400_000)
    await fixture.tributary.clock.settle()
    expect((await payments()).map((p) => p.status)).toEqual(['COMPLETED', 'SCHEDULED'])
    await fixture.tributary.clock.advance(31 * 86_400_000)
    await fixture.tributary.clock.settle()
    expect((await payments()).map((p) => p.status)).toEqual(['COMPLETED', 'COMPLETED'])
    fixture.client = clientOf(fixture.tributary)
    expect(await requestStatus(request.id)).toBe('COMPLETED')
    expect(await eventsOf(request.id)).toEqual([
      'payment_intent/created',
      'payment_intent/completed',
      'scheduled_payment/created',
      'scheduled_payment/created',
      'scheduled_payment/all_created',
      'scheduled_payment/completed',
      'scheduled_payment/completed',
      'scheduled_payment/all_completed',
      'payment_request/updated',
    ])
  })
})
