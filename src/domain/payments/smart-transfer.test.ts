import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SMART_TRANSFER_PAYMENT_LIFECYCLE } from './lifecycle-catalog.ts'
import { createSmartTransferPayment, smartTransferPaymentInvariantViolations, transitionSmartTransferPayment } from './smart-transfer-payment.ts'
import { createPreauthorization, transitionPreauthorization } from './smart-transfer-preauthorization.ts'

const AT = '2026-03-02T12:00:00.000Z'

describe('a smart-transfer preauthorization', () => {
  const { state: created, effects } = createPreauthorization('https://bank.example/c', AT)

  it('waits for the payer with a check when the consent window closes, then completes', () => {
    expect(effects).toEqual([{ type: 'CHECK_AT', check: 'CONSENT_EXPIRY', at: '2026-03-02T12:30:00.000Z' }])
    const completed = transitionPreauthorization(created, { type: 'PAYER_AUTHORIZED' })
    expect(completed.ok && completed.effects).toEqual([{ type: 'EMIT', event: 'smart_transfer_preauthorization/completed', status: 'COMPLETED' }])
  })

  it('is rejected, expires (as ERROR: the reference has no EXPIRED here) or is revoked, each told as an error with its status', () => {
    const rejected = transitionPreauthorization(created, { type: 'PAYER_REJECTED' })
    expect(rejected.ok && rejected.effects).toEqual([{ type: 'EMIT', event: 'smart_transfer_preauthorization/error', status: 'REJECTED' }])
    expect(transitionPreauthorization(created, { type: 'CONSENT_EXPIRED', at: '2026-03-02T12:29:00.000Z' }).ok).toBe(false)
    const expired = transitionPreauthorization(created, { type: 'CONSENT_EXPIRED', at: '2026-03-02T12:30:00.000Z' })
    expect(expired.ok && expired.next).toMatchObject({ status: 'ERROR', error: { code: 'CONSENT_EXPIRED' } })
    const completed = transitionPreauthorization(created, { type: 'PAYER_AUTHORIZED' })
    const revoked = completed.ok && transitionPreauthorization(completed.next, { type: 'REVOKED' })
    expect(revoked && revoked.ok && revoked.effects).toEqual([{ type: 'EMIT', event: 'smart_transfer_preauthorization/error', status: 'REVOKED' }])
  })
})

describe('a smart-transfer payment', () => {
  it('starts with its consent authorized and settles as an intent does', () => {
    let state = createSmartTransferPayment(15_000)
    const events = ['PAYMENT_INITIATED', 'SETTLEMENT_STARTED', 'DEBTOR_ACCOUNT_DEBITED', 'SETTLEMENT_CONFIRMED'] as const
    const effects = []
    for (const type of events) {
      const result = transitionSmartTransferPayment(state, { type })
      if (!result.ok) throw new Error(result.reason)
      state = result.next
      effects.push(...result.effects)
    }
    expect(state.status).toBe('PAYMENT_COMPLETED')
    expect(effects).toEqual([
      { type: 'MOVE_FUNDS', movement: 'DEBIT_PAYER', amountCents: 15_000 },
      { type: 'MOVE_FUNDS', movement: 'CREDIT_RECIPIENT', amountCents: 15_000 },
      { type: 'EMIT', event: 'smart_transfer_payment/completed', status: 'PAYMENT_COMPLETED' },
    ])
  })

  it('is refused under the preauthorization (CONSENT_REJECTED) only before the bank takes it', () => {
    const error = { code: 'VALUE_ABOVE_LIMIT', description: 'Over the limit.' }
    const refused = transitionSmartTransferPayment(createSmartTransferPayment(15_000), { type: 'PREAUTHORIZATION_REFUSED', error })
    expect(refused.ok && refused.effects).toEqual([{ type: 'EMIT', event: 'smart_transfer_payment/error', status: 'CONSENT_REJECTED' }])
    const pending = transitionSmartTransferPayment(createSmartTransferPayment(15_000), { type: 'PAYMENT_INITIATED' })
    expect(pending.ok && transitionSmartTransferPayment(pending.next, { type: 'PREAUTHORIZATION_REFUSED', error }).ok).toBe(false)
  })

  it('property: money moves at most once per leg, and only a completed transfer credits the recipient', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SMART_TRANSFER_PAYMENT_LIFECYCLE.events), { maxLength: 15 }), (events) => {
        let state = createSmartTransferPayment(15_000)
        const moves: string[] = []
        for (const event of events) {
          const result = transitionSmartTransferPayment(state, event)
          if (!result.ok) continue
          expect(smartTransferPaymentInvariantViolations(result.next)).toEqual([])
          moves.push(...result.effects.flatMap((e) => (e.type === 'MOVE_FUNDS' ? [e.movement] : [])))
          state = result.next
        }
        const expected = state.status === 'PAYMENT_COMPLETED' ? ['DEBIT_PAYER', 'CREDIT_RECIPIENT'] : state.status === 'PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT' ? ['DEBIT_PAYER'] : []
        expect(moves).toEqual(expected)
      }),
      { seed: 13, numRuns: 1000 },
    )
  })
})
