import type { AutomaticPixPaymentState } from '../../domain/payments/automatic-pix-payment.ts'
import type { AutomaticPixPaymentStatus, PaymentRequestStatus } from '../../domain/payments/statuses.ts'
import type { Queryable } from '../database.ts'
import { outboxRows, outboxStatements, outboxWake, type NewEvent } from '../events.ts'

export interface AutomaticPixPaymentRow {
  id: string
  clientId: string
  paymentRequestId: string
  status: AutomaticPixPaymentStatus
  amountCents: number
  description: string | null
  /** YYYY-MM-DD, in Brasília. */
  date: string
  originalDate: string
  retries: number
  isFirstPayment: boolean
  endToEndId: string | null
  error: AutomaticPixPaymentState['error']
  createdAt: Date
  updatedAt: Date
}

const COLUMNS = `id, client_id as "clientId", payment_request_id as "paymentRequestId", status, amount_cents as "amountCents", description,
  to_char(date, 'YYYY-MM-DD') as date, to_char(original_date, 'YYYY-MM-DD') as "originalDate", retries, is_first_payment as "isFirstPayment",
  end_to_end_id as "endToEndId", error, created_at as "createdAt", updated_at as "updatedAt"`

export function automaticPixPaymentStateOf(row: AutomaticPixPaymentRow): AutomaticPixPaymentState {
  return { status: row.status, date: row.date, originalDate: row.originalDate, amountCents: row.amountCents, retries: row.retries, error: row.error }
}

/**
 * Schedules a payment under an authorization, with its event, in one statement guarded on the
 * authorization being `authorizationStatus` (AUTHORIZED). Validate it (one per interval) after
 * lockPaymentRequest in the same transaction. Undefined when the authorization is not in force.
 */
export async function insertAutomaticPixPayment(
  db: Queryable,
  payment: {
    id: string
    clientId: string
    paymentRequestId: string
    authorizationStatus: PaymentRequestStatus
    state: AutomaticPixPaymentState
    description: string | null
    isFirstPayment: boolean
    events: NewEvent[]
    at: Date
  },
): Promise<AutomaticPixPaymentRow | undefined> {
  const { rows } = await db.query<AutomaticPixPaymentRow>(
    `with inserted as (
       insert into automatic_pix_payments (id, client_id, payment_request_id, status, amount_cents, description, date, original_date, retries,
         is_first_payment, created_at, updated_at)
       select $1, $2, $3, $5, $6, $7, $8, $8, 0, $9, $10, $10
       where exists (select 1 from payment_requests where id = $3 and client_id = $2 and status = $4)
       returning *
     ), ${outboxStatements({ events: '$11', wakeTask: '$12', wakeKey: '$13' }, 'exists (select 1 from inserted)')}
     select ${COLUMNS} from inserted, (select count(*) from wake_delivery) woke`,
    [
      payment.id,
      payment.clientId,
      payment.paymentRequestId,
      payment.authorizationStatus,
      payment.state.status,
      payment.state.amountCents,
      payment.description,
      payment.state.date,
      payment.isFirstPayment,
      payment.at,
      outboxRows(payment.events),
      ...outboxWake,
    ],
  )
  return rows[0]
}

/** An authorization's payments, by date; paged as fetchAutomaticPixPayments is. */
export async function listAutomaticPixPayments(
  db: Queryable,
  clientId: string,
  paymentRequestId: string,
  page: { limit: number; offset: number },
): Promise<{ rows: AutomaticPixPaymentRow[]; total: number }> {
  const { rows } = await db.query<AutomaticPixPaymentRow & { total: number }>(
    `select ${COLUMNS}, count(*) over () as total from automatic_pix_payments where payment_request_id = $1 and client_id = $2
     order by date, id limit $3 offset $4`,
    [paymentRequestId, clientId, page.limit, page.offset],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

export async function findAutomaticPixPayment(db: Queryable, clientId: string, paymentRequestId: string, id: string): Promise<AutomaticPixPaymentRow | undefined> {
  const { rows } = await db.query<AutomaticPixPaymentRow>(`select ${COLUMNS} from automatic_pix_payments where id = $1 and payment_request_id = $2 and client_id = $3`, [
    id,
    paymentRequestId,
    clientId,
  ])
  return rows[0]
}

export interface AutomaticPixPaymentChange {
  id: string
  expected: AutomaticPixPaymentState
  next: AutomaticPixPaymentState
  endToEndId?: string | null
}

/**
 * Saves transitions of a client's Pix Automático payments (one, or an authorization's pending ones
 * when it ends) in one statement, each guarded on the status and date read (a retry moves the
 * date). An event is written only when the payment its payload names was saved.
 */
export async function saveAutomaticPixPaymentTransitions(db: Queryable, clientId: string, changes: AutomaticPixPaymentChange[], events: NewEvent[], at: Date): Promise<Set<string>> {
  const { rows } = await db.query<{ id: string | null }>(
    `with change as (
       select * from jsonb_to_recordset($2::jsonb) as c(id uuid, expected text, expected_date date, status text, date date, retries integer,
         error jsonb, end_to_end_id text, set_end_to_end boolean)
     ), saved as (
       update automatic_pix_payments p set status = c.status, date = c.date, retries = c.retries, error = c.error, updated_at = $3,
         end_to_end_id = case when c.set_end_to_end then c.end_to_end_id else p.end_to_end_id end
       from change c where p.id = c.id and p.client_id = $1 and p.status = c.expected and p.date = c.expected_date
       returning p.id
     ), ${outboxStatements({ events: '$4', wakeTask: '$5', wakeKey: '$6' }, "(e.payload->>'automaticPixPaymentId')::uuid in (select id from saved)")}
     select id from saved union all select null from wake_delivery`,
    [
      clientId,
      JSON.stringify(
        changes.map((c) => ({
          id: c.id,
          expected: c.expected.status,
          expected_date: c.expected.date,
          status: c.next.status,
          date: c.next.date,
          retries: c.next.retries,
          error: c.next.error,
          end_to_end_id: c.endToEndId ?? null,
          set_end_to_end: c.endToEndId !== undefined,
        })),
      ),
      at,
      outboxRows(events),
      ...outboxWake,
    ],
  )
  return new Set(rows.flatMap((r) => (r.id ? [r.id] : [])))
}

/** Locks up to `limit` payments in `pendingStatus` dated `today` or earlier, skipping rows another worker holds. */
export async function lockDueAutomaticPixPayments(db: Queryable, pendingStatus: AutomaticPixPaymentStatus, today: string, limit: number): Promise<AutomaticPixPaymentRow[]> {
  const { rows } = await db.query<AutomaticPixPaymentRow>(`select ${COLUMNS} from automatic_pix_payments where status = $1 and date <= $2::date order by date, id limit $3 for update skip locked`, [
    pendingStatus,
    today,
    limit,
  ])
  return rows
}
