import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { moveIntent, startIntent, type IntentMove, type IntentOwner } from './intent-moves.ts'
import { INTENT_LIFECYCLE } from './lifecycle-catalog.ts'
import { walkLifecycle } from './lifecycle-walk.ts'
import { requestFlow } from './payment-flows.ts'
import type { PaymentIntentEvent, PaymentIntentState } from './payment-intent.ts'
import {
  REQUEST_KINDS,
  createdRequest,
  requestDeletionRefusal,
  requestInvariantViolations,
  requestStatusFollowing,
  transitionRequest,
  type PaymentRequestState,
  type RequestKind,
} from './payment-request.ts'
import { PAYMENT_INTENT_STATUSES, type PaymentIntentStatus, type PaymentRequestStatus } from './statuses.ts'
import type { PaymentEffect } from './transition.ts'

/** The rule, written out literally (not derived from the code under test): the request while its latest intent is … */
const FOLLOWS: Record<PaymentIntentStatus, Record<RequestKind, PaymentRequestStatus>> = {
  STARTED: { ONE_OFF: 'IN_PROGRESS', SCHEDULED: 'IN_PROGRESS', AUTOMATIC_PIX: 'IN_PROGRESS' },
  ENQUEUED: { ONE_OFF: 'IN_PROGRESS', SCHEDULED: 'IN_PROGRESS', AUTOMATIC_PIX: 'IN_PROGRESS' },
  CONSENT_AWAITING_AUTHORIZATION: { ONE_OFF: 'WAITING_PAYER_AUTHORIZATION', SCHEDULED: 'WAITING_PAYER_AUTHORIZATION', AUTOMATIC_PIX: 'WAITING_PAYER_AUTHORIZATION' },
  CONSENT_AUTHORIZED: { ONE_OFF: 'IN_PROGRESS', SCHEDULED: 'IN_PROGRESS', AUTOMATIC_PIX: 'IN_PROGRESS' },
  PAYMENT_PENDING: { ONE_OFF: 'IN_PROGRESS', SCHEDULED: 'IN_PROGRESS', AUTOMATIC_PIX: 'IN_PROGRESS' },
  PAYMENT_PARTIALLY_ACCEPTED: { ONE_OFF: 'WAITING_PAYER_AUTHORIZATION', SCHEDULED: 'WAITING_PAYER_AUTHORIZATION', AUTOMATIC_PIX: 'WAITING_PAYER_AUTHORIZATION' },
  PAYMENT_SETTLEMENT_PROCESSING: { ONE_OFF: 'IN_PROGRESS', SCHEDULED: 'IN_PROGRESS', AUTOMATIC_PIX: 'IN_PROGRESS' },
  PAYMENT_SETTLEMENT_DEBTOR_ACCOUNT: { ONE_OFF: 'IN_PROGRESS', SCHEDULED: 'IN_PROGRESS', AUTOMATIC_PIX: 'IN_PROGRESS' },
  PAYMENT_COMPLETED: { ONE_OFF: 'COMPLETED', SCHEDULED: 'SCHEDULED', AUTOMATIC_PIX: 'AUTHORIZED' },
  CONSENT_REJECTED: { ONE_OFF: 'CREATED', SCHEDULED: 'CREATED', AUTOMATIC_PIX: 'CREATED' },
  EXPIRED: { ONE_OFF: 'CREATED', SCHEDULED: 'CREATED', AUTOMATIC_PIX: 'CREATED' },
  CANCELED: { ONE_OFF: 'CREATED', SCHEDULED: 'CREATED', AUTOMATIC_PIX: 'CREATED' },
  PAYMENT_REJECTED: { ONE_OFF: 'ERROR', SCHEDULED: 'ERROR', AUTOMATIC_PIX: 'ERROR' },
  ERROR: { ONE_OFF: 'ERROR', SCHEDULED: 'ERROR', AUTOMATIC_PIX: 'ERROR' },
}

const CONSENT: PaymentIntentEvent = { type: 'CONSENT_CREATED', consentUrl: 'https://bank.example/c', at: '2026-03-02T12:00:00.000Z' }

/** Drives a request and its intents: `start` starts an intent, anything else is the intent's event. */
function drive(kind: RequestKind, steps: ('start' | PaymentIntentEvent)[]) {
  let owner: IntentOwner = { type: 'REQUEST', state: createdRequest(kind) }
  let intent: PaymentIntentState | null = null
  const ownerEffects: PaymentEffect[] = []
  for (const step of steps) {
    const result: IntentMove = step === 'start' ? startIntent(owner, 10_000) : moveIntent(owner, intent!, step)
    if (!result.ok) throw new Error(`${step === 'start' ? 'start' : step.type} refused: ${result.reason}`)
    owner = result.owner.next
    intent = result.intent.next
    ownerEffects.push(...result.owner.effects)
  }
  return { request: owner.state as PaymentRequestState, intent: intent!, ownerEffects }
}

const notified = (effects: PaymentEffect[]) => effects.flatMap((e) => (e.type === 'EMIT' ? [`${e.event} ${e.status ?? ''}`.trim()] : []))

describe('a payment request follows its latest intent', () => {
  it('as the rule says, for every intent status and kind of request', () => {
    for (const intent of PAYMENT_INTENT_STATUSES) for (const kind of REQUEST_KINDS) expect(requestStatusFollowing(kind, intent), `${kind} ${intent}`).toBe(FOLLOWS[intent][kind])
  })

  it('a one-off request completes with its intent and tells the application once', () => {
    const { request, ownerEffects } = drive('ONE_OFF', [
      'start',
      CONSENT,
      { type: 'PAYER_AUTHORIZED' },
      { type: 'PAYMENT_INITIATED' },
      { type: 'SETTLEMENT_STARTED' },
      { type: 'DEBTOR_ACCOUNT_DEBITED' },
      { type: 'SETTLEMENT_CONFIRMED' },
    ])
    expect(request).toEqual({ status: 'COMPLETED', kind: 'ONE_OFF', inBulk: false, intentInProgress: false })
    expect(notified(ownerEffects)).toEqual(['payment_request/updated COMPLETED'])
  })

  it('an intent that expired leaves the request to be paid again by a new intent', () => {
    const expired = drive('ONE_OFF', ['start', CONSENT, { type: 'CONSENT_EXPIRED', at: '2026-03-02T12:31:00.000Z' }])
    expect(expired.request.status).toBe('CREATED')
    expect(expired.ownerEffects).toEqual([])
    const again = drive('ONE_OFF', ['start', CONSENT, { type: 'CONSENT_EXPIRED', at: '2026-03-02T12:31:00.000Z' }, 'start', CONSENT])
    expect(again.request.status).toBe('WAITING_PAYER_AUTHORIZATION')
  })

  it('a rejected payment leaves the request in ERROR, told to the application, and payable again', () => {
    const error = { code: 'INSUFFICIENT_FUNDS', description: 'Not enough funds.' }
    const { request, ownerEffects } = drive('ONE_OFF', ['start', CONSENT, { type: 'PAYER_AUTHORIZED' }, { type: 'PAYMENT_INITIATED' }, { type: 'BANK_REJECTED', error }])
    expect(request.status).toBe('ERROR')
    expect(notified(ownerEffects)).toEqual(['payment_request/updated ERROR'])
    expect(transitionRequest(request, { type: 'INTENT_STARTED' }).ok).toBe(true)
  })

  it('refuses a second intent while one is in progress', () => {
    const { request } = drive('ONE_OFF', ['start', CONSENT])
    expect(startIntent({ type: 'REQUEST', state: request }, 10_000).ok).toBe(false)
  })

  it('a scheduled request is SCHEDULED once its consent is confirmed, and starts its payments', () => {
    const { request, ownerEffects } = drive('SCHEDULED', ['start', CONSENT, { type: 'PAYER_AUTHORIZED' }, { type: 'CONSENT_CONFIRMED' }])
    expect(request.status).toBe('SCHEDULED')
    expect(ownerEffects).toEqual([{ type: 'START_PAYMENTS' }])
  })

  it('a scheduled request ends when all its payments are finished: COMPLETED if any was paid, CANCELED if all were canceled', () => {
    const scheduled = drive('SCHEDULED', ['start', CONSENT, { type: 'PAYER_AUTHORIZED' }, { type: 'CONSENT_CONFIRMED' }]).request
    const done = transitionRequest(scheduled, { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses: ['COMPLETED', 'ERROR', 'CANCELED'] })
    expect(done.ok && done.next.status).toBe('COMPLETED')
    expect(done.ok && notified(done.effects)).toEqual(['scheduled_payment/all_completed', 'payment_request/updated COMPLETED'])
    const failed = transitionRequest(scheduled, { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses: ['ERROR', 'CANCELED'] })
    expect(failed.ok && failed.next.status).toBe('ERROR')
    const canceled = transitionRequest(scheduled, { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses: ['CANCELED'] })
    expect(canceled.ok && notified(canceled.effects)).toEqual(['payment_request/updated CANCELED'])
    expect(transitionRequest(scheduled, { type: 'SCHEDULED_PAYMENTS_FINISHED', statuses: ['COMPLETED', 'SCHEDULED'] }).ok).toBe(false)
  })

  it('canceling a schedule cancels its pending payments', () => {
    const scheduled = drive('SCHEDULED', ['start', CONSENT, { type: 'PAYER_AUTHORIZED' }, { type: 'CONSENT_CONFIRMED' }]).request
    const result = transitionRequest(scheduled, { type: 'SCHEDULES_CANCELED' })
    expect(result.ok && result.next.status).toBe('CANCELED')
    expect(result.ok && result.effects).toEqual([{ type: 'CANCEL_PENDING_PAYMENTS' }, { type: 'EMIT', event: 'payment_request/updated', status: 'CANCELED' }])
  })

  it('a Pix Automático authorization is AUTHORIZED, then canceled or expired, canceling its pending payments', () => {
    const authorized = drive('AUTOMATIC_PIX', ['start', CONSENT, { type: 'PAYER_AUTHORIZED' }, { type: 'CONSENT_CONFIRMED' }])
    expect(authorized.request.status).toBe('AUTHORIZED')
    expect(notified(authorized.ownerEffects)).toEqual(['payment_request/updated AUTHORIZED'])
    const canceled = transitionRequest(authorized.request, { type: 'AUTHORIZATION_CANCELED' })
    expect(canceled.ok && canceled.effects).toContainEqual({ type: 'CANCEL_PENDING_PAYMENTS' })
    const expired = transitionRequest(authorized.request, { type: 'AUTHORIZATION_EXPIRED' })
    expect(expired.ok && expired.next.status).toBe('EXPIRED')
    // Not while the payer is at the bank authorizing it.
    expect(transitionRequest(drive('AUTOMATIC_PIX', ['start']).request, { type: 'AUTHORIZATION_CANCELED' }).ok).toBe(false)
  })

  it('may be deleted unless money may still move', () => {
    expect(requestDeletionRefusal(createdRequest('ONE_OFF'), null)).toBeUndefined()
    expect(requestDeletionRefusal(drive('ONE_OFF', ['start', CONSENT]).request, 'CONSENT_AWAITING_AUTHORIZATION')).toBeUndefined()
    expect(requestDeletionRefusal(drive('ONE_OFF', ['start', CONSENT, { type: 'PAYER_AUTHORIZED' }]).request, 'CONSENT_AUTHORIZED')).toMatch(/authorized/)
    expect(requestDeletionRefusal({ ...createdRequest('SCHEDULED'), status: 'SCHEDULED' }, null)).toMatch(/cancel them first/)
    expect(requestDeletionRefusal({ ...createdRequest('AUTOMATIC_PIX'), status: 'AUTHORIZED' }, null)).toMatch(/cancel it first/)
  })

  const broken: [string, PaymentRequestState, RegExp][] = [
    ['an intent in progress on a finished request', { ...createdRequest('ONE_OFF'), status: 'COMPLETED', intentInProgress: true }, /intent is in progress/],
    ['IN_PROGRESS without an intent', { ...createdRequest('ONE_OFF'), status: 'IN_PROGRESS' }, /without an intent/],
    ['a one-off request SCHEDULED', { ...createdRequest('ONE_OFF'), status: 'SCHEDULED' }, /cannot be SCHEDULED/],
    ['a scheduled request AUTHORIZED', { ...createdRequest('SCHEDULED'), status: 'AUTHORIZED' }, /cannot be AUTHORIZED/],
    ['a completed mandate', { ...createdRequest('AUTOMATIC_PIX'), status: 'COMPLETED' }, /never completes/],
    ['a bulk member with an intent', { ...createdRequest('ONE_OFF', true), status: 'IN_PROGRESS', intentInProgress: true }, /bulk payment pays only/],
  ]
  it.each(broken)('the invariants catch %s', (_name, state, pattern) => {
    const violations = requestInvariantViolations(state)
    expect(
      violations.some((v) => pattern.test(v)),
      violations.join('; '),
    ).toBe(true)
  })
})

describe('property: a request and its intents under random events', () => {
  it.each(REQUEST_KINDS)('%s: they never disagree, and payment_request/updated reports each change to a reported status once', (kind) => {
    const flow = requestFlow(kind)
    const eventArb = fc.constantFrom(...flow.events)
    const happy = flow.events.filter(
      (e) =>
        e.type === 'INTENT_STARTED' ||
        (e.type === 'INTENT' &&
          ['CONSENT_CREATED', 'PAYER_AUTHORIZED', 'CONSENT_CONFIRMED', 'PAYMENT_INITIATED', 'SETTLEMENT_STARTED', 'DEBTOR_ACCOUNT_DEBITED', 'SETTLEMENT_CONFIRMED'].includes(e.event.type)),
    )
    const prefixArb = fc.integer({ min: 1, max: happy.length }).map((n) => happy.slice(0, n))
    const sequenceArb = fc
      .array(
        fc.oneof(
          eventArb.map((e) => [e]),
          prefixArb,
        ),
        { maxLength: 10 },
      )
      .map((chunks) => chunks.flat())
    const reached = new Set<string>([flow.initial[0].owner.status])
    fc.assert(
      fc.property(sequenceArb, (events) => {
        let state = flow.initial[0]
        for (const event of events) {
          const result = flow.transition(state, event)
          if (!result.ok) continue
          expect(flow.invariants(result.next)).toEqual([])
          const reports = result.effects.filter((e) => e.type === 'EMIT' && e.event === 'payment_request/updated')
          const changed = result.next.owner.status !== state.owner.status
          expect(reports).toEqual(
            changed && ['AUTHORIZED', 'CANCELED', 'COMPLETED', 'ERROR'].includes(result.next.owner.status)
              ? [{ type: 'EMIT', event: 'payment_request/updated', status: result.next.owner.status }]
              : [],
          )
          state = result.next
          reached.add(state.owner.status)
        }
      }),
      { seed: 7, numRuns: 800 },
    )
    // The random sequences are not so weak that they miss a status the exhaustive walk finds.
    expect([...reached].sort()).toEqual([...walkLifecycle(flow).statuses].sort())
  })

  it('the intent events of the catalog are the ones the flows try', () => {
    expect(requestFlow('ONE_OFF').events.filter((e) => e.type === 'INTENT').length).toBe(INTENT_LIFECYCLE.events.length)
  })
})
