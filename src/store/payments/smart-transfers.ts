import type { SmartTransferPaymentState } from '../../domain/payments/smart-transfer-payment.ts'
import type { SmartTransferPreauthorizationState } from '../../domain/payments/smart-transfer-preauthorization.ts'
import type { PaymentErrorDetail, SmartTransferPaymentStatus, SmartTransferPreauthorizationStatus } from '../../domain/payments/statuses.ts'
import type { Queryable } from '../database.ts'
import { outboxRows, outboxStatements, outboxWake, type NewEvent } from '../events.ts'
import type { CallbackUrls } from './payment-requests.ts'

export interface PreauthorizationRow {
  id: string
  clientId: string
  connectorId: number
  status: SmartTransferPreauthorizationStatus
  consentUrl: string
  consentExpiresAt: Date
  clientPreauthorizationId: string | null
  callbackUrls: CallbackUrls | null
  parametersEnc: string
  /** The recipients it authorizes, in the order given. */
  recipientIds: string[]
  error: PaymentErrorDetail | null
  createdAt: Date
  updatedAt: Date
}

function preauthorizationColumns(recipientIds: string): string {
  return `p.id, p.client_id as "clientId", p.connector_id as "connectorId", p.status, p.consent_url as "consentUrl",
    p.consent_expires_at as "consentExpiresAt", p.client_preauthorization_id as "clientPreauthorizationId", p.callback_urls as "callbackUrls",
    p.parameters_enc as "parametersEnc", ${recipientIds} as "recipientIds", p.error, p.created_at as "createdAt", p.updated_at as "updatedAt"`
}
const STORED = preauthorizationColumns(`array(select r.recipient_id from smart_transfer_preauthorization_recipients r where r.preauthorization_id = p.id order by r.position)`)

export function preauthorizationStateOf(row: PreauthorizationRow): SmartTransferPreauthorizationState {
  return { status: row.status, consentUrl: row.consentUrl, consentExpiresAt: row.consentExpiresAt.toISOString(), error: row.error }
}

/**
 * Creates a preauthorization of the client's recipients in one statement; nothing (undefined) when
 * a recipient is not the client's.
 */
export async function insertPreauthorization(
  db: Queryable,
  preauthorization: Omit<PreauthorizationRow, 'status' | 'consentUrl' | 'consentExpiresAt' | 'error' | 'createdAt' | 'updatedAt'> & { state: SmartTransferPreauthorizationState; at: Date },
): Promise<PreauthorizationRow | undefined> {
  const p = preauthorization
  const { rows } = await db.query<PreauthorizationRow>(
    `with recipients as (
       select r.id, given.position from unnest($9::uuid[]) with ordinality as given(id, position) join payment_recipients r on r.id = given.id and r.client_id = $2
     ), p as (
       insert into smart_transfer_preauthorizations (id, client_id, connector_id, status, consent_url, consent_expires_at, client_preauthorization_id,
         callback_urls, parameters_enc, error, created_at, updated_at)
       select $1, $2, $3, $4, $5, $6, $7, $8, $10, null, $11, $11
       where (select count(*) from recipients) = cardinality($9::uuid[]) and cardinality($9::uuid[]) > 0
       returning *
     ), linked as (
       insert into smart_transfer_preauthorization_recipients (preauthorization_id, recipient_id, position)
       select $1, id, position from recipients where exists (select 1 from p)
     )
     select ${preauthorizationColumns('$9::uuid[]')} from p`,
    [p.id, p.clientId, p.connectorId, p.state.status, p.state.consentUrl, p.state.consentExpiresAt, p.clientPreauthorizationId, p.callbackUrls, p.recipientIds, p.parametersEnc, p.at],
  )
  return rows[0]
}

/** A client's preauthorization; another client's is indistinguishable from a missing one. */
export async function findPreauthorization(db: Queryable, clientId: string, id: string): Promise<PreauthorizationRow | undefined> {
  const { rows } = await db.query<PreauthorizationRow>(`select ${STORED} from smart_transfer_preauthorizations p where p.id = $1 and p.client_id = $2`, [id, clientId])
  return rows[0]
}

export async function listPreauthorizations(db: Queryable, clientId: string, page: { limit: number; offset: number }): Promise<{ rows: PreauthorizationRow[]; total: number }> {
  const { rows } = await db.query<PreauthorizationRow & { total: number }>(
    `select ${STORED}, count(*) over () as total from smart_transfer_preauthorizations p where p.client_id = $1
     order by p.created_at desc, p.id limit $2 offset $3`,
    [clientId, page.limit, page.offset],
  )
  return { rows, total: rows[0]?.total ?? 0 }
}

/** Saves a preauthorization's transition with its events, guarded on the status read; answers whether it was saved. */
export async function savePreauthorizationTransition(
  db: Queryable,
  change: { clientId: string; id: string; expected: SmartTransferPreauthorizationStatus; next: SmartTransferPreauthorizationState; events: NewEvent[]; at: Date },
): Promise<boolean> {
  const { rows } = await db.query<{ id: string | null }>(
    `with saved as (
       update smart_transfer_preauthorizations set status = $3, error = $4, updated_at = $5 where id = $1 and client_id = $2 and status = $6 returning id
     ), ${outboxStatements({ events: '$7', wakeTask: '$8', wakeKey: '$9' }, 'exists (select 1 from saved)')}
     select id from saved union all select null from wake_delivery`,
    [change.id, change.clientId, change.next.status, change.next.error, change.at, change.expected, outboxRows(change.events), ...outboxWake],
  )
  return rows.some((r) => r.id !== null)
}

export interface SmartTransferPaymentRow {
  id: string
  clientId: string
  preauthorizationId: string
  recipientId: string
  status: SmartTransferPaymentStatus
  amountCents: number
  description: string | null
  clientPaymentId: string | null
  error: PaymentErrorDetail | null
  createdAt: Date
  updatedAt: Date
}

const PAYMENT = `id, client_id as "clientId", preauthorization_id as "preauthorizationId", recipient_id as "recipientId", status,
  amount_cents as "amountCents", description, client_payment_id as "clientPaymentId", error, created_at as "createdAt", updated_at as "updatedAt"`

export function smartTransferPaymentStateOf(row: SmartTransferPaymentRow): SmartTransferPaymentState {
  return { status: row.status, amountCents: row.amountCents, error: row.error }
}

/**
 * Creates a transfer in one statement, guarded on its preauthorization being the client's, in
 * `preauthorizationStatus` (COMPLETED), and naming the recipient; undefined otherwise.
 */
export async function insertSmartTransferPayment(
  db: Queryable,
  payment: Omit<SmartTransferPaymentRow, 'status' | 'amountCents' | 'error' | 'createdAt' | 'updatedAt'> & {
    preauthorizationStatus: SmartTransferPreauthorizationStatus
    state: SmartTransferPaymentState
    at: Date
  },
): Promise<SmartTransferPaymentRow | undefined> {
  const { rows } = await db.query<SmartTransferPaymentRow>(
    `insert into smart_transfer_payments (id, client_id, preauthorization_id, recipient_id, status, amount_cents, description, client_payment_id, created_at, updated_at)
     select $1, $2, $3, $4, $5, $6, $7, $8, $9, $9
     where exists (
       select 1 from smart_transfer_preauthorizations p join smart_transfer_preauthorization_recipients r on r.preauthorization_id = p.id
       where p.id = $3 and p.client_id = $2 and p.status = $10 and r.recipient_id = $4
     )
     returning ${PAYMENT}`,
    [
      payment.id,
      payment.clientId,
      payment.preauthorizationId,
      payment.recipientId,
      payment.state.status,
      payment.state.amountCents,
      payment.description,
      payment.clientPaymentId,
      payment.at,
      payment.preauthorizationStatus,
    ],
  )
  return rows[0]
}

export async function findSmartTransferPayment(db: Queryable, clientId: string, id: string): Promise<SmartTransferPaymentRow | undefined> {
  const { rows } = await db.query<SmartTransferPaymentRow>(`select ${PAYMENT} from smart_transfer_payments where id = $1 and client_id = $2`, [id, clientId])
  return rows[0]
}

/** Saves a transfer's transition with its events, guarded on the status read; answers whether it was saved. */
export async function saveSmartTransferPaymentTransition(
  db: Queryable,
  change: { clientId: string; id: string; expected: SmartTransferPaymentStatus; next: SmartTransferPaymentState; events: NewEvent[]; at: Date },
): Promise<boolean> {
  const { rows } = await db.query<{ id: string | null }>(
    `with saved as (
       update smart_transfer_payments set status = $3, error = $4, updated_at = $5 where id = $1 and client_id = $2 and status = $6 returning id
     ), ${outboxStatements({ events: '$7', wakeTask: '$8', wakeKey: '$9' }, 'exists (select 1 from saved)')}
     select id from saved union all select null from wake_delivery`,
    [change.id, change.clientId, change.next.status, change.next.error, change.at, change.expected, outboxRows(change.events), ...outboxWake],
  )
  return rows.some((r) => r.id !== null)
}
