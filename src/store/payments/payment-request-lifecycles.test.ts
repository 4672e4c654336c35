import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createAutomaticPixPayment, transitionAutomaticPixPayment } from '../../domain/payments/automatic-pix-payment.ts'
import { moveIntent } from '../../domain/payments/intent-moves.ts'
import { AWAITING_PAYER, type PaymentIntentEvent } from '../../domain/payments/payment-intent.ts'
import { transitionRequest, type PaymentRequestState } from '../../domain/payments/payment-request.ts'
import { createScheduledPayment, transitionScheduledPayment } from '../../domain/payments/scheduled-payment.ts'
import { insertAutomaticPixPayment, listAutomaticPixPayments, saveAutomaticPixPaymentTransitions, automaticPixPaymentStateOf } from './automatic-pix-payments.ts'
import { paymentEvent } from './payment-events.ts'
import { findLatestIntentOfRequest, findPaymentIntent, intentStateOf, lockIntentsPastConsentWindow, saveIntentMove } from './payment-intents.ts'
import { deletePaymentRequest, findPaymentRequest, requestStateOf, saveRequestTransition } from './payment-requests.ts'
import { insertScheduledPayments, listScheduledPayments, lockDueScheduledPayments, saveScheduledPaymentTransitions, scheduledPaymentStateOf } from './scheduled-payments.ts'
import { db, CLIENT, OTHER, AT, setUpLifecyclesDatabase, newRequest, eventsOf, eventsAbout, accepted, startFor } from './payment-lifecycles-test-support.ts'

// A payment request against the store: its intents, its own transitions, and the scheduled and
// Pix Automático payments under it (the rules: payment-lifecycles-test-support.ts).

setUpLifecyclesDatabase()

/** Moves a stored intent (and its request) with an event through the domain, and saves it. */
async function move(intentId: string, event: PaymentIntentEvent): Promise<boolean> {
  const intent = (await findPaymentIntent(db.pool, CLIENT, intentId))!
  const request = (await findPaymentRequest(db.pool, CLIENT, intent.paymentRequestId!))!
  const result = accepted(moveIntent({ type: 'REQUEST', state: requestStateOf(request) }, intentStateOf(intent), event))
  const subject = { clientId: CLIENT, paymentIntentId: intent.id, paymentRequestId: request.id }
  return saveIntentMove(db.pool, {
    clientId: CLIENT,
    id: intent.id,
    expected: intentStateOf(intent),
    next: result.intent.next,
    owner: { type: 'REQUEST', id: request.id, expected: requestStateOf(request), next: result.owner.next.state as PaymentRequestState },
    events: [...eventsOf(result.intent.effects, subject), ...eventsOf(result.owner.effects, subject)],
    at: AT,
  })
}

describe('a request and its intents', () => {
  it('start once: of concurrent starts exactly one intent is created', async () => {
    const request = await newRequest()
    const starts = await Promise.all(Array.from({ length: 5 }, () => startFor({ id: request.id, state: requestStateOf(request) })))
    expect(starts.filter(Boolean)).toHaveLength(1)
    expect(await findPaymentRequest(db.pool, CLIENT, request.id)).toMatchObject({ status: 'IN_PROGRESS', intentInProgress: true })
  })

  it('move together to completion, each change with its webhook events, delivered to the client’s webhook', async () => {
    const request = await newRequest()
    const intent = (await startFor({ id: request.id, state: requestStateOf(request) }))!
    const steps: PaymentIntentEvent[] = [
      { type: 'CONSENT_CREATED', consentUrl: 'https://bank.example/c/1', at: AT.toISOString() },
      { type: 'PAYER_AUTHORIZED' },
      { type: 'PAYMENT_INITIATED' },
      { type: 'SETTLEMENT_STARTED' },
      { type: 'DEBTOR_ACCOUNT_DEBITED' },
      { type: 'SETTLEMENT_CONFIRMED' },
    ]
    for (const step of steps) expect(await move(intent.id, step)).toBe(true)
    expect(await findPaymentIntent(db.pool, CLIENT, intent.id)).toMatchObject({ status: 'PAYMENT_COMPLETED', consentUrl: 'https://bank.example/c/1', finishedAt: expect.any(Date) })
    expect(await findPaymentRequest(db.pool, CLIENT, request.id)).toMatchObject({ status: 'COMPLETED', intentInProgress: false })
    expect(await eventsAbout('paymentRequestId', request.id)).toEqual(['payment_intent/created', 'payment_intent/completed', 'payment_request/updated'])
    const { rows } = await db.pool.query(`select d.url from webhook_deliveries d join events e on e.seq = d.event_seq where e.payload->>'paymentRequestId' = $1`, [request.id])
    expect(rows).toEqual(Array.from({ length: 3 }, () => ({ url: 'https://hooks.example/all' })))
  })

  it('a stale writer changes nothing and writes no event', async () => {
    const request = await newRequest()
    const intent = (await startFor({ id: request.id, state: requestStateOf(request) }))!
    const stale = intentStateOf(intent)
    expect(await move(intent.id, { type: 'CONSENT_CREATED', consentUrl: 'https://bank.example/c/2', at: AT.toISOString() })).toBe(true)
    const current = await findPaymentRequest(db.pool, CLIENT, request.id)
    const replay = accepted(moveIntent({ type: 'REQUEST', state: requestStateOf(current!) }, stale, { type: 'CONSENT_CREATED', consentUrl: 'https://bank.example/c/3', at: AT.toISOString() }))
    const saved = await saveIntentMove(db.pool, {
      clientId: CLIENT,
      id: intent.id,
      expected: stale,
      next: replay.intent.next,
      owner: { type: 'REQUEST', id: request.id, expected: requestStateOf(current!), next: replay.owner.next.state as PaymentRequestState },
      events: eventsOf(replay.intent.effects, { clientId: CLIENT, paymentIntentId: intent.id, paymentRequestId: request.id }),
      at: AT,
    })
    expect(saved).toBe(false)
    expect((await findPaymentIntent(db.pool, CLIENT, intent.id))?.consentUrl).toBe('https://bank.example/c/2')
    expect(await eventsAbout('paymentIntentId', intent.id)).toEqual(['payment_intent/created'])
  })

  it('the sweep finds unfinished intents whose consent window closed, and the request’s latest intent', async () => {
    const request = await newRequest()
    const intent = (await startFor({ id: request.id, state: requestStateOf(request) }))!
    await move(intent.id, { type: 'CONSENT_CREATED', consentUrl: 'https://bank.example/c/4', at: AT.toISOString() })
    const ids = async (minutes: number) => (await lockIntentsPastConsentWindow(db.pool, AWAITING_PAYER, new Date(AT.getTime() + minutes * 60_000), 100)).map((i) => i.id)
    expect(await ids(29)).not.toContain(intent.id)
    expect(await ids(30)).toContain(intent.id)
    // Once the payer authorized, the window no longer concerns it.
    await move(intent.id, { type: 'PAYER_AUTHORIZED' })
    expect(await ids(30)).not.toContain(intent.id)
    expect((await findLatestIntentOfRequest(db.pool, CLIENT, request.id))?.id).toBe(intent.id)
  })

  it('an intent does not move when its request moved underneath: they never disagree', async () => {
    const request = await newRequest()
    const intent = (await startFor({ id: request.id, state: requestStateOf(request) }))!
    const readRequest = requestStateOf((await findPaymentRequest(db.pool, CLIENT, request.id))!)
    // Something else changed the request meanwhile (here: by hand).
    await db.pool.query(`update payment_requests set status = 'WAITING_PAYER_AUTHORIZATION' where id = $1`, [request.id])
    const result = accepted(moveIntent({ type: 'REQUEST', state: readRequest }, intentStateOf(intent), { type: 'QUEUED_AT_INSTITUTION' }))
    const saved = await saveIntentMove(db.pool, {
      clientId: CLIENT,
      id: intent.id,
      expected: intentStateOf(intent),
      next: result.intent.next,
      owner: { type: 'REQUEST', id: request.id, expected: readRequest, next: result.owner.next.state as PaymentRequestState },
      events: [],
      at: AT,
    })
    expect(saved).toBe(false)
    expect((await findPaymentIntent(db.pool, CLIENT, intent.id))?.status).toBe('STARTED')
  })

  it('is invisible to another client, and a deleted request takes its intents and writes the events given', async () => {
    const request = await newRequest()
    const intent = (await startFor({ id: request.id, state: requestStateOf(request) }))!
    expect(await findPaymentRequest(db.pool, OTHER, request.id)).toBeUndefined()
    expect(await findPaymentIntent(db.pool, OTHER, intent.id)).toBeUndefined()
    const current = requestStateOf((await findPaymentRequest(db.pool, CLIENT, request.id))!)
    const canceled = paymentEvent('payment_intent/error', { clientId: CLIENT, paymentIntentId: intent.id, paymentRequestId: request.id }, AT)
    expect(await deletePaymentRequest(db.pool, OTHER, request.id, current, [])).toBe(false)
    expect(await deletePaymentRequest(db.pool, CLIENT, request.id, current, [canceled])).toBe(true)
    expect(await findPaymentIntent(db.pool, CLIENT, intent.id)).toBeUndefined()
    expect(await eventsAbout('paymentIntentId', intent.id)).toEqual(['payment_intent/error'])
  })
})

describe('a request’s own transitions', () => {
  it('are saved with their events from the state read, and a stale repeat changes nothing', async () => {
    const request = await newRequest({ kind: 'SCHEDULED', status: 'SCHEDULED', schedule: { type: 'SINGLE', date: '2026-03-10' } })
    const result = transitionRequest(requestStateOf(request), { type: 'SCHEDULES_CANCELED' })
    if (!result.ok) throw new Error(result.reason)
    const change = {
      clientId: CLIENT,
      id: request.id,
      expected: requestStateOf(request),
      next: result.next,
      events: eventsOf(result.effects, { clientId: CLIENT, paymentRequestId: request.id }),
      at: AT,
    }
    expect(await saveRequestTransition(db.pool, change)).toBe(true)
    expect(await saveRequestTransition(db.pool, { ...change, events: eventsOf(result.effects, { clientId: CLIENT, paymentRequestId: request.id }) })).toBe(false)
    expect(await findPaymentRequest(db.pool, CLIENT, request.id)).toMatchObject({ status: 'CANCELED' })
    expect(await eventsAbout('paymentRequestId', request.id)).toEqual(['payment_request/updated'])
  })
})

describe('scheduled payments', () => {
  it('are created once per schedule with their events, settle guarded on their status, and are found due on their day', async () => {
    const request = await newRequest({ kind: 'SCHEDULED', status: 'SCHEDULED', schedule: { type: 'DAILY', startDate: '2026-03-03', occurrences: 2 } })
    const payments = ['2026-03-03', '2026-03-04'].map((date) => ({ id: randomUUID(), state: createScheduledPayment(date, 10_000).state, description: 'Pedido 42' }))
    const subject = (id: string) => ({ clientId: CLIENT, paymentRequestId: request.id, scheduledPaymentId: id })
    const events = [
      ...payments.map((p) => paymentEvent('scheduled_payment/created', subject(p.id), AT)),
      paymentEvent('scheduled_payment/all_created', { clientId: CLIENT, paymentRequestId: request.id }, AT),
    ]
    const batch = { clientId: CLIENT, paymentRequestId: request.id, requestStatus: 'SCHEDULED' as const, payments, events, at: AT }
    expect(await insertScheduledPayments(db.pool, batch)).toBe(2)
    expect(await insertScheduledPayments(db.pool, { ...batch, payments: payments.map((p) => ({ ...p, id: randomUUID() })), events: [] })).toBe(0)
    expect(await eventsAbout('paymentRequestId', request.id)).toEqual(['scheduled_payment/created', 'scheduled_payment/created', 'scheduled_payment/all_created'])

    const due = await lockDueScheduledPayments(db.pool, 'SCHEDULED', '2026-03-03', 10)
    expect(due.filter((p) => p.paymentRequestId === request.id).map((p) => p.scheduledDate)).toEqual(['2026-03-03'])
    const [first, second] = await listScheduledPayments(db.pool, CLIENT, request.id)
    const settled = transitionScheduledPayment(scheduledPaymentStateOf(first), { type: 'SETTLED', today: '2026-03-03' })
    if (!settled.ok) throw new Error(settled.reason)
    const changes = [
      { id: first.id, expected: first.status, next: settled.next },
      // A stale change: the second payment is not in ERROR, so neither it nor its event is saved.
      { id: second.id, expected: 'ERROR' as const, next: { ...scheduledPaymentStateOf(second), status: 'CANCELED' as const } },
    ]
    const saved = await saveScheduledPaymentTransitions(
      db.pool,
      CLIENT,
      changes,
      [paymentEvent('scheduled_payment/completed', subject(first.id), AT), paymentEvent('scheduled_payment/canceled', subject(second.id), AT)],
      AT,
    )
    expect([...saved]).toEqual([first.id])
    expect((await listScheduledPayments(db.pool, CLIENT, request.id)).map((p) => p.status)).toEqual(['COMPLETED', 'SCHEDULED'])
    expect(await eventsAbout('scheduledPaymentId', second.id)).toEqual(['scheduled_payment/created'])
  })
})

describe('Pix Automático payments', () => {
  it('are scheduled only under an authorization in force, and a retry moves the date guarded on the one read', async () => {
    const pending = await newRequest({ kind: 'AUTOMATIC_PIX', amountCents: null })
    const { state } = createAutomaticPixPayment('2026-03-10', 4_990)
    const base = { clientId: CLIENT, authorizationStatus: 'AUTHORIZED' as const, state, description: null, isFirstPayment: false, events: [], at: AT }
    expect(await insertAutomaticPixPayment(db.pool, { ...base, id: randomUUID(), paymentRequestId: pending.id })).toBeUndefined()
    const authorized = await newRequest({ kind: 'AUTOMATIC_PIX', amountCents: null, status: 'AUTHORIZED' })
    const id = randomUUID()
    const created = await insertAutomaticPixPayment(db.pool, {
      ...base,
      id,
      paymentRequestId: authorized.id,
      events: [paymentEvent('automatic_pix_payment/created', { clientId: CLIENT, paymentRequestId: authorized.id, automaticPixPaymentId: id }, AT)],
    })
    expect(created).toMatchObject({ status: 'SCHEDULED', date: '2026-03-10', originalDate: '2026-03-10', retries: 0 })
    const failed = transitionAutomaticPixPayment(state, { type: 'FAILED', error: { code: 'INSUFFICIENT_FUNDS', description: 'Not enough funds.' }, retriable: true })
    if (!failed.ok) throw new Error(failed.reason)
    expect(await saveAutomaticPixPaymentTransitions(db.pool, CLIENT, [{ id, expected: state, next: failed.next }], [], AT)).toEqual(new Set([id]))
    const retried = transitionAutomaticPixPayment(failed.next, { type: 'RETRY_SCHEDULED', date: '2026-03-12', today: '2026-03-11', retryAccepted: true })
    if (!retried.ok) throw new Error(retried.reason)
    expect(await saveAutomaticPixPaymentTransitions(db.pool, CLIENT, [{ id, expected: failed.next, next: retried.next }], [], AT)).toEqual(new Set([id]))
    // The same retry again reads a date that moved: nothing is saved.
    expect(await saveAutomaticPixPaymentTransitions(db.pool, CLIENT, [{ id, expected: failed.next, next: retried.next }], [], AT)).toEqual(new Set())
    const [stored] = (await listAutomaticPixPayments(db.pool, CLIENT, authorized.id, { limit: 10, offset: 0 })).rows
    expect(automaticPixPaymentStateOf(stored)).toEqual(retried.next)
  })
})
