import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAutomaticPixPayment, transitionAutomaticPixPayment } from '../../domain/payments/automatic-pix-payment.ts'
import { createdBulkPayment, transitionBulkPayment, type BulkPaymentState } from '../../domain/payments/bulk-payment.ts'
import { moveIntent, startIntent, type IntentMove } from '../../domain/payments/intent-moves.ts'
import { AWAITING_PAYER, type PaymentIntentEvent } from '../../domain/payments/payment-intent.ts'
import { PAYABLE_REQUEST_STATUSES, transitionRequest, type PaymentRequestState } from '../../domain/payments/payment-request.ts'
import { createScheduledPayment, transitionScheduledPayment } from '../../domain/payments/scheduled-payment.ts'
import { createSmartTransferPayment, transitionSmartTransferPayment } from '../../domain/payments/smart-transfer-payment.ts'
import { createPreauthorization, transitionPreauthorization } from '../../domain/payments/smart-transfer-preauthorization.ts'
import type { PaymentEffect } from '../../domain/payments/transition.ts'
import type { PaymentEventSubject } from '../../domain/payments/webhook-events.ts'
import { openDatabase, withTransaction, type Database } from '../database.ts'
import type { NewEvent } from '../events.ts'
import { migrate } from '../migrate.ts'
import { insertAutomaticPixPayment, listAutomaticPixPayments, saveAutomaticPixPaymentTransitions, automaticPixPaymentStateOf } from './automatic-pix-payments.ts'
import { bulkStateOf, deleteBulkPayment, findBulkPayment, insertBulkPayment, saveBulkTransition } from './bulk-payments.ts'
import { paymentEvent } from './payment-events.ts'
import { findLatestIntentOfRequest, findPaymentIntent, intentStateOf, lockIntentsPastConsentWindow, saveIntentMove, startPaymentIntent, type PaymentIntentRow } from './payment-intents.ts'
import { insertPaymentRecipient } from './payment-recipients.ts'
import { deletePaymentRequest, findPaymentRequest, insertPaymentRequest, requestStateOf, saveRequestTransition, type NewPaymentRequest } from './payment-requests.ts'
import { insertScheduledPayments, listScheduledPayments, lockDueScheduledPayments, saveScheduledPaymentTransitions, scheduledPaymentStateOf } from './scheduled-payments.ts'
import { insertSmartAccount } from './smart-accounts.ts'
import {
  findSmartTransferPayment,
  insertPreauthorization,
  insertSmartTransferPayment,
  preauthorizationStateOf,
  savePreauthorizationTransition,
  saveSmartTransferPaymentTransition,
  smartTransferPaymentStateOf,
} from './smart-transfers.ts'

// The payment lifecycles' store against the embedded database: a status changes only from the
// status its writer read, an owner and its intent move together or not at all, and every event
// is written by the statement that makes the change it reports — never by one that changed nothing.

let db: Database
const CLIENT = 'payments-lifecycles'
const OTHER = 'payments-other'
const AT = new Date('2026-03-02T12:00:00.000Z')
let recipientId: string

beforeAll(async () => {
  db = await openDatabase({ databaseUrl: null, dataDir: ':memory:' }, { poolSize: 10 })
  await migrate(db.pool, db.connectionString)
  await db.pool.query(`insert into clients (id, secret_enc) values ($1, 'unused'), ($2, 'unused')`, [CLIENT, OTHER])
  await db.pool.query(`insert into webhooks (id, client_id, event, url, created_at, updated_at) values ($1, $2, 'all', 'https://hooks.example/all', now(), now())`, [randomUUID(), CLIENT])
  recipientId = (
    await insertPaymentRecipient(db.pool, {
      id: randomUUID(),
      clientId: CLIENT,
      name: 'Loja',
      taxNumber: '11222333000181',
      isDefault: true,
      paymentInstitutionId: '0f3c1a52-7d0e-4c39-9a1e-000000000002',
      account: { type: 'CHECKING_ACCOUNT', number: '123456', branch: '0001' },
      pixKey: null,
      smartAccountId: null,
      at: AT,
    })
  ).id
})
afterAll(() => db?.close())

async function newRequest(overrides: Partial<NewPaymentRequest> = {}) {
  return insertPaymentRequest(db.pool, {
    id: randomUUID(),
    clientId: CLIENT,
    kind: 'ONE_OFF',
    status: 'CREATED',
    amountCents: 10_000,
    description: 'Pedido 42',
    recipientId,
    customerId: null,
    callbackUrls: null,
    schedule: null,
    automaticPix: null,
    schedulerConfiguration: null,
    smartAccountId: null,
    clientPaymentId: null,
    isSandbox: true,
    at: AT,
    ...overrides,
  })
}

/** A smart account of the client, numbered `number`; its id. */
async function newSmartAccount(number: string): Promise<string> {
  const id = randomUUID()
  await insertSmartAccount(db.pool, {
    id,
    clientId: CLIENT,
    name: 'Loja',
    taxNumber: '11222333000181',
    email: 'l@example.com',
    phoneNumber: '+5511912345678',
    agency: '0001',
    number,
    verifyingDigit: '0',
    isSandbox: true,
    at: AT,
  })
  return id
}

/** The events an effect list asks for, as the engine writes them. */
function eventsOf(effects: PaymentEffect[], subject: PaymentEventSubject): NewEvent[] {
  return effects.flatMap((e) => (e.type === 'EMIT' ? [paymentEvent(e.event, { ...subject, ...(e.status ? { status: e.status } : {}) }, AT)] : []))
}

async function eventsAbout(key: string, id: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ type: string }>(`select type from events where payload->>$1 = $2 order by seq`, [key, id])
  return rows.map((r) => r.type)
}

function accepted(move: IntentMove): Extract<IntentMove, { ok: true }> {
  if (!move.ok) throw new Error(move.reason)
  return move
}

/** Starts an intent for a stored request through the domain, and saves it. */
async function startFor(request: { id: string; state: PaymentRequestState }): Promise<PaymentIntentRow | undefined> {
  const move = accepted(startIntent({ type: 'REQUEST', state: request.state }, 10_000))
  return startPaymentIntent(db.pool, {
    id: randomUUID(),
    clientId: CLIENT,
    state: move.intent.next,
    connectorId: 0,
    parametersEnc: 'encrypted',
    pixData: null,
    owner: { type: 'REQUEST', id: request.id, expected: request.state, next: move.owner.next.state as PaymentRequestState },
    events: [],
    at: AT,
  })
}

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

describe('bulk payments', () => {
  it('gather only the client’s fresh one-off requests, total them, and free them when deleted', async () => {
    const account = await newSmartAccount('1')
    const [r1, r2] = [await newRequest({ amountCents: 1_000 }), await newRequest({ amountCents: 2_500 })]
    const started = await newRequest()
    await startFor({ id: started.id, state: requestStateOf(started) })
    const bulk = { clientId: CLIENT, smartAccountId: account, status: 'CREATED' as const, memberKind: 'ONE_OFF', memberStatus: PAYABLE_REQUEST_STATUSES[0], feesCents: 0, callbackUrls: null, at: AT }
    expect(await insertBulkPayment(db.pool, { ...bulk, id: randomUUID(), paymentRequestIds: [r1.id, started.id] })).toBeUndefined()
    const id = randomUUID()
    const created = await insertBulkPayment(db.pool, { ...bulk, id, paymentRequestIds: [r1.id, r2.id] })
    expect(created).toMatchObject({ totalCents: 3_500, status: 'CREATED' })
    expect(bulkStateOf(created!)).toEqual(
      createdBulkPayment([
        { paymentRequestId: r1.id, amountCents: 1_000 },
        { paymentRequestId: r2.id, amountCents: 2_500 },
      ]),
    )
    expect(await insertBulkPayment(db.pool, { ...bulk, id: randomUUID(), paymentRequestIds: [r2.id] })).toBeUndefined()
    expect(await findBulkPayment(db.pool, OTHER, id)).toBeUndefined()
    expect(await deleteBulkPayment(db.pool, CLIENT, id, 'CREATED')).toBe(true)
    expect((await findPaymentRequest(db.pool, CLIENT, r1.id))?.bulkPaymentId).toBeNull()
  })
})

describe('a bulk payment paid through its top-up intent', () => {
  it('follows its intent, then pays its requests with them, each pair of changes in one transaction', async () => {
    const account = await newSmartAccount('2')
    const members = [await newRequest({ amountCents: 1_000 }), await newRequest({ amountCents: 2_000 })]
    const bulk = (await insertBulkPayment(db.pool, {
      id: randomUUID(),
      clientId: CLIENT,
      smartAccountId: account,
      status: 'CREATED',
      paymentRequestIds: members.map((m) => m.id),
      memberKind: 'ONE_OFF',
      memberStatus: 'CREATED',
      feesCents: 0,
      callbackUrls: null,
      at: AT,
    }))!
    const start = accepted(startIntent({ type: 'BULK', state: bulkStateOf(bulk) }, bulk.totalCents))
    const intent = (await startPaymentIntent(db.pool, {
      id: randomUUID(),
      clientId: CLIENT,
      state: start.intent.next,
      connectorId: 0,
      parametersEnc: 'encrypted',
      pixData: null,
      owner: { type: 'BULK', id: bulk.id, expected: bulkStateOf(bulk), next: start.owner.next.state as BulkPaymentState },
      events: [],
      at: AT,
    }))!
    expect(intent).toMatchObject({ bulkPaymentId: bulk.id, paymentRequestId: null, kind: 'BULK_TOP_UP', amountCents: 3_000 })
    const steps: PaymentIntentEvent[] = [
      { type: 'CONSENT_CREATED', consentUrl: 'https://bank.example/b/1', at: AT.toISOString() },
      { type: 'PAYER_AUTHORIZED' },
      { type: 'PAYMENT_INITIATED' },
      { type: 'SETTLEMENT_STARTED' },
      { type: 'DEBTOR_ACCOUNT_DEBITED' },
      { type: 'SETTLEMENT_CONFIRMED' },
    ]
    for (const step of steps) {
      const current = (await findPaymentIntent(db.pool, CLIENT, intent.id))!
      const owner = bulkStateOf((await findBulkPayment(db.pool, CLIENT, bulk.id))!)
      const result = accepted(moveIntent({ type: 'BULK', state: owner }, intentStateOf(current), step))
      const events = eventsOf(result.intent.effects, { clientId: CLIENT, paymentIntentId: intent.id, bulkPaymentId: bulk.id })
      expect(
        await saveIntentMove(db.pool, {
          clientId: CLIENT,
          id: intent.id,
          expected: intentStateOf(current),
          next: result.intent.next,
          owner: { type: 'BULK', id: bulk.id, expected: owner, next: result.owner.next.state as BulkPaymentState },
          events,
          at: AT,
        }),
      ).toBe(true)
    }
    expect((await findBulkPayment(db.pool, CLIENT, bulk.id))?.status).toBe('PAYMENT_IN_PROGRESS')
    expect(await eventsAbout('bulkPaymentId', bulk.id)).toEqual(['payment_intent/created', 'payment_intent/completed'])
    for (const member of members) {
      await withTransaction(db.pool, async (tx) => {
        const stored = (await findBulkPayment(tx, CLIENT, bulk.id))!
        const settled = transitionBulkPayment(bulkStateOf(stored), { type: 'REQUEST_SETTLED', paymentRequestId: member.id })
        if (!settled.ok) throw new Error(settled.reason)
        expect(await saveBulkTransition(tx, { clientId: CLIENT, id: bulk.id, expected: bulkStateOf(stored), next: settled.next, events: [], at: AT })).toBe(true)
        let request = requestStateOf((await findPaymentRequest(tx, CLIENT, member.id))!)
        for (const event of [{ type: 'BULK_PAYMENT_STARTED' }, { type: 'PAID_FROM_SMART_ACCOUNT' }] as const) {
          const moved = transitionRequest(request, event)
          if (!moved.ok) throw new Error(moved.reason)
          expect(
            await saveRequestTransition(tx, {
              clientId: CLIENT,
              id: member.id,
              expected: request,
              next: moved.next,
              events: eventsOf(moved.effects, { clientId: CLIENT, paymentRequestId: member.id }),
              at: AT,
            }),
          ).toBe(true)
          request = moved.next
        }
      })
    }
    const paid = (await findBulkPayment(db.pool, CLIENT, bulk.id))!
    expect(paid.status).toBe('COMPLETED')
    expect(bulkStateOf(paid).requests.map((r) => r.payment)).toEqual(['SETTLED', 'SETTLED'])
  })
})

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
