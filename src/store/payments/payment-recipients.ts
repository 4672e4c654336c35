import type { BankAccountType } from '../../domain/payments/bank-account.ts'
import type { PixKeyType } from '../../domain/payments/pix-key.ts'
import type { Queryable } from '../database.ts'
import type { PaymentInstitutionRow } from './payment-parties.ts'

export interface PaymentRecipientRow {
  id: string
  clientId: string
  name: string
  taxNumber: string
  isDefault: boolean
  paymentInstitution: PaymentInstitutionRow
  account: { type: BankAccountType; number: string; branch: string }
  pixKey: string | null
  pixKeyType: PixKeyType | null
  smartAccountId: string | null
  createdAt: Date
  updatedAt: Date
}

export interface RecipientFields {
  name: string
  taxNumber: string
  isDefault: boolean
  paymentInstitutionId: string
  account: { type: BankAccountType; number: string; branch: string }
  pixKey: { type: PixKeyType; value: string } | null
  smartAccountId: string | null
}

/** The recipient with its institution, as one row; `r` is the recipients' alias. */
function selectRecipient(r: string): string {
  return `${r}.id, ${r}.client_id as "clientId", ${r}.name, ${r}.tax_number as "taxNumber", ${r}.is_default as "isDefault",
    json_build_object('id', i.id, 'name', i.name, 'tradeName', i.trade_name, 'ispb', i.ispb, 'compe', i.compe,
      'createdAt', i.created_at, 'updatedAt', i.updated_at) as "paymentInstitution",
    json_build_object('type', ${r}.account_type, 'number', ${r}.account_number, 'branch', ${r}.account_branch) as account,
    ${r}.pix_key as "pixKey", ${r}.pix_key_type as "pixKeyType", ${r}.smart_account_id as "smartAccountId",
    ${r}.created_at as "createdAt", ${r}.updated_at as "updatedAt"`
}

/** JSON turns the institution's dates into text: they are Dates again here. */
function withDates(row: PaymentRecipientRow): PaymentRecipientRow {
  const i = row.paymentInstitution
  return { ...row, paymentInstitution: { ...i, createdAt: new Date(i.createdAt), updatedAt: new Date(i.updatedAt) } }
}

/** Inserts a recipient; a default one takes the default from the client's previous one, in the same statement. */
export async function insertPaymentRecipient(db: Queryable, recipient: RecipientFields & { id: string; clientId: string; at: Date }): Promise<PaymentRecipientRow> {
  const { rows } = await db.query<PaymentRecipientRow>(
    `with previous_default as (
       update payment_recipients set is_default = false, updated_at = $13 where client_id = $2 and is_default and $5::boolean
     ), r as (
       insert into payment_recipients (id, client_id, name, tax_number, is_default, payment_institution_id, account_type, account_number,
         account_branch, pix_key, pix_key_type, smart_account_id, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) returning *
     )
     select ${selectRecipient('r')} from r join payment_institutions i on i.id = r.payment_institution_id`,
    [
      recipient.id,
      recipient.clientId,
      recipient.name,
      recipient.taxNumber,
      recipient.isDefault,
      recipient.paymentInstitutionId,
      recipient.account.type,
      recipient.account.number,
      recipient.account.branch,
      recipient.pixKey?.value ?? null,
      recipient.pixKey?.type ?? null,
      recipient.smartAccountId,
      recipient.at,
    ],
  )
  return withDates(rows[0])
}

/** A client's recipient; another client's is indistinguishable from a missing one. */
export async function findPaymentRecipient(db: Queryable, clientId: string, id: string): Promise<PaymentRecipientRow | undefined> {
  const { rows } = await db.query<PaymentRecipientRow>(
    `select ${selectRecipient('r')} from payment_recipients r join payment_institutions i on i.id = r.payment_institution_id where r.id = $1 and r.client_id = $2`,
    [id, clientId],
  )
  return rows[0] && withDates(rows[0])
}

/** The recipient a request without recipientId pays. */
export async function findDefaultPaymentRecipient(db: Queryable, clientId: string): Promise<PaymentRecipientRow | undefined> {
  const { rows } = await db.query<PaymentRecipientRow>(
    `select ${selectRecipient('r')} from payment_recipients r join payment_institutions i on i.id = r.payment_institution_id where r.client_id = $1 and r.is_default`,
    [clientId],
  )
  return rows[0] && withDates(rows[0])
}

export async function listPaymentRecipients(db: Queryable, clientId: string, page: { limit: number; offset: number }): Promise<{ rows: PaymentRecipientRow[]; total: number }> {
  const { rows } = await db.query<PaymentRecipientRow & { total: number }>(
    `select ${selectRecipient('r')}, count(*) over () as total from payment_recipients r join payment_institutions i on i.id = r.payment_institution_id
     where r.client_id = $1 order by r.created_at desc, r.id limit $2 offset $3`,
    [clientId, page.limit, page.offset],
  )
  return { rows: rows.map(withDates), total: rows[0]?.total ?? 0 }
}

/** Changes name, tax number, account and default (UpdatePaymentRecipient); becoming default takes it from the previous one. */
export async function updatePaymentRecipient(
  db: Queryable,
  clientId: string,
  id: string,
  patch: { name: string; taxNumber: string; isDefault?: boolean; account?: RecipientFields['account'] },
  at: Date,
): Promise<PaymentRecipientRow | undefined> {
  const { rows } = await db.query<PaymentRecipientRow>(
    `with previous_default as (
       update payment_recipients set is_default = false, updated_at = $9 where client_id = $2 and is_default and id <> $1 and $5::boolean is true
         and exists (select 1 from payment_recipients where id = $1 and client_id = $2)
     ), r as (
       update payment_recipients set name = $3, tax_number = $4, is_default = coalesce($5, is_default),
         account_type = coalesce($6, account_type), account_number = coalesce($7, account_number), account_branch = coalesce($8, account_branch), updated_at = $9
       where id = $1 and client_id = $2 returning *
     )
     select ${selectRecipient('r')} from r join payment_institutions i on i.id = r.payment_institution_id`,
    [id, clientId, patch.name, patch.taxNumber, patch.isDefault ?? null, patch.account?.type ?? null, patch.account?.number ?? null, patch.account?.branch ?? null, at],
  )
  return rows[0] && withDates(rows[0])
}

/** Deletes a recipient no payment request or transfer names; false when missing or still named. */
export async function deletePaymentRecipient(db: Queryable, clientId: string, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `delete from payment_recipients r where r.id = $1 and r.client_id = $2
       and not exists (select 1 from payment_requests where recipient_id = r.id)
       and not exists (select 1 from smart_transfer_preauthorization_recipients where recipient_id = r.id)
       and not exists (select 1 from smart_transfer_payments where recipient_id = r.id)`,
    [id, clientId],
  )
  return (rowCount ?? 0) > 0
}
