import type { PaymentRequestState, RequestKind } from '../../domain/payments/payment-request.ts'
import type { PaymentSchedule } from '../../domain/payments/schedule-dates.ts'
import type { PaymentRequestStatus } from '../../domain/payments/statuses.ts'
import type { Queryable } from '../database.ts'
import { outboxRows, outboxStatements, outboxWake, type NewEvent } from '../events.ts'

export interface CallbackUrls {
  success?: string
  error?: string
  pending?: string
}

export interface PaymentRequestRow {
  id: string
  clientId: string
  kind: RequestKind
  status: PaymentRequestStatus
  /** Each payment's amount; null for a Pix Automático authorization. */
  amountCents: number | null
  description: string | null
  recipientId: string | null
  customerId: string | null
  callbackUrls: CallbackUrls | null
  schedule: PaymentSchedule | null
  /** The authorization's terms as the client gave them (PaymentRequestAutomaticPixDetails). */
  automaticPix: Record<string, unknown> | null
  schedulerConfiguration: Record<string, unknown> | null
  smartAccountId: string | null
  bulkPaymentId: string | null
  clientPaymentId: string | null
  isSandbox: boolean
  intentInProgress: boolean
  createdAt: Date
  updatedAt: Date
}

const COLUMNS = `id, client_id as "clientId", kind, status, amount_cents as "amountCents", description, recipient_id as "recipientId",
  customer_id as "customerId", callback_urls as "callbackUrls", schedule, automatic_pix as "automaticPix",
  scheduler_configuration as "schedulerConfiguration", smart_account_id as "smartAccountId", bulk_payment_id as "bulkPaymentId",
  client_payment_id as "clientPaymentId", is_sandbox as "isSandbox", intent_in_progress as "intentInProgress",
  created_at as "createdAt", updated_at as "updatedAt"`

export function requestStateOf(row: Pick<PaymentRequestRow, 'status' | 'kind' | 'bulkPaymentId' | 'intentInProgress'>): PaymentRequestState {
  return { status: row.status, kind: row.kind, inBulk: row.bulkPaymentId !== null, intentInProgress: row.intentInProgress }
}

export type NewPaymentRequest = Omit<PaymentRequestRow, 'bulkPaymentId' | 'intentInProgress' | 'createdAt' | 'updatedAt'> & { at: Date }

export async function insertPaymentRequest(db: Queryable, request: NewPaymentRequest): Promise<PaymentRequestRow> {
  const { rows } = await db.query<PaymentRequestRow>(
    `insert into payment_requests (id, client_id, kind, status, amount_cents, description, recipient_id, customer_id, callback_urls, schedule,
       automatic_pix, scheduler_configuration, smart_account_id, client_payment_id, is_sandbox, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) returning ${COLUMNS}`,
    [
      request.id,
      request.clientId,
      request.kind,
      request.status,
      request.amountCents,
      request.description,
      request.recipientId,
      request.customerId,
      request.callbackUrls,
      request.schedule,
      request.automaticPix,
      request.schedulerConfiguration,
      request.smartAccountId,
      request.clientPaymentId,
      request.isSandbox,
      request.at,
    ],
  )
  return rows[0]
}

/** A client's request; another client's is indistinguishable from a missing one. */
export async function findPaymentRequest(db: Queryable, clientId: string, id: string): Promise<PaymentRequestRow | undefined> {
  const { rows } = await db.query<PaymentRequestRow>(`select ${COLUMNS} from payment_requests where id = $1 and client_id = $2`, [id, clientId])
  return rows[0]
}

/**
 * The request, locked until the transaction ends: what a Pix Automático payment is validated
 * against (one per interval) cannot change between the check and the insert.
 */
export async function lockPaymentRequest(db: Queryable, clientId: string, id: string): Promise<PaymentRequestRow | undefined> {
  const { rows } = await db.query<PaymentRequestRow>(`select ${COLUMNS} from payment_requests where id = $1 and client_id = $2 for update`, [id, clientId])
  return rows[0]
}

/** Newest first; `from`/`to` bound the creation time, `bulkPaymentId` picks a bulk payment's requests. */
export async function listPaymentRequests(
  db: Queryable,
  clientId: string,
  filter: { from?: Date; to?: Date; bulkPaymentId?: string; limit: number; offset: number },
): Promise<{ rows: PaymentRequestRow[]; total: number }> {
  const { rows } = await db.query<PaymentRequestRow & { total: number }>(
    `select ${COLUMNS}, count(*) over () as total from payment_requests
     where client_id = $1 and ($2::timestamptz is null or created_at >= $2) and ($3::timestamptz is null or created_at <= $3)
       and ($4::uuid is null or bulk_payment_id = $4)
     order by created_at desc, id limit $5 offset $6`,
    [clientId, filter.from ?? null, filter.to ?? null, filter.bulkPaymentId ?? null, filter.limit, filter.offset],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

export interface RequestChange {
  clientId: string
  id: string
  /** The state the caller read: the write happens only if the request is still in it. */
  expected: PaymentRequestState
  next: PaymentRequestState
  events: NewEvent[]
  at: Date
}

/**
 * Saves a request's transition and its events in one statement, guarded on the state the caller
 * read; answers whether it was saved (a stale writer changes nothing and writes no event).
 */
export async function saveRequestTransition(db: Queryable, change: RequestChange): Promise<boolean> {
  const { rows } = await db.query<{ id: string | null }>(
    `with saved as (
       update payment_requests set status = $3, intent_in_progress = $4, updated_at = $5
       where id = $1 and client_id = $2 and status = $6 and intent_in_progress = $7 returning id
     ), ${outboxStatements({ events: '$8', wakeTask: '$9', wakeKey: '$10' }, 'exists (select 1 from saved)')}
     select id from saved union all select null from wake_delivery`,
    [change.id, change.clientId, change.next.status, change.next.intentInProgress, change.at, change.expected.status, change.expected.intentInProgress, outboxRows(change.events), ...outboxWake],
  )
  return rows.some((r) => r.id !== null)
}

/**
 * Deletes a request still in the state the caller read (its intents go with it) and writes the
 * events of its deletion (an intent canceled with it) in the same statement.
 */
export async function deletePaymentRequest(db: Queryable, clientId: string, id: string, expected: PaymentRequestState, events: NewEvent[]): Promise<boolean> {
  const { rows } = await db.query<{ id: string | null }>(
    `with deleted as (
       delete from payment_requests where id = $1 and client_id = $2 and status = $3 and intent_in_progress = $4 returning id
     ), ${outboxStatements({ events: '$5', wakeTask: '$6', wakeKey: '$7' }, 'exists (select 1 from deleted)')}
     select id from deleted union all select null from wake_delivery`,
    [id, clientId, expected.status, expected.intentInProgress, outboxRows(events), ...outboxWake],
  )
  return rows.some((r) => r.id !== null)
}

/** A request by id alone, for its payment page (the id, a random UUID, is what the payer was given). */
export async function findPaymentRequestForPage(db: Queryable, id: string): Promise<PaymentRequestRow | undefined> {
  const { rows } = await db.query<PaymentRequestRow>(`select ${COLUMNS} from payment_requests where id = $1`, [id])
  return rows[0]
}
