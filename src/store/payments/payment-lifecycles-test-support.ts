// The payment lifecycles' store against the embedded database: a status changes only from the
// status its writer read, an owner and its intent move together or not at all, and every event
// is written by the statement that makes the change it reports — never by one that changed nothing.

import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll } from 'vitest'
import { startIntent, type IntentMove } from '../../domain/payments/intent-moves.ts'
import { createdRequest, type PaymentRequestState } from '../../domain/payments/payment-request.ts'
import type { PaymentEffect } from '../../domain/payments/transition.ts'
import type { PaymentEventSubject } from '../../domain/payments/webhook-events.ts'
import { openDatabase, type Database } from '../database.ts'
import type { NewEvent } from '../events.ts'
import { migrate } from '../migrate.ts'
import { paymentEvent } from './payment-events.ts'
import { startPaymentIntent, type PaymentIntentRow } from './payment-intents.ts'
import { insertPaymentRecipient } from './payment-recipients.ts'
import { insertPaymentRequest, type NewPaymentRequest } from './payment-requests.ts'

export let db: Database
export const CLIENT = 'payments-lifecycles'
export const OTHER = 'payments-other'
export const AT = new Date('2026-03-02T12:00:00.000Z')
export let recipientId: string

/**
 * Call at the top of a test file: gives it its own embedded database, migrated, with the two
 * clients, a webhook and the recipient, opened in beforeAll and closed in afterAll. Not hooks in
 * this module's body: a worker's files share their modules (vitest.config.ts, isolate: false), so
 * that body runs only for the first of them.
 */
export function setUpLifecyclesDatabase(): void {
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
}

export async function newRequest(overrides: Partial<NewPaymentRequest> = {}) {
  return insertPaymentRequest(db.pool, {
    id: randomUUID(),
    clientId: CLIENT,
    kind: 'ONE_OFF',
    status: createdRequest('ONE_OFF').status,
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

/** The events an effect list asks for, as the engine writes them. */
export function eventsOf(effects: PaymentEffect[], subject: PaymentEventSubject): NewEvent[] {
  return effects.flatMap((e) => (e.type === 'EMIT' ? [paymentEvent(e.event, { ...subject, ...(e.status ? { status: e.status } : {}) }, AT)] : []))
}

export async function eventsAbout(key: string, id: string): Promise<string[]> {
  const { rows } = await db.pool.query<{ type: string }>(`select type from events where payload->>$1 = $2 order by seq`, [key, id])
  return rows.map((r) => r.type)
}

export function accepted(move: IntentMove): Extract<IntentMove, { ok: true }> {
  if (!move.ok) throw new Error(move.reason)
  return move
}

/** Starts an intent for a stored request through the domain, and saves it. */
export async function startFor(request: { id: string; state: PaymentRequestState }): Promise<PaymentIntentRow | undefined> {
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
