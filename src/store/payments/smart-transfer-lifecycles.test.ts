import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSmartTransferPayment, transitionSmartTransferPayment } from '../../domain/payments/smart-transfer-payment.ts'
import { createPreauthorization, transitionPreauthorization } from '../../domain/payments/smart-transfer-preauthorization.ts'
import { insertPaymentRecipient } from './payment-recipients.ts'
import {
  findSmartTransferPayment,
  insertPreauthorization,
  insertSmartTransferPayment,
  preauthorizationStateOf,
  savePreauthorizationTransition,
  saveSmartTransferPaymentTransition,
  smartTransferPaymentStateOf,
} from './smart-transfers.ts'
import { db, CLIENT, OTHER, AT, recipientId, setUpLifecyclesDatabase } from './payment-lifecycles-test-support.ts'

// Smart transfers against the store: a preauthorization and the transfers under it (the rules:
// payment-lifecycles-test-support.ts).

setUpLifecyclesDatabase()

describe('smart transfers', () => {
  it('a preauthorization names only the client’s recipients, and transfers need it completed and naming theirs', async () => {
    const { state } = createPreauthorization('https://bank.example/p/1', AT.toISOString())
    const base = { clientId: CLIENT, connectorId: 0, clientPreauthorizationId: null, callbackUrls: null, parametersEnc: 'encrypted', state, at: AT }
    const foreign = await insertPaymentRecipient(db.pool, {
      id: randomUUID(),
      clientId: OTHER,
      name: 'Outro',
      taxNumber: '52998224725',
      isDefault: false,
      paymentInstitutionId: '0f3c1a52-7d0e-4c39-9a1e-000000000002',
      account: { type: 'CHECKING_ACCOUNT', number: '1', branch: '1' },
      pixKey: null,
      smartAccountId: null,
      at: AT,
    })
    expect(await insertPreauthorization(db.pool, { ...base, id: randomUUID(), recipientIds: [recipientId, foreign.id] })).toBeUndefined()
    const id = randomUUID()
    const preauthorization = (await insertPreauthorization(db.pool, { ...base, id, recipientIds: [recipientId] }))!
    expect(preauthorization.recipientIds).toEqual([recipientId])
    const transfer = {
      clientId: CLIENT,
      preauthorizationId: id,
      recipientId,
      description: null,
      clientPaymentId: null,
      preauthorizationStatus: 'COMPLETED' as const,
      state: createSmartTransferPayment(5_000),
      at: AT,
    }
    expect(await insertSmartTransferPayment(db.pool, { ...transfer, id: randomUUID() })).toBeUndefined()
    const completed = transitionPreauthorization(preauthorizationStateOf(preauthorization), { type: 'PAYER_AUTHORIZED' })
    if (!completed.ok) throw new Error(completed.reason)
    expect(await savePreauthorizationTransition(db.pool, { clientId: CLIENT, id, expected: 'CREATED', next: completed.next, events: [], at: AT })).toBe(true)
    const paymentId = randomUUID()
    expect(await insertSmartTransferPayment(db.pool, { ...transfer, id: paymentId })).toMatchObject({ status: 'CONSENT_AUTHORIZED', amountCents: 5_000 })
    const stored = (await findSmartTransferPayment(db.pool, CLIENT, paymentId))!
    const initiated = transitionSmartTransferPayment(smartTransferPaymentStateOf(stored), { type: 'PAYMENT_INITIATED' })
    if (!initiated.ok) throw new Error(initiated.reason)
    const change = { clientId: CLIENT, id: paymentId, expected: stored.status, next: initiated.next, events: [], at: AT }
    expect(await saveSmartTransferPaymentTransition(db.pool, change)).toBe(true)
    expect(await saveSmartTransferPaymentTransition(db.pool, change)).toBe(false)
    expect(await findSmartTransferPayment(db.pool, OTHER, paymentId)).toBeUndefined()
    expect(await insertSmartTransferPayment(db.pool, { ...transfer, id: randomUUID(), recipientId: foreign.id })).toBeUndefined()
  })
})
