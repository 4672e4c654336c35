import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { automaticPixPaymentProblems, automaticPixTermsProblems, periodOf, type AutomaticPixTerms } from './automatic-pix.ts'
import {
  automaticPixPaymentInvariantViolations,
  createAutomaticPixPayment,
  transitionAutomaticPixPayment,
  type AutomaticPixPaymentEvent,
  type AutomaticPixPaymentState,
} from './automatic-pix-payment.ts'
import { AUTOMATIC_PIX_PAYMENT_LIFECYCLE } from './lifecycle-catalog.ts'

const TERMS: AutomaticPixTerms = {
  interval: 'MONTHLY',
  startDate: '2026-01-31',
  fixedAmountCents: null,
  minimumVariableAmountCents: 1_000,
  maximumVariableAmountCents: 50_000,
  expiresAt: '2026-12-31',
  isRetryAccepted: true,
}
const TODAY = '2026-03-01'

describe('Pix Automático terms', () => {
  it('accept fixed or variable amounts, not both, and an expiry after the start', () => {
    expect(automaticPixTermsProblems(TERMS, TODAY.replace('03-01', '01-01'))).toEqual([])
    const both = automaticPixTermsProblems({ ...TERMS, fixedAmountCents: 2_000 }, '2026-01-01')
    expect(both.map((p) => p.field)).toEqual(['fixedAmount'])
    expect(automaticPixTermsProblems({ ...TERMS, minimumVariableAmountCents: 60_000 }, '2026-01-01').map((p) => p.field)).toEqual(['minimumVariableAmount'])
    expect(automaticPixTermsProblems({ ...TERMS, expiresAt: '2026-01-30' }, '2026-01-01').map((p) => p.field)).toEqual(['expiresAt'])
    expect(automaticPixTermsProblems(TERMS, '2026-02-01').map((p) => p.field)).toEqual(['startDate'])
  })

  it('count intervals from the start day, month ends included', () => {
    // Monthly from 31 January: February's interval starts on the 28th, March's on the 31st.
    expect(periodOf(TERMS, '2026-01-30')).toBe(-1)
    expect(periodOf(TERMS, '2026-01-31')).toBe(0)
    expect(periodOf(TERMS, '2026-02-27')).toBe(0)
    expect(periodOf(TERMS, '2026-02-28')).toBe(1)
    expect(periodOf(TERMS, '2026-03-30')).toBe(1)
    expect(periodOf(TERMS, '2026-03-31')).toBe(2)
    expect(periodOf({ interval: 'WEEKLY', startDate: '2026-03-02' }, '2026-03-08')).toBe(0)
    expect(periodOf({ interval: 'WEEKLY', startDate: '2026-03-02' }, '2026-03-09')).toBe(1)
    expect(periodOf({ interval: 'QUARTERLY', startDate: '2026-01-15' }, '2026-04-14')).toBe(0)
    expect(periodOf({ interval: 'SEMESTER', startDate: '2026-01-15' }, '2026-07-15')).toBe(1)
    expect(periodOf({ interval: 'YEARLY', startDate: '2024-02-29' }, '2025-02-28')).toBe(1)
  })

  it('property: every date from the start falls in exactly one interval, and intervals follow each other', () => {
    const dateArb = fc.integer({ min: 0, max: 3_000 }).map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10))
    fc.assert(
      fc.property(fc.constantFrom('WEEKLY', 'MONTHLY', 'QUARTERLY', 'SEMESTER', 'YEARLY' as const), dateArb, dateArb, (interval, startDate, date) => {
        const terms = { interval, startDate }
        const period = periodOf(terms, date)
        const next = periodOf(terms, new Date(Date.parse(date) + 86_400_000).toISOString().slice(0, 10))
        if (date < startDate) expect(period).toBe(-1)
        else expect(next - period === 0 || next - period === 1).toBe(true)
      }),
      { seed: 9, numRuns: 1000 },
    )
  })

  it('a payment is scheduled 2 to 10 days ahead, within the terms, one per interval', () => {
    const ok = { amountCents: 4_990, date: '2026-03-05' }
    expect(automaticPixPaymentProblems(TERMS, ok, TODAY, [])).toEqual([])
    expect(automaticPixPaymentProblems(TERMS, { ...ok, date: '2026-03-02' }, TODAY, [])[0].message).toMatch(/2 to 10 days/)
    expect(automaticPixPaymentProblems(TERMS, { ...ok, date: '2026-03-12' }, TODAY, [])[0].message).toMatch(/2 to 10 days/)
    expect(automaticPixPaymentProblems(TERMS, { ...ok, date: '2026-03-11' }, TODAY, [])).toEqual([])
    expect(automaticPixPaymentProblems(TERMS, { ...ok, amountCents: 999 }, TODAY, []).map((p) => p.field)).toEqual(['amount'])
    expect(automaticPixPaymentProblems({ ...TERMS, minimumVariableAmountCents: null, maximumVariableAmountCents: null, fixedAmountCents: 4_000 }, ok, TODAY, []).map((p) => p.field)).toEqual([
      'amount',
    ])
    // February's interval (28 Feb – 30 Mar) already has a payment; a canceled one would not count.
    expect(automaticPixPaymentProblems(TERMS, ok, TODAY, [{ date: '2026-02-28', status: 'COMPLETED' }])[0].message).toMatch(/one payment per interval/)
    expect(automaticPixPaymentProblems(TERMS, ok, TODAY, [{ date: '2026-02-28', status: 'CANCELED' }])).toEqual([])
    expect(automaticPixPaymentProblems({ ...TERMS, expiresAt: '2026-03-04' }, ok, TODAY, []).map((p) => p.message)).toContainEqual(expect.stringMatching(/expires/))
  })
})

describe('a Pix Automático payment', () => {
  const { state: scheduled, effects } = createAutomaticPixPayment('2026-03-10', 4_990)
  const insufficient = { code: 'INSUFFICIENT_FUNDS', description: 'Not enough funds.' }

  function drive(events: AutomaticPixPaymentEvent[], from: AutomaticPixPaymentState = scheduled) {
    let state = from
    for (const event of events) {
      const result = transitionAutomaticPixPayment(state, event)
      if (!result.ok) throw new Error(`${event.type} refused from ${state.status}: ${result.reason}`)
      expect(automaticPixPaymentInvariantViolations(result.next)).toEqual([])
      state = result.next
    }
    return state
  }

  it('is SCHEDULED, goes to settlement on its day (CREATED) and completes', () => {
    expect(effects).toEqual([
      { type: 'EMIT', event: 'automatic_pix_payment/created' },
      { type: 'CHECK_AT', check: 'PAYMENT_DATE', at: '2026-03-10T03:00:00.000Z' },
    ])
    expect(transitionAutomaticPixPayment(scheduled, { type: 'DATE_REACHED', today: '2026-03-09' }).ok).toBe(false)
    expect(drive([{ type: 'DATE_REACHED', today: '2026-03-10' }, { type: 'SETTLED' }]).status).toBe('COMPLETED')
  })

  it('after a failure a retry can cure, is retried up to 3 times within 7 days of its date', () => {
    let state = drive([
      { type: 'DATE_REACHED', today: '2026-03-10' },
      { type: 'FAILED', error: insufficient, retriable: true },
    ])
    for (const [today, date] of [
      ['2026-03-10', '2026-03-11'],
      ['2026-03-11', '2026-03-13'],
      ['2026-03-13', '2026-03-17'],
    ]) {
      state = drive(
        [
          { type: 'RETRY_SCHEDULED', date, today, retryAccepted: true },
          { type: 'DATE_REACHED', today: date },
          { type: 'FAILED', error: insufficient, retriable: true },
        ],
        state,
      )
    }
    expect(state).toMatchObject({ status: 'ERROR', retries: 3, originalDate: '2026-03-10' })
    const fourth = transitionAutomaticPixPayment(state, { type: 'RETRY_SCHEDULED', date: '2026-03-17', today: '2026-03-16', retryAccepted: true })
    expect(!fourth.ok && fourth.reason).toMatch(/3 times/)
  })

  it('is not retried beyond the window, for a failure a retry cannot cure, or when the authorization refuses retries', () => {
    const failed = drive([{ type: 'FAILED', error: insufficient, retriable: true }])
    expect(transitionAutomaticPixPayment(failed, { type: 'RETRY_SCHEDULED', date: '2026-03-18', today: '2026-03-11', retryAccepted: true }).ok).toBe(false)
    expect(transitionAutomaticPixPayment(failed, { type: 'RETRY_SCHEDULED', date: '2026-03-11', today: '2026-03-11', retryAccepted: true }).ok).toBe(false)
    expect(transitionAutomaticPixPayment(failed, { type: 'RETRY_SCHEDULED', date: '2026-03-12', today: '2026-03-11', retryAccepted: false }).ok).toBe(false)
    const closed = drive([{ type: 'FAILED', error: { code: 'ACCOUNT_CLOSED', description: 'Closed.' }, retriable: false }])
    expect(transitionAutomaticPixPayment(closed, { type: 'RETRY_SCHEDULED', date: '2026-03-12', today: '2026-03-11', retryAccepted: true }).ok).toBe(false)
  })

  it('is canceled by the client until the day before, or with its authorization', () => {
    expect(drive([{ type: 'CANCELED_BY_CLIENT', today: '2026-03-09' }]).status).toBe('CANCELED')
    expect(transitionAutomaticPixPayment(scheduled, { type: 'CANCELED_BY_CLIENT', today: '2026-03-10' }).ok).toBe(false)
    expect(drive([{ type: 'AUTHORIZATION_ENDED' }]).status).toBe('CANCELED')
    expect(transitionAutomaticPixPayment(drive([{ type: 'DATE_REACHED', today: '2026-03-10' }]), { type: 'AUTHORIZATION_ENDED' }).ok).toBe(false)
  })

  it('property: money moves once, only when completed, however many retries', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...AUTOMATIC_PIX_PAYMENT_LIFECYCLE.events), { maxLength: 20 }), (events) => {
        let state = scheduled
        let debits = 0
        for (const event of events) {
          const result = transitionAutomaticPixPayment(state, event)
          if (!result.ok) continue
          expect(automaticPixPaymentInvariantViolations(result.next)).toEqual([])
          debits += result.effects.filter((e) => e.type === 'MOVE_FUNDS' && e.movement === 'DEBIT_PAYER').length
          state = result.next
        }
        expect(debits).toBe(state.status === 'COMPLETED' ? 1 : 0)
      }),
      { seed: 11, numRuns: 1000 },
    )
  })
})
