import type { BulkPaymentState } from '../../domain/payments/bulk-payment.ts'
import type { IntentKind, PaymentIntentState } from '../../domain/payments/payment-intent.ts'
import type { PaymentRequestState } from '../../domain/payments/payment-request.ts'
import { isFinalIntentStatus, type PaymentErrorDetail, type PaymentIntentStatus } from '../../domain/payments/statuses.ts'
import type { Queryable } from '../database.ts'
import { outboxRows, outboxStatements, outboxWake, type NewEvent } from '../events.ts'

export interface PaymentIntentRow {
  id: string
  clientId: string
  paymentRequestId: string | null
  bulkPaymentId: string | null
  kind: IntentKind
  status: PaymentIntentStatus
  amountCents: number
  connectorId: number | null
  /** The payer's identification for the bank, encrypted by the caller. */
  parametersEnc: string | null
  consentUrl: string | null
  consentExpiresAt: Date | null
  pixData: { qr: string; value: string } | null
  error: PaymentErrorDetail | null
  finishedAt: Date | null
  createdAt: Date
  updatedAt: Date
}

const COLUMNS = `id, client_id as "clientId", payment_request_id as "paymentRequestId", bulk_payment_id as "bulkPaymentId", kind, status,
  amount_cents as "amountCents", connector_id as "connectorId", parameters_enc as "parametersEnc", consent_url as "consentUrl",
  consent_expires_at as "consentExpiresAt", pix_data as "pixData", error, finished_at as "finishedAt", created_at as "createdAt",
  updated_at as "updatedAt"`

export function intentStateOf(row: PaymentIntentRow): PaymentIntentState {
  return {
    status: row.status,
    kind: row.kind,
    amountCents: row.amountCents,
    consentUrl: row.consentUrl,
    consentExpiresAt: row.consentExpiresAt?.toISOString() ?? null,
    error: row.error,
  }
}

/** What an intent pays, in the state the caller read and the state it moves to with the intent. */
export type OwnerChange = { type: 'REQUEST'; id: string; expected: PaymentRequestState; next: PaymentRequestState } | { type: 'BULK'; id: string; expected: BulkPaymentState; next: BulkPaymentState }

function ownerParams(owner: OwnerChange) {
  return {
    requestId: owner.type === 'REQUEST' ? owner.id : null,
    bulkId: owner.type === 'BULK' ? owner.id : null,
  }
}

export interface IntentStart {
  id: string
  clientId: string
  state: PaymentIntentState
  connectorId: number | null
  parametersEnc: string | null
  pixData: PaymentIntentRow['pixData']
  owner: OwnerChange
  events: NewEvent[]
  at: Date
}

/**
 * Starts an intent: the owner moves (guarded on the state read and on no intent in progress) and
 * the intent is inserted, with the events, in one statement. Undefined when the owner had moved
 * on: of two concurrent starts exactly one inserts (the unique index backs the guard).
 */
export async function startPaymentIntent(db: Queryable, start: IntentStart): Promise<PaymentIntentRow | undefined> {
  const { requestId, bulkId } = ownerParams(start.owner)
  const { rows } = await db.query<PaymentIntentRow>(
    `with owner_request as (
       update payment_requests set status = $3, intent_in_progress = true, updated_at = $4
       where id = $5 and client_id = $2 and status = $6 and not intent_in_progress returning id
     ), owner_bulk as (
       update bulk_payments set status = $3, intent_in_progress = true, updated_at = $4
       where id = $7 and client_id = $2 and status = $6 and not intent_in_progress returning id
     ), intent as (
       insert into payment_intents (id, client_id, payment_request_id, bulk_payment_id, kind, status, amount_cents, connector_id, parameters_enc,
         pix_data, created_at, updated_at)
       select $1, $2, $5, $7, $8, $9, $10, $11, $12, $13, $4, $4
       where exists (select 1 from owner_request) or exists (select 1 from owner_bulk)
       returning ${COLUMNS}
     ), ${outboxStatements({ events: '$14', wakeTask: '$15', wakeKey: '$16' }, 'exists (select 1 from intent)')}
     select intent.* from intent, (select count(*) from wake_delivery) woke`,
    [
      start.id,
      start.clientId,
      start.owner.next.status,
      start.at,
      requestId,
      start.owner.expected.status,
      bulkId,
      start.state.kind,
      start.state.status,
      start.state.amountCents,
      start.connectorId,
      start.parametersEnc,
      start.pixData,
      outboxRows(start.events),
      ...outboxWake,
    ],
  )
  return rows[0]
}

export interface IntentMoveChange {
  clientId: string
  id: string
  expected: PaymentIntentState
  next: PaymentIntentState
  owner: OwnerChange
  events: NewEvent[]
  at: Date
}

/**
 * Saves an intent's move and its owner following it, with the events of both, in one statement.
 * The owner is locked and checked first: the intent moves only if its owner is still in the state
 * read, so the two can never disagree. Answers whether it was saved.
 */
export async function saveIntentMove(db: Queryable, change: IntentMoveChange): Promise<boolean> {
  const { requestId, bulkId } = ownerParams(change.owner)
  const owner = change.owner
  const ownerInProgress = owner.next.intentInProgress
  const { rows } = await db.query<{ id: string | null }>(
    `with owner_request as (
       select id from payment_requests where id = $3 and client_id = $2 and status = $4 and intent_in_progress for update
     ), owner_bulk as (
       select id from bulk_payments where id = $5 and client_id = $2 and status = $4 and intent_in_progress for update
     ), intent as (
       update payment_intents set status = $6, consent_url = $7, consent_expires_at = $8, error = $9, updated_at = $10,
         finished_at = case when $11 then $10::timestamptz end
       where id = $1 and client_id = $2 and status = $12 and finished_at is null
         and (exists (select 1 from owner_request) or exists (select 1 from owner_bulk))
       returning id
     ), moved_request as (
       update payment_requests set status = $13, intent_in_progress = $14, updated_at = $10
       where id in (select id from owner_request) and exists (select 1 from intent)
     ), moved_bulk as (
       update bulk_payments set status = $13, intent_in_progress = $14, updated_at = $10
       where id in (select id from owner_bulk) and exists (select 1 from intent)
     ), ${outboxStatements({ events: '$15', wakeTask: '$16', wakeKey: '$17' }, 'exists (select 1 from intent)')}
     select id from intent union all select null from wake_delivery`,
    [
      change.id,
      change.clientId,
      requestId,
      owner.expected.status,
      bulkId,
      change.next.status,
      change.next.consentUrl,
      change.next.consentExpiresAt,
      change.next.error,
      change.at,
      isFinalIntentStatus(change.next.status),
      change.expected.status,
      owner.next.status,
      ownerInProgress,
      outboxRows(change.events),
      ...outboxWake,
    ],
  )
  return rows.some((r) => r.id !== null)
}

/** A client's intent; another client's is indistinguishable from a missing one. */
export async function findPaymentIntent(db: Queryable, clientId: string, id: string): Promise<PaymentIntentRow | undefined> {
  const { rows } = await db.query<PaymentIntentRow>(`select ${COLUMNS} from payment_intents where id = $1 and client_id = $2`, [id, clientId])
  return rows[0]
}

/** An intent by id alone, for the engine's job that drives it (the job's payload names no client). */
export async function findPaymentIntentForWork(db: Queryable, id: string): Promise<PaymentIntentRow | undefined> {
  const { rows } = await db.query<PaymentIntentRow>(`select ${COLUMNS} from payment_intents where id = $1`, [id])
  return rows[0]
}

/** Newest first; `from`/`to` bound the creation time, `paymentRequestId` picks one request's intents. */
export async function listPaymentIntents(
  db: Queryable,
  clientId: string,
  filter: { from?: Date; to?: Date; paymentRequestId?: string; limit: number; offset: number },
): Promise<{ rows: PaymentIntentRow[]; total: number }> {
  const { rows } = await db.query<PaymentIntentRow & { total: number }>(
    `select ${COLUMNS}, count(*) over () as total from payment_intents
     where client_id = $1 and ($2::timestamptz is null or created_at >= $2) and ($3::timestamptz is null or created_at <= $3)
       and ($4::uuid is null or payment_request_id = $4)
     order by created_at desc, id limit $5 offset $6`,
    [clientId, filter.from ?? null, filter.to ?? null, filter.paymentRequestId ?? null, filter.limit, filter.offset],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

/** The latest intent of a request (the one it follows), if any. */
export async function findLatestIntentOfRequest(db: Queryable, clientId: string, paymentRequestId: string): Promise<PaymentIntentRow | undefined> {
  const { rows } = await db.query<PaymentIntentRow>(`select ${COLUMNS} from payment_intents where payment_request_id = $1 and client_id = $2 order by created_at desc, id desc limit 1`, [
    paymentRequestId,
    clientId,
  ])
  return rows[0]
}

/** The latest top-up intent of a bulk payment, if any. */
export async function findLatestIntentOfBulk(db: Queryable, clientId: string, bulkPaymentId: string): Promise<PaymentIntentRow | undefined> {
  const { rows } = await db.query<PaymentIntentRow>(`select ${COLUMNS} from payment_intents where bulk_payment_id = $1 and client_id = $2 order by created_at desc, id desc limit 1`, [
    bulkPaymentId,
    clientId,
  ])
  return rows[0]
}

/**
 * Locks up to `limit` intents still awaiting the payer (`awaiting`, the domain's AWAITING_PAYER)
 * whose consent window closed by `now`, skipping rows another worker holds — a sweep behind the
 * durable CONSENT_EXPIRY checks, for any a crash lost.
 */
export async function lockIntentsPastConsentWindow(db: Queryable, awaiting: readonly PaymentIntentStatus[], now: Date, limit: number): Promise<PaymentIntentRow[]> {
  const { rows } = await db.query<PaymentIntentRow>(
    `select ${COLUMNS} from payment_intents where finished_at is null and status = any($3::text[]) and consent_expires_at <= $1
     order by consent_expires_at limit $2 for update skip locked`,
    [now, limit, awaiting],
  )
  return rows
}
