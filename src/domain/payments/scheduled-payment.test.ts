import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SCHEDULED_PAYMENT_LIFECYCLE } from './lifecycle-catalog.ts'
import { createScheduledPayment, scheduledPaymentInvariantViolations, transitionScheduledPayment } from './scheduled-payment.ts'

const { state: scheduled, effects: created } = createScheduledPayment('2026-03-10', 5_000)

describe('a scheduled payment', () => {
  it('is created SCHEDULED, told to the application, with a check at the start of its day in Brasília', () => {
    expect(scheduled).toEqual({ status: 'SCHEDULED', date: '2026-03-10', amountCents: 5_000, error: null })
    expect(created).toEqual([
      { type: 'EMIT', event: 'scheduled_payment/created' },
      { type: 'CHECK_AT', check: 'PAYMENT_DATE', at: '2026-03-10T03:00:00.000Z' },
    ])
  })

  it('settles on its day, not before, moving its amount once', () => {
    expect(transitionScheduledPayment(scheduled, { type: 'SETTLED', today: '2026-03-09' }).ok).toBe(false)
    const settled = transitionScheduledPayment(scheduled, { type: 'SETTLED', today: '2026-03-10' })
    expect(settled.ok && settled.next.status).toBe('COMPLETED')
    expect(settled.ok && settled.effects).toEqual([
      { type: 'MOVE_FUNDS', movement: 'DEBIT_PAYER', amountCents: 5_000 },
      { type: 'MOVE_FUNDS', movement: 'CREDIT_RECIPIENT', amountCents: 5_000 },
      { type: 'EMIT', event: 'scheduled_payment/completed' },
    ])
  })

  it('is canceled by the client until the day before its date', () => {
    const before = transitionScheduledPayment(scheduled, { type: 'CANCELED_BY_CLIENT', today: '2026-03-09' })
    expect(before.ok && before.effects).toEqual([{ type: 'EMIT', event: 'scheduled_payment/canceled' }])
    expect(transitionScheduledPayment(scheduled, { type: 'CANCELED_BY_CLIENT', today: '2026-03-10' }).ok).toBe(false)
  })

  it('fails once, and a failed one is never retried', () => {
    const failed = transitionScheduledPayment(scheduled, { type: 'FAILED', error: { code: 'INSUFFICIENT_FUNDS', description: 'Not enough funds.' } })
    expect(failed.ok && failed.next).toMatchObject({ status: 'ERROR', error: { code: 'INSUFFICIENT_FUNDS' } })
    for (const event of SCHEDULED_PAYMENT_LIFECYCLE.events) expect(failed.ok && transitionScheduledPayment(failed.next, event).ok).toBe(false)
  })

  it('property: whatever happens, it ends at most once and its money moves only when it completes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SCHEDULED_PAYMENT_LIFECYCLE.events), { maxLength: 8 }), (events) => {
        let state = scheduled
        const moves: string[] = []
        for (const event of events) {
          const result = transitionScheduledPayment(state, event)
          if (!result.ok) continue
          expect(scheduledPaymentInvariantViolations(result.next)).toEqual([])
          moves.push(...result.effects.flatMap((e) => (e.type === 'MOVE_FUNDS' ? [e.movement] : [])))
          state = result.next
        }
        expect(moves).toEqual(state.status === 'COMPLETED' ? ['DEBIT_PAYER', 'CREDIT_RECIPIENT'] : [])
      }),
      { seed: 5, numRuns: 500 },
    )
  })
})
