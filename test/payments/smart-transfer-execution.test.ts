import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSmartTransferPayment } from '../../src/domain/payments/smart-transfer-payment.ts'
import { createPreauthorization } from '../../src/domain/payments/smart-transfer-preauthorization.ts'
import { enqueueSmartTransferPaymentWork } from '../../src/engine/payments/payment-work.ts'
import { insertPreauthorization, insertSmartTransferPayment } from '../../src/store/payments/smart-transfers.ts'
import { answerAtBank, PAYER_BANK, startPayments, type PaymentsFixture } from './payment-support.ts'

// Smart transfers executed at the sandbox payer bank: a preauthorization's consent created and
// authorized by the payer, then a transfer under it settled as an intent's payment is. The
// preauthorization and the transfer are made in the store here: their HTTP API (methods 39–43) is
// served beside this engine work.

const PAYER = '52998224725'
let fixture: PaymentsFixture
beforeAll(async () => {
  fixture = await startPayments()
})
afterAll(() => fixture?.tributary.stop())

describe('smart transfers at the sandbox payer bank', () => {
  it('a preauthorization is authorized at the bank; a transfer under it settles once', async () => {
    const { client, tributary } = fixture
    const { pool } = tributary.engine.db
    const clientId = tributary.credentials.clientId
    const [institution] = (await client.payments.fetchPaymentInstitutions({ name: 'itaú' } as never)).results
    const own = await client.payments.createPaymentRecipient({
      name: 'Ana (Itaú)',
      taxNumber: PAYER,
      paymentInstitutionId: institution.id,
      account: { type: 'CHECKING_ACCOUNT', number: '55555-5', branch: '0102' },
    })
    const now = tributary.clock.now()
    const preauthorizationId = randomUUID()
    await insertPreauthorization(pool, {
      id: preauthorizationId,
      clientId,
      connectorId: PAYER_BANK,
      clientPreauthorizationId: null,
      callbackUrls: null,
      parametersEnc: tributary.engine.cipher.encrypt(JSON.stringify({ cpf: PAYER })),
      recipientIds: [own.id],
      state: createPreauthorization('about:blank', now.toISOString()).state,
      at: now,
    })
    await tributary.engine.payments.pass()
    await tributary.clock.settle()
    const consentUrl = (await pool.query(`select consent_url as url from smart_transfer_preauthorizations where id = $1`, [preauthorizationId])).rows[0].url as string
    expect(consentUrl).toMatch(/\/sandbox\/open-finance\/payments\/authorize\//)
    await answerAtBank(consentUrl, 'approve')
    await tributary.clock.settle()
    expect((await pool.query(`select status from smart_transfer_preauthorizations where id = $1`, [preauthorizationId])).rows[0].status).toBe('COMPLETED')

    const paymentId = randomUUID()
    await insertSmartTransferPayment(pool, {
      id: paymentId,
      clientId,
      preauthorizationId,
      recipientId: own.id,
      description: null,
      clientPaymentId: null,
      preauthorizationStatus: 'COMPLETED',
      state: createSmartTransferPayment(5_000),
      at: now,
    })
    await enqueueSmartTransferPaymentWork(pool, paymentId, now)
    await tributary.clock.settle()
    expect((await pool.query(`select status from smart_transfer_payments where id = $1`, [paymentId])).rows[0].status).toBe('PAYMENT_COMPLETED')
    const events = await pool.query<{ type: string; status: string }>(`select type, payload->>'status' as status from events where payload->>'smartTransferPreauthorizationId' = $1 order by seq`, [
      preauthorizationId,
    ])
    expect(events.rows).toEqual([
      { type: 'smart_transfer_preauthorization/completed', status: 'COMPLETED' },
      { type: 'smart_transfer_payment/completed', status: 'PAYMENT_COMPLETED' },
    ])
    const legs = await pool.query(`select movement from payment_fund_movements where subject_id = $1 order by movement`, [paymentId])
    expect(legs.rows.map((r) => r.movement)).toEqual(['CREDIT_RECIPIENT', 'DEBIT_PAYER'])
  })
})
