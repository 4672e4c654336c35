import type { ScheduledPaymentState } from '../../domain/payments/scheduled-payment.ts'
import type { PaymentErrorDetail, PaymentRequestStatus, ScheduledPaymentStatus } from '../../domain/payments/statuses.ts'
import type { Queryable } from '../database.ts'
import { outboxRows, outboxStatements, outboxWake, type NewEvent } from '../events.ts'

export interface ScheduledPaymentRow {
  id: string
  clientId: string
  paymentRequestId: string
  /** YYYY-MM-DD, in Brasília. */
  scheduledDate: string
  status: ScheduledPaymentStatus
  description: string
  amountCents: number
  error: PaymentErrorDetail | null
  createdAt: Date
  updatedAt: Date
}

const COLUMNS = `id, client_id as "clientId", payment_request_id as "paymentRequestId", to_char(scheduled_date, 'YYYY-MM-DD') as "scheduledDate",
  status, description, amount_cents as "amountCents", error, created_at as "createdAt", updated_at as "updatedAt"`

export function scheduledPaymentStateOf(row: ScheduledPaymentRow): ScheduledPaymentState {
  return { status: row.status, date: row.scheduledDate, amountCents: row.amountCents, error: row.error }
}

/**
 * Creates a scheduled request's payments with their events (scheduled_payment/created each, then
 * all_created) in one statement, guarded on the request being `requestStatus` and having none yet:
 * a repeated START_PAYMENTS creates nothing. Answers how many were created.
 */
export async function insertScheduledPayments(
  db: Queryable,
  batch: {
    clientId: string
    paymentRequestId: string
    requestStatus: PaymentRequestStatus
    payments: { id: string; state: ScheduledPaymentState; description: string }[]
    events: NewEvent[]
    at: Date
  },
): Promise<number> {
  const { rows } = await db.query<{ id: string | null }>(
    `with request as (
       select id from payment_requests where id = $2 and client_id = $1 and status = $3
         and not exists (select 1 from scheduled_payments where payment_request_id = $2)
       for update
     ), created as (
       insert into scheduled_payments (id, client_id, payment_request_id, scheduled_date, status, description, amount_cents, created_at, updated_at)
       select p.id, $1, $2, p.scheduled_date, p.status, p.description, p.amount_cents, $4, $4
       from jsonb_to_recordset($5::jsonb) as p(id uuid, scheduled_date date, status text, description text, amount_cents bigint)
       where exists (select 1 from request)
       returning id
     ), ${outboxStatements({ events: '$6', wakeTask: '$7', wakeKey: '$8' }, 'exists (select 1 from created)')}
     select id from created union all select null from wake_delivery`,
    [
      batch.clientId,
      batch.paymentRequestId,
      batch.requestStatus,
      batch.at,
      JSON.stringify(batch.payments.map((p) => ({ id: p.id, scheduled_date: p.state.date, status: p.state.status, description: p.description, amount_cents: p.state.amountCents }))),
      outboxRows(batch.events),
      ...outboxWake,
    ],
  )
  return rows.filter((r) => r.id !== null).length
}

/** A request's scheduled payments, by date. */
export async function listScheduledPayments(db: Queryable, clientId: string, paymentRequestId: string): Promise<ScheduledPaymentRow[]> {
  const { rows } = await db.query<ScheduledPaymentRow>(`select ${COLUMNS} from scheduled_payments where payment_request_id = $1 and client_id = $2 order by scheduled_date, id`, [
    paymentRequestId,
    clientId,
  ])
  return rows
}

export async function findScheduledPayment(db: Queryable, clientId: string, paymentRequestId: string, id: string): Promise<ScheduledPaymentRow | undefined> {
  const { rows } = await db.query<ScheduledPaymentRow>(`select ${COLUMNS} from scheduled_payments where id = $1 and payment_request_id = $2 and client_id = $3`, [id, paymentRequestId, clientId])
  return rows[0]
}

export interface ScheduledPaymentChange {
  id: string
  expected: ScheduledPaymentStatus
  next: ScheduledPaymentState
}

/**
 * Saves transitions of a client's scheduled payments (one, or all of a request's when its consent
 * ends) in one statement, each guarded on the status read. An event is written only when the
 * payment its payload names (scheduledPaymentId) was saved. Answers the ids saved.
 */
export async function saveScheduledPaymentTransitions(db: Queryable, clientId: string, changes: ScheduledPaymentChange[], events: NewEvent[], at: Date): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string | null }>(
    `with change as (
       select * from jsonb_to_recordset($2::jsonb) as c(id uuid, expected text, status text, error jsonb)
     ), saved as (
       update scheduled_payments s set status = c.status, error = c.error, updated_at = $3
       from change c where s.id = c.id and s.client_id = $1 and s.status = c.expected
       returning s.id
     ), ${outboxStatements({ events: '$4', wakeTask: '$5', wakeKey: '$6' }, "(e.payload->>'scheduledPaymentId')::uuid in (select id from saved)")}
     select id from saved union all select null from wake_delivery`,
    [clientId, JSON.stringify(changes.map((c) => ({ id: c.id, expected: c.expected, status: c.next.status, error: c.next.error }))), at, outboxRows(events), ...outboxWake],
  )
  return new Set(rows.flatMap((r) => (r.id ? [r.id] : [])))
}

/**
 * Locks up to `limit` payments in `pendingStatus` whose date is `today` or earlier (in Brasília),
 * skipping rows another worker holds: the PAYMENT_DATE checks, and a sweep for any a crash lost.
 */
export async function lockDueScheduledPayments(db: Queryable, pendingStatus: ScheduledPaymentStatus, today: string, limit: number): Promise<ScheduledPaymentRow[]> {
  const { rows } = await db.query<ScheduledPaymentRow>(
    `select ${COLUMNS} from scheduled_payments where status = $1 and scheduled_date <= $2::date order by scheduled_date, id limit $3 for update skip locked`,
    [pendingStatus, today, limit],
  )
  return rows
}
