import { bulkRequestPayment, type BulkPaymentState } from '../../domain/payments/bulk-payment.ts'
import type { BulkPaymentStatus, PaymentRequestStatus } from '../../domain/payments/statuses.ts'
import type { Queryable } from '../database.ts'
import { outboxRows, outboxStatements, outboxWake, type NewEvent } from '../events.ts'
import type { CallbackUrls } from './payment-requests.ts'

export interface BulkPaymentRow {
  id: string
  clientId: string
  smartAccountId: string
  status: BulkPaymentStatus
  referenceId: string | null
  totalCents: number
  feesCents: number
  callbackUrls: CallbackUrls | null
  intentInProgress: boolean
  /** Its requests, in the order they were given. */
  requests: { id: string; amountCents: number; status: PaymentRequestStatus }[]
  createdAt: Date
  updatedAt: Date
}

/** A bulk payment's columns (alias b), with its requests as `requestsJson` lists them. */
function columns(requestsJson: string): string {
  return `b.id, b.client_id as "clientId", b.smart_account_id as "smartAccountId", b.status, b.reference_id as "referenceId",
    b.total_cents as "totalCents", b.fees_cents as "feesCents", b.callback_urls as "callbackUrls", b.intent_in_progress as "intentInProgress",
    ${requestsJson} as requests, b.created_at as "createdAt", b.updated_at as "updatedAt"`
}

const memberJson = (alias: string) => `json_build_object('id', ${alias}.id, 'amountCents', ${alias}.amount_cents, 'status', ${alias}.status)`
const STORED = columns(`coalesce((select json_agg(${memberJson('r')} order by r.bulk_position) from payment_requests r where r.bulk_payment_id = b.id), '[]'::json)`)

export function bulkStateOf(row: BulkPaymentRow): BulkPaymentState {
  return {
    status: row.status,
    intentInProgress: row.intentInProgress,
    requests: row.requests.map((r) => ({ paymentRequestId: r.id, amountCents: r.amountCents, payment: bulkRequestPayment(r.status) })),
  }
}

export interface NewBulkPayment {
  id: string
  clientId: string
  smartAccountId: string
  status: BulkPaymentStatus
  paymentRequestIds: string[]
  /** Only requests of this kind and status join a bulk payment: one-off ones nobody started paying. */
  memberKind: string
  memberStatus: PaymentRequestStatus
  feesCents: number
  callbackUrls: CallbackUrls | null
  at: Date
}

/**
 * Creates a bulk payment of the given requests in one statement: every one must be the client's,
 * of `memberKind`, in `memberStatus`, in no other bulk payment and with no intent — else nothing is
 * created (undefined). Its total is the requests' sum.
 */
export async function insertBulkPayment(db: Queryable, bulk: NewBulkPayment): Promise<BulkPaymentRow | undefined> {
  const { rows } = await db.query<BulkPaymentRow>(
    `with members as (
       select id, amount_cents, status, array_position($4::uuid[], id) as position from payment_requests
       where id = any($4::uuid[]) and client_id = $2 and kind = $5 and status = $6 and bulk_payment_id is null and not intent_in_progress
       for update
     ), b as (
       insert into bulk_payments (id, client_id, smart_account_id, status, total_cents, fees_cents, callback_urls, created_at, updated_at)
       select $1, $2, $3, $7, sum(amount_cents), $8, $9, $10, $10 from members
       having count(*) = cardinality($4::uuid[]) and count(*) > 0
       returning *
     ), attached as (
       update payment_requests r set bulk_payment_id = $1, bulk_position = m.position, updated_at = $10
       from members m where r.id = m.id and exists (select 1 from b)
     )
     select ${columns(`(select json_agg(${memberJson('m')} order by m.position) from members m)`)} from b`,
    [bulk.id, bulk.clientId, bulk.smartAccountId, bulk.paymentRequestIds, bulk.memberKind, bulk.memberStatus, bulk.status, bulk.feesCents, bulk.callbackUrls, bulk.at],
  )
  return rows[0]
}

/** A client's bulk payment with its requests; another client's is indistinguishable from a missing one. */
export async function findBulkPayment(db: Queryable, clientId: string, id: string): Promise<BulkPaymentRow | undefined> {
  const { rows } = await db.query<BulkPaymentRow>(`select ${STORED} from bulk_payments b where b.id = $1 and b.client_id = $2`, [id, clientId])
  return rows[0]
}

/** A bulk payment by id alone, for its payment page (the id, a random UUID, is what the payer was given). */
export async function findBulkPaymentForPage(db: Queryable, id: string): Promise<BulkPaymentRow | undefined> {
  const { rows } = await db.query<BulkPaymentRow>(`select ${STORED} from bulk_payments b where b.id = $1`, [id])
  return rows[0]
}

export async function listBulkPayments(db: Queryable, clientId: string, page: { limit: number; offset: number }): Promise<{ rows: BulkPaymentRow[]; total: number }> {
  const { rows } = await db.query<BulkPaymentRow & { total: number }>(
    `select ${STORED}, count(*) over () as total from bulk_payments b where b.client_id = $1 order by b.created_at desc, b.id limit $2 offset $3`,
    [clientId, page.limit, page.offset],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

/** Saves a bulk payment's transition with its events, guarded on the state read; answers whether it was saved. */
export async function saveBulkTransition(db: Queryable, change: { clientId: string; id: string; expected: BulkPaymentState; next: BulkPaymentState; events: NewEvent[]; at: Date }): Promise<boolean> {
  const { rows } = await db.query<{ id: string | null }>(
    `with saved as (
       update bulk_payments set status = $3, intent_in_progress = $4, updated_at = $5
       where id = $1 and client_id = $2 and status = $6 and intent_in_progress = $7 returning id
     ), ${outboxStatements({ events: '$8', wakeTask: '$9', wakeKey: '$10' }, 'exists (select 1 from saved)')}
     select id from saved union all select null from wake_delivery`,
    [change.id, change.clientId, change.next.status, change.next.intentInProgress, change.at, change.expected.status, change.expected.intentInProgress, outboxRows(change.events), ...outboxWake],
  )
  return rows.some((r) => r.id !== null)
}

/** Deletes a bulk payment still in `expectedStatus` with no intent; its requests are free again. */
export async function deleteBulkPayment(db: Queryable, clientId: string, id: string, expectedStatus: BulkPaymentStatus): Promise<boolean> {
  const { rowCount } = await db.query(`delete from bulk_payments where id = $1 and client_id = $2 and status = $3 and not intent_in_progress`, [id, clientId, expectedStatus])
  return (rowCount ?? 0) > 0
}
