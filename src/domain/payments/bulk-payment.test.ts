import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bulkInvariantViolations, createdBulkPayment, transitionBulkPayment, type BulkPaymentEvent, type BulkPaymentState } from './bulk-payment.ts'
import { BULK_FLOW } from './payment-flows.ts'
import { walkLifecycle } from './lifecycle-walk.ts'
import type { PaymentEffect } from './transition.ts'

const REQUESTS = [
  { paymentRequestId: 'r-1', amountCents: 1_000 },
  { paymentRequestId: 'r-2', amountCents: 2_500 },
]

function drive(events: BulkPaymentEvent[], from: BulkPaymentState = createdBulkPayment(REQUESTS)) {
  let state = from
  const effects: PaymentEffect[] = []
  for (const event of events) {
    const result = transitionBulkPayment(state, event)
    if (!result.ok) throw new Error(`${event.type} refused from ${state.status}: ${result.reason}`)
    expect(bulkInvariantViolations(result.next)).toEqual([])
    state = result.next
    effects.push(...result.effects)
  }
  return { state, effects }
}

const toppedUp: BulkPaymentEvent[] = [
  { type: 'INTENT_STARTED' },
  { type: 'INTENT_MOVED', status: 'CONSENT_AWAITING_AUTHORIZATION' },
  { type: 'INTENT_MOVED', status: 'PAYMENT_SETTLEMENT_PROCESSING' },
  { type: 'INTENT_MOVED', status: 'PAYMENT_COMPLETED' },
]

describe('a bulk payment', () => {
  it('tops up its smart account through an intent, then pays each request from it', () => {
    const topUp = drive(toppedUp)
    expect(topUp.state.status).toBe('PAYMENT_IN_PROGRESS')
    expect(topUp.effects).toEqual([{ type: 'PAY_BULK_REQUESTS' }])
    const paid = drive(
      [
        { type: 'REQUEST_SETTLED', paymentRequestId: 'r-2' },
        { type: 'REQUEST_SETTLED', paymentRequestId: 'r-1' },
      ],
      topUp.state,
    )
    expect(paid.state.status).toBe('COMPLETED')
    expect(paid.effects).toEqual([
      { type: 'MOVE_FUNDS', movement: 'DEBIT_PAYER', amountCents: 2_500, paymentRequestId: 'r-2' },
      { type: 'MOVE_FUNDS', movement: 'CREDIT_RECIPIENT', amountCents: 2_500, paymentRequestId: 'r-2' },
      { type: 'MOVE_FUNDS', movement: 'DEBIT_PAYER', amountCents: 1_000, paymentRequestId: 'r-1' },
      { type: 'MOVE_FUNDS', movement: 'CREDIT_RECIPIENT', amountCents: 1_000, paymentRequestId: 'r-1' },
    ])
  })

  it('ends in ERROR when a request could not be paid, once every request is done', () => {
    const { state } = drive([...toppedUp, { type: 'REQUEST_FAILED', paymentRequestId: 'r-1' }])
    expect(state.status).toBe('PAYMENT_IN_PROGRESS')
    expect(drive([{ type: 'REQUEST_SETTLED', paymentRequestId: 'r-2' }], state).state.status).toBe('ERROR')
  })

  it('pays a request once: a second settlement of it is refused', () => {
    const { state } = drive([...toppedUp, { type: 'REQUEST_SETTLED', paymentRequestId: 'r-1' }])
    expect(transitionBulkPayment(state, { type: 'REQUEST_SETTLED', paymentRequestId: 'r-1' }).ok).toBe(false)
    expect(transitionBulkPayment(state, { type: 'REQUEST_FAILED', paymentRequestId: 'r-1' }).ok).toBe(false)
  })

  it('a top-up the payer did not authorize returns it to CREATED, to be topped up again', () => {
    const { state } = drive([{ type: 'INTENT_STARTED' }, { type: 'INTENT_MOVED', status: 'CONSENT_AWAITING_AUTHORIZATION' }, { type: 'INTENT_MOVED', status: 'CONSENT_REJECTED' }])
    expect(state).toMatchObject({ status: 'CREATED', intentInProgress: false })
    expect(transitionBulkPayment(state, { type: 'INTENT_STARTED' }).ok).toBe(true)
  })

  it('the invariants catch a bulk payment paid before its top-up, and one completed with a failure', () => {
    const paidEarly: BulkPaymentState = {
      ...createdBulkPayment(REQUESTS),
      requests: [
        { ...REQUESTS[0], payment: 'SETTLED' },
        { ...REQUESTS[1], payment: 'PENDING' },
      ],
    }
    expect(bulkInvariantViolations(paidEarly)).toContainEqual(expect.stringMatching(/before the top-up/))
    const completedBadly: BulkPaymentState = {
      status: 'COMPLETED',
      intentInProgress: false,
      requests: [
        { ...REQUESTS[0], payment: 'FAILED' },
        { ...REQUESTS[1], payment: 'SETTLED' },
      ],
    }
    expect(bulkInvariantViolations(completedBadly)).toContainEqual(expect.stringMatching(/not paid/))
  })
})

describe('property: a bulk payment and its top-up intents under random events', () => {
  it('never disagree, and each request is paid from the smart account at most once', () => {
    const eventArb = fc.constantFrom(...BULK_FLOW.events)
    // The top-up's happy path, cut anywhere, between random events: sequences reach the payments too.
    const happy = BULK_FLOW.events.filter(
      (e) =>
        e.type === 'INTENT_STARTED' ||
        (e.type === 'INTENT' && ['CONSENT_CREATED', 'PAYER_AUTHORIZED', 'PAYMENT_INITIATED', 'SETTLEMENT_STARTED', 'DEBTOR_ACCOUNT_DEBITED', 'SETTLEMENT_CONFIRMED'].includes(e.event.type)),
    )
    const chunkArb = fc.oneof(
      eventArb.map((e) => [e]),
      fc.integer({ min: 1, max: happy.length }).map((n) => happy.slice(0, n)),
    )
    const reached = new Set<string>([BULK_FLOW.initial[0].owner.status])
    fc.assert(
      fc.property(
        fc.array(chunkArb, { maxLength: 15 }).map((c) => c.flat()),
        (events) => {
          let state = BULK_FLOW.initial[0]
          const debits = new Map<string, number>()
          for (const event of events) {
            const result = BULK_FLOW.transition(state, event)
            if (!result.ok) continue
            expect(BULK_FLOW.invariants(result.next)).toEqual([])
            for (const e of result.effects) if (e.type === 'MOVE_FUNDS' && e.movement === 'DEBIT_PAYER' && e.paymentRequestId) debits.set(e.paymentRequestId, (debits.get(e.paymentRequestId) ?? 0) + 1)
            state = result.next
            reached.add(state.owner.status)
          }
          for (const r of state.owner.requests) expect(debits.get(r.paymentRequestId) ?? 0).toBe(r.payment === 'SETTLED' ? 1 : 0)
        },
      ),
      { seed: 3, numRuns: 1500 },
    )
    expect([...reached].sort()).toEqual([...walkLifecycle(BULK_FLOW).statuses].sort())
  })
})
